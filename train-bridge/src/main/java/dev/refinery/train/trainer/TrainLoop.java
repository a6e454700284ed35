package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.stream.BatchStream;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optimisation loop every trainer kind shares: micro-batches accumulated, gradients averaged over the
 * ring and clipped, AdamW on the trainable parameters with the warm-up + cosine schedule, a progress line and
 * train metrics every {@code log-every} steps, evaluation every {@code eval-every}, and a checkpoint (trainable
 * parameters, optimizer moments, stream position, metrics so far) every {@code checkpoint-every} and at the end.
 * Each step's phases are timed ({@link StepProfile}) into {@code train_metrics}, and printed with {@code train.profile}.
 */
final class TrainLoop<B> {
  /**
   * DJL allows one gradient collector per JVM at a time; trainers sharing a JVM (local mode, or several
   * tasks per executor) take turns for forward and backward. The all-reduce stays outside, so no deadlock.
   */
  private static final Object AUTOGRAD = new Object();

  private final String kind;
  private final TrainSettings settings;
  private final Checkpoints checkpoints;
  private final String checkpointDir;

  TrainLoop(String kind, TrainSettings settings, Checkpoints checkpoints, String checkpointDir) {
    this.kind = kind;
    this.settings = settings;
    this.checkpoints = checkpoints;
    this.checkpointDir = checkpointDir;
  }

  TrainSummary run(TrainerContext ctx, DecoderModel net, AdamW optimizer, Checkpoints.State start,
      BatchStream<B> batches, Objective<B> objective, long t0) throws IOException {
    Map<String, NDArray> params = net.trainableParameters();
    LearningRateSchedule lr = settings.schedule();
    GradientExchange grads = new GradientExchange(params);
    StepProfile profile = new StepProfile();
    List<String> stats = objective.statistics();
    List<TrainMetric> metrics = new ArrayList<>(start.metrics());
    long tokens = start.tokens();
    double elapsedBefore = start.elapsedSeconds();
    // a resumed run starts from the checkpoint's last losses (a run resumed at its last step trains no step)
    double trainLoss = lastValue(metrics, "train_" + stats.get(0));
    double valLoss = lastValue(metrics, "val_loss");
    long step = start.step();
    long windowStart = System.nanoTime();
    long windowTokens = 0;
    double evalSeconds = 0;
    net.zeroGradients(); // micro-batches add into the parameters' gradients; the optimizer zeroes them after each step
    while (step < settings.maxSteps()) {
      float[] sums = new float[stats.size() + 1];
      profile.lap(StepProfile.Phase.OTHER);
      for (int a = 0; a < settings.accumulation(); a++) {
        B batch = batches.next();
        profile.lap(StepProfile.Phase.DATA);
        float[] s;
        synchronized (AUTOGRAD) {
          s = objective.step(net, batch, settings.accumulation(), profile);
        }
        for (int i = 0; i < s.length; i++) {
          sums[i] += s[i] / settings.accumulation();
        }
        sums[stats.size()] += objective.tokens(batch);
      }
      float rate = (float) lr.at(step);
      step++;
      boolean logging = step % settings.logEvery() == 0 || step == settings.maxSteps();
      double gradNorm = Double.NaN;
      try (NDManager scratch = net.manager().newSubManager()) {
        Map<String, NDArray> averaged = grads.reduce(ctx.allReduce(), scratch, profile);
        NDArray norm = optimizer.update(params, averaged, rate, settings.clipNorm(), scratch);
        if (logging) {
          gradNorm = norm.getFloat(); // the host waits for the device only on the steps it logs
        }
        profile.lap(StepProfile.Phase.OPTIMIZER);
      }
      profile.stepDone();
      ctx.allReduce().average(sums); // statistics averaged over trainers; tokens summed below
      long stepTokens = Math.round(sums[stats.size()] * ctx.worldSize());
      tokens += stepTokens;
      windowTokens += stepTokens;
      double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
      if (logging) {
        trainLoss = sums[0];
        double window = (System.nanoTime() - windowStart) / 1e9;
        double tps = windowTokens / Math.max(window, 1e-9);
        for (int i = 0; i < stats.size(); i++) {
          metrics.add(new TrainMetric(kind, step, "train_" + stats.get(i), sums[i], tokens, elapsed));
        }
        metrics.add(new TrainMetric(kind, step, "tokens_per_s", tps, tokens, elapsed));
        metrics.add(new TrainMetric(kind, step, "grad_norm", gradNorm, tokens, elapsed));
        if (ctx.rank() == 0) {
          StringBuilder extra = new StringBuilder();
          for (int i = 1; i < stats.size(); i++) {
            extra.append(String.format(" %s %.4f", stats.get(i), sums[i]));
          }
          ctx.console().printf("train %s step %d/%d loss %.4f%s lr %.2e grad-norm %.2f %.0f tok/s%n", kind, step,
              settings.maxSteps(), trainLoss, extra, rate, gradNorm, tps);
        }
        StringBuilder phases = new StringBuilder();
        metrics.addAll(profile.drain(kind, step, tokens, elapsed, phases));
        if (ctx.rank() == 0 && settings.profile()) {
          ctx.console().printf("profile %s step %d ms/step:%s%n", kind, step, phases);
        }
        windowStart = System.nanoTime();
        windowTokens = 0;
      }
      profile.lap(StepProfile.Phase.OTHER);
      if (step % settings.evalEvery() == 0 || step == settings.maxSteps()) {
        long e0 = System.nanoTime();
        Map<String, Double> eval = objective.evaluate(ctx, net);
        evalSeconds += (System.nanoTime() - e0) / 1e9;
        windowStart += System.nanoTime() - e0; // evaluation time is not training throughput
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Double> e : eval.entrySet()) {
          metrics.add(new TrainMetric(kind, step, e.getKey(), e.getValue(), tokens, elapsed));
          line.append(String.format(" %s %.4f", e.getKey().replace('_', ' '), e.getValue()));
        }
        valLoss = eval.getOrDefault("val_loss", Double.NaN);
        if (ctx.rank() == 0 && !eval.isEmpty()) {
          ctx.console().printf("train %s step %d%s%n", kind, step, line);
        }
        profile.lap(StepProfile.Phase.EVAL);
      }
      if (ctx.rank() == 0 && (step % settings.checkpointEvery() == 0 || step == settings.maxSteps())) {
        StreamPosition pos = batches.position();
        checkpoints.save(new Checkpoints.State(step, pos.epoch(), pos.step(), tokens, elapsed, metrics), params,
            optimizer.state());
        profile.lap(StepProfile.Phase.CHECKPOINT);
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    long tokensThisAttempt = tokens - start.tokens();
    return new TrainSummary(metrics, trainLoss, valLoss, step, tokens, wall,
        tokensThisAttempt / Math.max(wall - evalSeconds, 1e-9), checkpointDir);
  }

  /** The value of the last metric named {@code name}, or NaN when there is none. */
  private static double lastValue(List<TrainMetric> metrics, String name) {
    for (int i = metrics.size() - 1; i >= 0; i--) {
      if (metrics.get(i).name().equals(name)) {
        return metrics.get(i).value();
      }
    }
    return Double.NaN;
  }
}
