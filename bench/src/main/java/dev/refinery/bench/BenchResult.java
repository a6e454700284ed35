package dev.refinery.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark measured: a human-readable table (printed first) and the key figures, printed last as
 * {@code RESULT name=NAME key=value ...} and written to {@code bench/results/NAME.json}.
 */
public record BenchResult(List<String> table, Map<String, Object> figures) {
  public BenchResult {
    table = List.copyOf(table);
    figures = new LinkedHashMap<>(figures);
  }
}
