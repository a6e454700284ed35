package dev.refinery.cli;

import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The short text printed after a demo: rows per table for the run, then drops per stage and reason, then counters.
 * Two runs of the same input compare equal by it (the small-driver benchmark compares a cluster run with a local one).
 */
public final class RunSummary {
  private RunSummary() {}

  public static String of(Warehouse warehouse, String runId) {
    StringBuilder b = new StringBuilder();
    b.append("\nwarehouse ").append(warehouse.root()).append(", run ").append(runId).append('\n');
    b.append(String.format("%n  %-24s %10s  %s%n", "table", "rows", "doc_ids fingerprint"));
    for (String t : warehouse.tables()) {
      b.append(line(t, warehouse.readRun(t, runId)));
    }
    for (String v : warehouse.views()) {
      b.append(line(v + " (view)", warehouse.readRun(v, runId)));
    }
    if (warehouse.exists(StageStats.TABLE)) {
      b.append(perStage(warehouse, runId, "drops", "dropped because"));
      if (List.of(warehouse.read(StageStats.TABLE).columns()).contains("counters")) {
        b.append(perStage(warehouse, runId, "counters", "counted (not drops)"));
      }
    }
    return b.toString();
  }

  /** One line per stage and key of the map column {@code column} of stage_stats. */
  private static String perStage(Warehouse warehouse, String runId, String column, String heading) {
    List<Row> rows = warehouse.readRun(StageStats.TABLE, runId)
        .select(functions.col("stage"), functions.explode(functions.col(column)).as(new String[] {"key", "n"}))
        .orderBy("stage", "key").collectAsList();
    StringBuilder b = new StringBuilder(String.format("%n  %-12s %-36s %8s%n", "stage", heading, "rows"));
    for (Row r : rows) {
      b.append(String.format("  %-12s %-36s %8d%n", r.getString(0), r.getString(1), r.getLong(2)));
    }
    return b.toString();
  }

  /** Rows of a table and an order-independent fingerprint of its doc_ids ("-" when it has none). */
  public record Fingerprint(long rows, String docIds) {
    /** {@code rows:fingerprint}, as the benchmarks report it. */
    @Override
    public String toString() {
      return rows + ":" + docIds;
    }
  }

  /**
   * The rows and the XOR of the 64-bit hashes of the doc_ids of {@code rows} (which has a doc_id column), so two
   * runs can be compared for the same documents by eye or by diff.
   */
  public static Fingerprint fingerprint(Dataset<Row> rows) {
    Row r = rows.agg(functions.count(functions.lit(1)),
        functions.bit_xor(functions.xxhash64(functions.col("doc_id")))).first();
    return new Fingerprint(r.getLong(0), r.isNullAt(1) ? "-" : dev.refinery.core.text.Hashing.hex(r.getLong(1)));
  }

  private static String line(String name, Dataset<Row> rows) {
    if (!List.of(rows.columns()).contains("doc_id")) {
      return String.format("  %-24s %10d%n", name, rows.count());
    }
    Fingerprint f = fingerprint(rows);
    return String.format("  %-24s %10d  %s%n", name, f.rows(), f.docIds());
  }
}
