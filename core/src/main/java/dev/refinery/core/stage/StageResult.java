package dev.refinery.core.stage;

import java.util.Map;

/** What a stage reports for {@code stage_stats}: rows in, rows out, and drops per reason (rule name). */
public record StageResult(long rowsIn, long rowsOut, Map<String, Long> drops) {
  public StageResult {
    drops = Map.copyOf(drops);
  }
}
