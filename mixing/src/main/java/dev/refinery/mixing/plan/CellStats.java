package dev.refinery.mixing.plan;

import java.util.List;

/**
 * What one cell holds before sampling: documents, tokens, and tokens per hash bucket (documents are
 * ordered by a seeded hash cut into {@link MixturePlanner#BUCKETS} buckets; down-sampling takes a prefix).
 */
public record CellStats(List<String> cell, long docs, long tokens, long[] bucketTokens) {
  public CellStats {
    cell = List.copyOf(cell);
    if (bucketTokens.length != MixturePlanner.BUCKETS) {
      throw new IllegalArgumentException("expected " + MixturePlanner.BUCKETS + " buckets");
    }
  }
}
