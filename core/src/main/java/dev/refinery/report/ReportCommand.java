package dev.refinery.report;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Runs;
import dev.refinery.core.warehouse.Warehouse;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;

/**
 * {@code refinery report [--run ID] [--out FILE]}: the HTML data card of one run of the configured warehouse:
 * the run named by {@code --run}, else by a {@code run.id} the configuration sets, else the latest run.
 */
public final class ReportCommand implements Command {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "write a self-contained HTML data card of a warehouse run (funnel, lengths, languages, dups, mixture, training)";
  }

  @Override
  public String usage() {
    return "refinery report [--conf FILE]... [--run ID] [--out report.html]\n"
        + "  the run: --run ID, else run.id when the configuration sets it, else the warehouse's latest run";
  }

  @Override
  public int run(CommandLine cli) throws Exception {
    File out = new File("report.html");
    String runId = null;
    for (int i = 0; i < cli.args().size(); i++) {
      String a = cli.args().get(i);
      if (a.equals("--out") && i + 1 < cli.args().size()) {
        out = new File(cli.args().get(++i));
      } else if (a.equals("--run") && i + 1 < cli.args().size()) {
        runId = cli.args().get(++i);
      } else {
        throw new RefineryException("report: unexpected argument " + a + "; " + usage());
      }
    }
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery report");
    try {
      Warehouse warehouse = Warehouse.open(spark, config);
      if (warehouse.tables().isEmpty()) {
        throw new RefineryException("warehouse " + warehouse.root() + " has no tables; run a stage first");
      }
      String chosen = runId != null ? runId : chooseRun(warehouse, config, System.out);
      write(warehouse, chosen, config, out, System.out);
    } finally {
      spark.stop();
    }
    return 0;
  }

  /** The configured run id when it is not the built-in default, else the latest run; lists the runs. */
  static String chooseRun(Warehouse warehouse, RefineryConfig config, PrintStream out) {
    String configured = config.getString("run.id");
    boolean set = !configured.equals(RefineryConfig.defaultsOnly().getString("run.id"));
    var runs = Runs.list(warehouse);
    if (!runs.isEmpty()) {
      out.println("runs in " + warehouse.root() + " (latest first): "
          + String.join(", ", runs.stream().map(Runs.Run::runId).toList()));
    }
    if (set || runs.isEmpty()) {
      return configured;
    }
    return runs.get(0).runId();
  }

  /** Writes the card of {@code runId} to {@code file} and prints where. */
  public static void write(Warehouse warehouse, String runId, RefineryConfig config, File file, PrintStream out)
      throws IOException {
    String html = new WarehouseReport(warehouse, runId, config).html();
    Files.writeString(file.toPath(), html, StandardCharsets.UTF_8);
    out.println("data card of run " + runId + " written to " + file.getAbsolutePath());
  }
}
