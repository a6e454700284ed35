package dev.refinery.train.trainer;

import java.io.Serializable;

/**
 * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to {@code floor} at
 * {@code decaySteps} (nanoGPT's schedule). A pure function of the step, so a resumed run continues it exactly.
 */
public record LearningRateSchedule(double peak, double floor, long warmupSteps, long decaySteps) implements Serializable {
  public double at(long step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (step >= decaySteps) {
      return floor;
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, decaySteps - warmupSteps);
    return floor + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - floor);
  }
}
