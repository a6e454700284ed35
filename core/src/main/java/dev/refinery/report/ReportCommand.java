package dev.refinery.report;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Warehouse;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;

/** {@code refinery report [--out FILE]}: the HTML data card of the configured warehouse and run. */
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
    return "refinery report [--conf FILE]... [--set run.id=ID] [--out report.html]";
  }

  @Override
  public int run(CommandLine cli) throws Exception {
    File out = new File("report.html");
    for (int i = 0; i < cli.args().size(); i++) {
      if (cli.args().get(i).equals("--out") && i + 1 < cli.args().size()) {
        out = new File(cli.args().get(++i));
      } else {
        throw new RefineryException("report: unexpected argument " + cli.args().get(i) + "; " + usage());
      }
    }
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery report");
    try {
      Warehouse warehouse = Warehouse.open(spark, config);
      if (warehouse.tables().isEmpty()) {
        throw new RefineryException("warehouse " + warehouse.root() + " has no tables; run a stage first");
      }
      String html = new WarehouseReport(warehouse, config.getString("run.id")).html();
      Files.writeString(out.toPath(), html, StandardCharsets.UTF_8);
      System.out.println("report written to " + out.getAbsolutePath());
    } finally {
      spark.stop();
    }
    return 0;
  }
}
