package dev.refinery.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.dist.TrainerTask;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.stream.ShardBatches;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One data-parallel trainer of a causal language model (runs inside a barrier task): every step it reads
 * its own slice of the global batch, accumulates gradients over micro-batches, averages them with the other
 * trainers over the ring, clips, and applies AdamW with warm-up + cosine decay. All trainers start from the
 * same seed and apply the same averaged update, so their replicas stay identical. Checkpoints (rank 0) hold
 * everything needed to resume exactly: parameters, optimizer moments, step and data-stream position.
 */
public final class PretrainTask implements TrainerTask<TrainSummary> {
  public static final String KIND = "pretrain";
  private static final String TORCH_THREADS = "ai.djl.pytorch.num_threads";
  private static final String TORCH_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
  private final String kind;
  private final TrainingObjective.Factory objective;
  private final String modelJson; // ModelConfig is not Serializable; its JSON is
  private final TrainSettings settings;
  private final List<ShardEntry> train;
  private final List<ShardEntry> validation;
  private final String checkpointDir;
  private final SerializableConfiguration hadoop;

  public PretrainTask(ModelConfig model, TrainSettings settings, List<ShardEntry> train, List<ShardEntry> validation,
      String checkpointDir, SerializableConfiguration hadoop) {
    this(KIND, CrossEntropyObjective.FACTORY, model, settings, train, validation, checkpointDir, hadoop);
  }

  /** A trainer of another kind (its name in metrics and progress lines) that minimises {@code objective}. */
  public PretrainTask(String kind, TrainingObjective.Factory objective, ModelConfig model, TrainSettings settings,
      List<ShardEntry> train, List<ShardEntry> validation, String checkpointDir, SerializableConfiguration hadoop) {
    this.kind = kind;
    this.objective = objective;
    this.modelJson = model.toJson();
    this.settings = settings;
    this.train = train;
    this.validation = validation;
    this.checkpointDir = checkpointDir;
    this.hadoop = hadoop;
  }

  @Override
  public TrainSummary run(TrainerContext ctx) throws IOException {
    if (settings.torchThreads() > 0 && System.getProperty(TORCH_THREADS) == null) {
      // Read once when PyTorch loads in this JVM; with several trainers per machine, oversubscribed OpenMP
      // threads spin against each other and throughput collapses.
      System.setProperty(TORCH_THREADS, Integer.toString(settings.torchThreads()));
      System.setProperty(TORCH_INTEROP_THREADS, "1");
    }
    Device device = ctx.gpu().map(Device::gpu).orElse(Device.cpu());
    ModelConfig model = ModelConfig.fromJson(modelJson);
    Checkpoints checkpoints = new Checkpoints(checkpointDir, hadoop.value());
    long t0 = System.nanoTime();
    try (NDManager loading = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Optional<Checkpoints.Loaded> resumed = checkpoints.latest(loading);
      DecoderModel net = resumed.map(l -> DecoderModel.fromParameters(model, device, named(l.tensors(), "p/")))
          .orElseGet(() -> DecoderModel.create(model, device, settings.seed()));
      try (net; AdamW optimizer = new AdamW(0.9f, settings.adamBeta2(), 1e-8f, settings.weightDecay());
          TrainingObjective goal = objective.open(device)) {
        Map<String, NDArray> params = net.trainableParameters();
        Checkpoints.State state = resumed.map(Checkpoints.Loaded::state)
            .orElse(new Checkpoints.State(0, 0, 0, 0, 0, new ArrayList<>()));
        if (resumed.isPresent()) {
          NDList moments = new NDList();
          resumed.get().tensors().stream().filter(a -> !a.getName().startsWith("p/")).forEach(moments::add);
          optimizer.restore(moments, state.step(), params);
        }
        return loop(ctx, model, net, goal, optimizer, params, checkpoints, state, t0);
      }
    }
  }

