package dev.refinery.cli;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.Pipeline;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.ReportCommand;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** {@code run}: the whole pipeline; {@code demo}: the same on the bundled corpus, with a summary. */
final class RunCommand implements Command {
  static final String DEMO_CONF = "conf/demo.conf";
  /** Where {@code demo} writes the data card of its run (the same file {@code report} writes by default). */
  static final String DEMO_CARD = "report.html";
  private final boolean demo;

  RunCommand(boolean demo) {
    this.demo = demo;
  }

  @Override
  public String name() {
    return demo ? "demo" : "run";
  }

  @Override
  public String summary() {
    return demo
        ? "run every stage on the bundled demo corpus into ./warehouse, print a summary, write report.html"
        : "run every stage of pipeline.stages in order (all registered stages when empty)";
  }

  @Override
  public int run(CommandLine cli) {
    if (demo) {
      File conf = CommandLine.home(DEMO_CONF);
      cli.prependConf(conf.getPath());
    }
    RefineryConfig config = cli.config();
    Pipeline pipeline = Pipeline.discover();
    List<Stage> stages = pipeline.selected(config.getStringList("pipeline.stages"));
    execute(config, stages, System.out, demo, demo ? new File(DEMO_CARD) : null);
    return 0;
  }

  /**
   * Starts Spark, runs the stages (validating all first), if asked prints the run's summary, and writes the
   * run's data card to {@code card} unless it is null.
   */
  static void execute(RefineryConfig config, List<Stage> stages, PrintStream out, boolean summary, File card) {
    SparkSession spark = SparkSessions.create(config, "refinery " + stageNames(stages));
    try {
      Warehouse warehouse = Warehouse.open(spark, config);
      String runId = config.getString("run.id");
      StageContext ctx = new StageContext(spark, config, warehouse, runId);
      Pipeline.discover().run(ctx, stages, line -> System.err.println("refinery: " + line));
      if (summary) {
        out.print(RunSummary.of(warehouse, runId));
      }
      if (card != null) {
        ReportCommand.write(warehouse, runId, config, card, out);
      }
    } catch (IOException e) {
      throw new RefineryException("cannot write the data card " + card + ": " + e.getMessage());
    } finally {
      spark.stop();
    }
  }

  private static String stageNames(List<Stage> stages) {
    return String.join(",", stages.stream().map(Stage::name).toList());
  }
}
