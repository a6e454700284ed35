package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.models.transformer.Scalars;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.stream.ShardBatches;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Next-token cross-entropy on every position of packed shard sequences; validation on the held-out shards.
 * Objectives over the same batches with another loss ({@link DistillObjective}) override {@link #step} and
 * the per-batch {@link #validate}.
 */
class PretrainObjective implements Objective<int[][]> {
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
  public float[] step(DecoderModel net, int[][] batch, int accumulation, StepProfile profile) {
    try (NDManager m = net.manager().newSubManager()) {
      NDArray[] xy = inputsAndTargets(m, batch);
      profile.lap(StepProfile.Phase.DATA);
      try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
        NDArray loss = DecoderModel.crossEntropy(net.forward(xy[0], true), xy[1], -1);
        profile.lap(StepProfile.Phase.FORWARD);
        gc.backward(accumulation == 1 ? loss : Scalars.div(loss, accumulation));
        float value = loss.getFloat();
        profile.lap(StepProfile.Phase.BACKWARD);
        return new float[] {value};
      }
    }
  }

  @Override
  public long tokens(int[][] batch) {
    return (long) batch.length * (batch[0].length - 1);
  }

  /** Sequences of one no-grad validation forward at most (as the PyTorch peers evaluate), memory permitting. */
  private static final int EVAL_ROWS = 256;
  /** Floats of the largest activation of one validation forward at most (256 MiB). */
  private static final long EVAL_FLOATS = 1L << 26;

  /**
   * Means of the {@link #validate} metrics over the first eval-batches validation batches, split over the trainers.
   * Consecutive batches of a trainer go through the model together ({@link #evalGroup} of them per forward): the
   * mean over the group's sequences is the mean of its batches' means (all batches have the same size), and
   * a few large forwards cost less than many small ones.
   */
  @Override
  public Map<String, Double> evaluate(TrainerContext ctx, DecoderModel net) throws IOException {
    if (validation.isEmpty()) {
      return Map.of();
    }
    ShardSchedule vs = new ShardSchedule(validation, settings.seed(), settings.blockSequences(), ctx.worldSize(),
        settings.batchSize());
    long n = Math.min(settings.evalBatches(), vs.stepsPerEpoch());
    List<String> names = validationMetrics();
    float[] sums = new float[names.size() + 1]; // the metrics' sums (each a group's mean times its batches), then the batch count
    if (n > 0) {
      int group = evalGroup(net.config(), settings.batchSize(), validation.get(0).sequenceLength() - 1);
      try (ShardBatches batches = new ShardBatches(vs, ctx.rank(), StreamPosition.START, hadoop.value(), false)) {
        for (long i = 0; i < n; i += group) {
          int g = (int) Math.min(group, n - i);
          int[][] rows = new int[g * settings.batchSize()][];
          for (int j = 0; j < g; j++) {
            System.arraycopy(batches.next(), 0, rows, j * settings.batchSize(), settings.batchSize());
          }
          try (NDManager m = net.manager().newSubManager()) {
            NDArray[] xy = inputsAndTargets(m, rows);
            float[] values = validate(net, xy[0], xy[1]);
            for (int k = 0; k < values.length; k++) {
              sums[k] += values[k] * g;
            }
            sums[names.size()] += g;
          }
        }
      }
    }
    ctx.allReduce().sum(sums);
    float count = sums[names.size()];
    if (count == 0) {
      return Map.of();
    }
    Map<String, Double> means = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      means.put(names.get(k), (double) (sums[k] / count));
    }
    return means;
  }

  /**
   * Validation batches of {@code batch} sequences of {@code t} tokens per forward: up to {@link #EVAL_ROWS}
   * sequences, fewer when the largest activation (logits, attention weights or the MLP's hidden layer) would pass
   * {@link #EVAL_FLOATS}; at least one batch.
   */
  static int evalGroup(ModelConfig c, int batch, int t) {
    long perSequence = Math.max((long) t * c.vocabSize(), Math.max((long) c.heads() * t * t, (long) t * c.mlpHidden()));
    long rows = Math.min(EVAL_ROWS, EVAL_FLOATS / Math.max(perSequence, 1));
    return (int) Math.max(1, rows / batch);
  }

  /** Names of the {@link #validate} metrics, {@code val_loss} (the model's cross-entropy) first. */
  protected List<String> validationMetrics() {
    return List.of("val_loss");
  }

  /** The validation metrics of one batch, in {@link #validationMetrics} order. */
  protected float[] validate(DecoderModel net, NDArray inputs, NDArray targets) {
    return new float[] {DecoderModel.crossEntropy(net.forward(inputs, false), targets, -1).getFloat()};
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