  private TrainSummary loop(TrainerContext ctx, ModelConfig model, DecoderModel net, TrainingObjective goal,
      AdamW optimizer, Map<String, NDArray> params,
      Checkpoints checkpoints, Checkpoints.State start, long t0) throws IOException {
    int b = settings.batchSize();
    ShardSchedule schedule = new ShardSchedule(train, settings.seed(), settings.blockSequences(), ctx.worldSize(), b);
    LearningRateSchedule lr = settings.schedule();
    GradientExchange grads = new GradientExchange(params);
    List<TrainMetric> metrics = new ArrayList<>(start.metrics());
    long tokensPerStep = (long) ctx.worldSize() * b * settings.accumulation() * (model.contextLength());
    long tokens = start.tokens();
    double elapsedBefore = start.elapsedSeconds();
    double trainLoss = Double.NaN;
    double valLoss = Double.NaN;
    long step = start.step();
    long windowStart = System.nanoTime();
    long windowTokens = 0;
    double evalSeconds = 0;
    try (ShardBatches batches = new ShardBatches(schedule, ctx.rank(), start.position(), hadoop.value(), false)) {
      while (step < settings.maxSteps()) {
        grads.clear();
        float lossSum = 0;
        float[] partSums = new float[goal.parts().size()];
        for (int a = 0; a < settings.accumulation(); a++) {
          lossSum += microStep(net, goal, batches.next(), settings.accumulation(), partSums);
          grads.accumulate();
        }
        double[] norm = new double[1];
        float rate = (float) lr.at(step);
        try (NDManager scratch = net.manager().newSubManager()) {
          optimizer.update(params, grads.reduce(ctx.allReduce(), settings.clipNorm(), scratch, norm), rate);
        }
        step++;
        tokens += tokensPerStep;
        windowTokens += tokensPerStep;
        double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
        if (step % settings.logEvery() == 0 || step == settings.maxSteps()) {
          trainLoss = mean(ctx, lossSum / settings.accumulation());
          double window = (System.nanoTime() - windowStart) / 1e9;
          double tps = windowTokens / Math.max(window, 1e-9);
          metrics.add(new TrainMetric(kind, step, "train_loss", trainLoss, tokens, elapsed));
          metrics.add(new TrainMetric(kind, step, "tokens_per_s", tps, tokens, elapsed));
          metrics.add(new TrainMetric(kind, step, "grad_norm", norm[0], tokens, elapsed));
          String parts = addParts(ctx, goal, "train_", partSums, settings.accumulation(), step, tokens, elapsed, metrics);
          if (ctx.rank() == 0) {
            System.out.printf("train %s step %d/%d loss %.4f%s lr %.2e grad-norm %.2f %.0f tok/s%n", kind, step,
                settings.maxSteps(), trainLoss, parts, rate, norm[0], tps);
          }
          windowStart = System.nanoTime();
          windowTokens = 0;
        }
        if (step % settings.evalEvery() == 0 || step == settings.maxSteps()) {
          long e0 = System.nanoTime();
          float[] evalSums = evaluate(ctx, net, goal);
          evalSeconds += (System.nanoTime() - e0) / 1e9;
          windowStart += System.nanoTime() - e0; // evaluation time is not training throughput
          valLoss = evalSums[1] == 0 ? Double.NaN : evalSums[0] / evalSums[1];
          metrics.add(new TrainMetric(kind, step, "val_loss", valLoss, tokens, elapsed));
          String parts = addParts(ctx, goal, "val_", java.util.Arrays.copyOfRange(evalSums, 2, evalSums.length),
              evalSums[1], step, tokens, elapsed, metrics);
          if (ctx.rank() == 0) {
            System.out.printf("train %s step %d val loss %.4f%s%n", kind, step, valLoss, parts);
          }
        }
        if (ctx.rank() == 0 && (step % settings.checkpointEvery() == 0 || step == settings.maxSteps())) {
          StreamPosition pos = batches.position();
          checkpoints.save(new Checkpoints.State(step, pos.epoch(), pos.step(), tokens, elapsed, metrics), params,
              optimizer.state());
        }
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    long tokensThisAttempt = tokens - start.tokens();
    return new TrainSummary(metrics, trainLoss, valLoss, step, tokens, wall,
        tokensThisAttempt / Math.max(wall - evalSeconds, 1e-9), checkpointDir);
  }

  /**
   * DJL allows one gradient collector per JVM at a time; trainers sharing a JVM (local mode, or several
   * tasks per executor) take turns for forward and backward. The all-reduce stays outside, so no deadlock.
   */
  private static final Object AUTOGRAD = new Object();

  /**
   * Forward and backward of one micro-batch; the loss is scaled so accumulated gradients are a mean. The
   * objective's reference (a frozen teacher's logits) is computed before autograd starts recording.
   */
  private static float microStep(DecoderModel net, TrainingObjective goal, int[][] batch, int accumulation,
      float[] partSums) {
    synchronized (AUTOGRAD) {
      try (NDManager m = net.manager().newSubManager()) {
        NDArray[] xy = inputsAndTargets(m, batch);
        NDArray reference = goal.reference(xy[0], true);
        try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
          float[] parts = new float[partSums.length];
          NDArray loss = goal.loss(net.forward(xy[0], true), xy[1], reference, parts);
          gc.backward(loss.div(accumulation));
          for (int i = 0; i < parts.length; i++) {
            partSums[i] += parts[i];
          }
          return loss.getFloat();
        }
      }
    }
  }

  /**
   * Sums over the first eval-batches validation batches, split over the trainers: {cross-entropy, batches,
   * then the objective's parts}. The validation loss is always the student's plain cross-entropy.
   */
  private float[] evaluate(TrainerContext ctx, DecoderModel net, TrainingObjective goal) throws IOException {
    float[] sums = new float[2 + goal.parts().size()];
    if (validation.isEmpty()) {
      return sums;
    }
    ShardSchedule vs = new ShardSchedule(validation, settings.seed(), settings.blockSequences(), ctx.worldSize(),
        settings.batchSize());
    long n = Math.min(settings.evalBatches(), vs.stepsPerEpoch());
    if (n > 0) {
      try (ShardBatches batches = new ShardBatches(vs, ctx.rank(), StreamPosition.START, hadoop.value(), false)) {
        float[] parts = new float[goal.parts().size()];
        for (long i = 0; i < n; i++) {
          try (NDManager m = net.manager().newSubManager()) {
            NDArray[] xy = inputsAndTargets(m, batches.next());
            NDArray reference = goal.reference(xy[0], false);
            NDArray logits = net.forward(xy[0], false);
            sums[0] += DecoderModel.crossEntropy(logits, xy[1], -1).getFloat();
            sums[1] += 1;
            goal.loss(logits, xy[1], reference, parts);
            for (int p = 0; p < parts.length; p++) {
              sums[2 + p] += parts[p];
            }
          }
        }
      }
    }
    ctx.allReduce().sum(sums);
    return sums;
  }

  /** Averages the objective's part sums over {@code count} (and the trainers), records them, returns them as text. */
  private String addParts(TrainerContext ctx, TrainingObjective goal, String prefix, float[] sums, float count,
      long step, long tokens, double elapsed, List<TrainMetric> metrics) throws IOException {
    if (sums.length == 0) {
      return "";
    }
    float[] v = new float[sums.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = count == 0 ? Float.NaN : sums[i] / count;
    }
    if (prefix.equals("train_")) {
      ctx.allReduce().average(v); // validation sums were already summed over the trainers
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isNaN(v[i])) {
        String name = goal.parts().get(i);
        metrics.add(new TrainMetric(kind, step, prefix + name, v[i], tokens, elapsed));
        line.append(String.format(" %s %.4f", name, v[i]));
      }
    }
    return line.toString();
  }

  private static double mean(TrainerContext ctx, float lossSum) throws IOException {
    float[] v = {lossSum};
    ctx.allReduce().average(v);
    return v[0];
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

  /** The tensors whose names start with {@code prefix}, by the rest of their name. */
  static Map<String, NDArray> named(NDList tensors, String prefix) {
    Map<String, NDArray> out = new HashMap<>();
    for (NDArray a : tensors) {
      if (a.getName().startsWith(prefix)) {
        out.put(a.getName().substring(prefix.length()), a);
      }
    }
    return out;
  }
}
