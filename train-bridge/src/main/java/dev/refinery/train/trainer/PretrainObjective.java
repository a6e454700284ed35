package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.stream.ShardBatches;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.util.SerializableConfiguration;

/** Next-token cross-entropy on every position of packed shard sequences; validation on the held-out shards. */
final class PretrainObjective implements Objective<int[][]> {
  private final List<ShardEntry> validation;
  private final TrainSettings settings;
  private final SerializableConfiguration hadoop;

  PretrainObjective(List<ShardEntry> validation, TrainSettings settings, SerializableConfiguration hadoop) {
    this.validation = validation;
    this.settings = settings;
    this.hadoop = hadoop;
  }

  @Override
  public List<String> statistics() {
    return List.of("loss");
  }

  @Override
  public float[] step(DecoderModel net, int[][] batch, int accumulation) {
    try (NDManager m = net.manager().newSubManager()) {
      NDArray[] xy = inputsAndTargets(m, batch);
      try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
        NDArray loss = DecoderModel.crossEntropy(net.forward(xy[0], true), xy[1], -1);
        gc.backward(loss.div(accumulation));
        return new float[] {loss.getFloat()};
      }
    }
  }

  @Override
  public long tokens(int[][] batch) {
    return (long) batch.length * (batch[0].length - 1);
  }

  /** Mean loss over the first eval-batches validation batches, split over the trainers. */
  @Override
  public Map<String, Double> evaluate(TrainerContext ctx, DecoderModel net) throws IOException {
    if (validation.isEmpty()) {
      return Map.of();
    }
    ShardSchedule vs = new ShardSchedule(validation, settings.seed(), settings.blockSequences(), ctx.worldSize(),
        settings.batchSize());
    long n = Math.min(settings.evalBatches(), vs.stepsPerEpoch());
    float[] sumCount = new float[2];
    if (n > 0) {
      try (ShardBatches batches = new ShardBatches(vs, ctx.rank(), StreamPosition.START, hadoop.value(), false)) {
        for (long i = 0; i < n; i++) {
          try (NDManager m = net.manager().newSubManager()) {
            NDArray[] xy = inputsAndTargets(m, batches.next());
            sumCount[0] += DecoderModel.crossEntropy(net.forward(xy[0], false), xy[1], -1).getFloat();
            sumCount[1] += 1;
          }
        }
      }
    }
    ctx.allReduce().sum(sumCount);
    return sumCount[1] == 0 ? Map.of() : Map.of("val_loss", (double) (sumCount[0] / sumCount[1]));
  }

  /** Sequences of context+1 tokens to inputs (all but the last) and targets (all but the first), int64. */
  static NDArray[] inputsAndTargets(NDManager m, int[][] batch) {
    int t = batch[0].length - 1;
    long[] x = new long[batch.length * t];
    long[] y = new long[batch.length * t];
    for (int i = 0; i < batch.length; i++) {
      for (int j = 0; j < t; j++) {
        x[i * t + j] = batch[i][j];
        y[i * t + j] = batch[i][j + 1];
      }
    }
    return new NDArray[] {m.create(x, new Shape(batch.length, t)), m.create(y, new Shape(batch.length, t))};
  }
}
