package dev.refinery.train.trainer;

import java.io.Serializable;

/** One row of {@code train_metrics}: a training or evaluation measurement at a step. */
public record TrainMetric(String kind, long step, String name, double value, long tokens, double elapsedSeconds)
    implements Serializable {}
