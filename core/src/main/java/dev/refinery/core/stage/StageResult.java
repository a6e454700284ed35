package dev.refinery.core.stage;

import java.util.Map;

/**
 * What a stage reports for {@code stage_stats}: rows in, rows out, rows dropped per reason (rule name), and
 * counters that are not drops (rows a rule matches, PII found, ...), kept apart so no summary mixes them.
 */
public record StageResult(long rowsIn, long rowsOut, Map<String, Long> drops, Map<String, Long> counters) {
  public StageResult {
    drops = Map.copyOf(drops);
    counters = Map.copyOf(counters);
  }

  /** A result with drops and no counters. */
  public StageResult(long rowsIn, long rowsOut, Map<String, Long> drops) {
    this(rowsIn, rowsOut, drops, Map.of());
  }
}
