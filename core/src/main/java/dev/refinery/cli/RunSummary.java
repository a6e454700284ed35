package dev.refinery.cli;

import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** The short text printed after a demo: rows per table for the run, then drops per stage and reason. */
final class RunSummary {
  private RunSummary() {}

  static String of(Warehouse warehouse, String runId) {
    StringBuilder b = new StringBuilder();
    b.append("\nwarehouse ").append(warehouse.root()).append(", run ").append(runId).append('\n');
    b.append(String.format("%n  %-24s %10s%n", "table", "rows"));
    for (String t : warehouse.tables()) {
      b.append(String.format("  %-24s %10d%n", t, warehouse.count(t, runId)));
    }
    for (String v : warehouse.views()) {
      b.append(String.format("  %-24s %10d%n", v + " (view)", warehouse.count(v, runId)));
    }
    if (warehouse.exists(StageStats.TABLE)) {
      List<Row> drops = warehouse.readRun(StageStats.TABLE, runId)
          .select(functions.col("stage"), functions.explode(functions.col("drops")).as(new String[] {"reason", "n"}))
          .orderBy("stage", "reason").collectAsList();
      b.append(String.format("%n  %-12s %-36s %8s%n", "stage", "dropped because", "rows"));
      for (Row r : drops) {
        b.append(String.format("  %-12s %-36s %8d%n", r.getString(0), r.getString(1), r.getLong(2)));
      }
    }
    return b.toString();
  }
}
