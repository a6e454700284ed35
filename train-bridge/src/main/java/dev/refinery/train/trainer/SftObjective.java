package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.Scalars;
import dev.refinery.train.chat.PackedRow;
import dev.refinery.train.dist.TrainerContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning: cross-entropy on the assistant's tokens only (every other target is ignored), over
 * packed rows in which each sample attends only to itself. Validation loss is the mean over all held-out
 * assistant tokens.
 */
final class SftObjective implements Objective<List<PackedRow>> {
  private final List<PackedRow> validation;
  private final int ignoreId;
  private final int batchSize;

  /** @param ignoreId a target id that never occurs as a learned token (the pad id) */
  SftObjective(List<PackedRow> validation, int ignoreId, int batchSize) {
    this.validation = validation;
    this.ignoreId = ignoreId;
    this.batchSize = batchSize;
  }

  @Override
  public List<String> statistics() {
    return List.of("loss");
  }

  @Override
  public float[] step(DecoderModel net, List<PackedRow> batch, int accumulation, StepProfile profile) {
    try (NDManager m = net.manager().newSubManager()) {
      Inputs in = inputs(m, batch, ignoreId);
      profile.lap(StepProfile.Phase.DATA);
      try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
        NDArray loss = DecoderModel.crossEntropy(net.forwardPacked(in.tokens, in.positions, in.segments, true),
            in.targets, ignoreId);
        profile.lap(StepProfile.Phase.FORWARD);
        gc.backward(Scalars.div(loss, accumulation));
        float value = loss.getFloat();
        profile.lap(StepProfile.Phase.BACKWARD);
        return new float[] {value};
      }
    }
  }

  @Override
  public long tokens(List<PackedRow> batch) {
    return (long) batch.size() * (batch.get(0).tokens().length - 1);
  }

  @Override
  public Map<String, Double> evaluate(TrainerContext ctx, DecoderModel net) throws IOException {
    float[] sumCount = new float[2];
    List<PackedRow> mine = new ArrayList<>();
    for (int i = ctx.rank(); i < validation.size(); i += ctx.worldSize()) {
      mine.add(validation.get(i));
    }
    for (int from = 0; from < mine.size(); from += batchSize) {
      List<PackedRow> batch = mine.subList(from, Math.min(mine.size(), from + batchSize));
      try (NDManager m = net.manager().newSubManager()) {
        Inputs in = inputs(m, batch, ignoreId);
        NDArray loss = DecoderModel.crossEntropy(net.forwardPacked(in.tokens, in.positions, in.segments, false),
            in.targets, ignoreId);
        sumCount[0] += loss.getFloat() * in.learned;
        sumCount[1] += in.learned;
      }
    }
    ctx.allReduce().sum(sumCount);
    return sumCount[1] == 0 ? Map.of() : Map.of("val_loss", (double) (sumCount[0] / sumCount[1]));
  }

  /** Model inputs of packed rows: tokens, per-sample positions and segments (all but the last), targets. */
  record Inputs(NDArray tokens, NDArray positions, NDArray segments, NDArray targets, int learned) {}

  static Inputs inputs(NDManager m, List<PackedRow> rows, int ignoreId) {
    int t = rows.get(0).tokens().length - 1;
    int b = rows.size();
    long[] x = new long[b * t];
    long[] pos = new long[b * t];
    long[] seg = new long[b * t];
    long[] y = new long[b * t];
    int learned = 0;
    for (int i = 0; i < b; i++) {
      PackedRow r = rows.get(i);
      int[] p = r.positions();
      int[] targets = r.targets(ignoreId);
      for (int j = 0; j < t; j++) {
        x[i * t + j] = r.tokens()[j];
        pos[i * t + j] = p[j];
        seg[i * t + j] = r.segments()[j];
        y[i * t + j] = targets[j];
        learned += targets[j] == ignoreId ? 0 : 1;
      }
    }
    Shape shape = new Shape(b, t);
    return new Inputs(m.create(x, shape), m.create(pos, shape), m.create(seg, shape), m.create(y, shape), learned);
  }
}
