package dev.refinery.train.trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * Wall time of each phase of the training step, as laps of one clock: a phase is charged the time since the
 * previous lap. {@link TrainLoop} and the {@link Objective}s call {@link #lap} as each phase ends; every
 * {@code log-every} steps the means per step over the window become {@code profile_<phase>_ms} rows of
 * {@code train_metrics} and, with {@code train.profile}, a {@code profile} line.
 *
 * <p>On a GPU the engine runs asynchronously: a phase is then charged when the host next waits for the device
 * (the loss read after backward), so forward and backward show together under backward, and the optimizer's
 * kernels under the next step's backward except on logged steps (where the gradient norm is read).
 */
public final class StepProfile {
  /** The phases, in step order. */
  public enum Phase {
    DATA, FORWARD, BACKWARD, GATHER, ALL_REDUCE, OPTIMIZER, EVAL, CHECKPOINT, OTHER;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final long[] nanos = new long[Phase.values().length];
  private long last = System.nanoTime();
  private long steps;

  /** Charges the time since the previous lap to {@code phase}. */
  public void lap(Phase phase) {
    long now = System.nanoTime();
    nanos[phase.ordinal()] += now - last;
    last = now;
  }

  /** Counts one finished optimizer step of the window. */
  void stepDone() {
    steps++;
  }

  /** The window's mean milliseconds per step of each phase as metric rows, then starts a new window. */
  List<TrainMetric> drain(String kind, long step, long tokens, double elapsed, StringBuilder line) {
    List<TrainMetric> out = new ArrayList<>();
    double total = 0;
    for (Phase p : Phase.values()) {
      double ms = nanos[p.ordinal()] / 1e6 / Math.max(steps, 1);
      total += ms;
      out.add(new TrainMetric(kind, step, "profile_" + p.label() + "_ms", ms, tokens, elapsed));
      line.append(String.format(" %s %.2f", p.label(), ms));
    }
    line.append(String.format(" | step %.2f ms", total));
    java.util.Arrays.fill(nanos, 0);
    steps = 0;
    return out;
  }
}
