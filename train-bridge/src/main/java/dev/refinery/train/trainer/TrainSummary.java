package dev.refinery.train.trainer;

import java.io.Serializable;
import java.util.List;

/**
 * What a trainer reports when it finishes: the metrics of the whole run (including those restored from a
 * checkpoint), the last losses, tokens seen, and the wall time and throughput of this attempt.
 */
public record TrainSummary(List<TrainMetric> metrics, double trainLoss, double valLoss, long steps, long tokens,
    double wallSeconds, double tokensPerSecond, String checkpointDir) implements Serializable {}
