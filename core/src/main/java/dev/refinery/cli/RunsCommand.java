package dev.refinery.cli;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Runs;
import dev.refinery.core.warehouse.Warehouse;
import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** {@code refinery runs}: the warehouse's runs, latest first, with their stages, times and row counts. */
final class RunsCommand implements Command {
  @Override
  public String name() {
    return "runs";
  }

  @Override
  public String summary() {
    return "list the warehouse's runs (latest first) with their stages, times and rows in and out";
  }

  @Override
  public int run(CommandLine cli) {
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery runs");
    try {
      Warehouse warehouse = Warehouse.open(spark, config);
      print(warehouse.root(), Runs.list(warehouse), System.out);
    } finally {
      spark.stop();
    }
    return 0;
  }

  static void print(String root, List<Runs.Run> runs, PrintStream out) {
    if (runs.isEmpty()) {
      out.println("warehouse " + root + " has no runs yet (no stage_stats); run a stage first");
      return;
    }
    SimpleDateFormat time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
    out.println("runs in " + root + ", latest first");
    for (Runs.Run r : runs) {
      out.printf("%nrun %s: %s to %s%n", r.runId(), time.format(r.startedAt()), time.format(r.endedAt()));
      out.printf("  %-12s %-19s %9s %12s %12s%n", "stage", "started", "seconds", "rows in", "rows out");
      for (Runs.StageRun s : r.stages()) {
        out.printf("  %-12s %-19s %9.1f %12d %12d%n", s.stage(), time.format(s.startedAt()), s.durationMs() / 1000.0,
            s.rowsIn(), s.rowsOut());
      }
    }
  }
}
