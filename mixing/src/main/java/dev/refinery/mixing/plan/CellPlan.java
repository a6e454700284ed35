package dev.refinery.mixing.plan;

import java.util.List;

/**
 * What the sampler does in one cell: every document {@code fullEpochs} times, plus once more for documents
 * in hash buckets below {@code cutoffBucket}. {@code plannedTokens} is what that yields; a cell is
 * infeasible when its target needs more than the epoch cap allows (then {@code reason} says why).
 */
public record CellPlan(List<String> cell, long availableDocs, long availableTokens, double targetShare,
    double targetTokens, int fullEpochs, int cutoffBucket, long plannedTokens, boolean feasible, String reason) {
  public CellPlan {
    cell = List.copyOf(cell);
  }
}
