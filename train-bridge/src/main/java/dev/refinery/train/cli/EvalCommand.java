package dev.refinery.train.cli;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.eval.EvalJob;
import dev.refinery.train.eval.EvalRequest;
import dev.refinery.train.eval.EvalResult;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** {@code refinery eval --model DIR [--adapter DIR]}: the tasks of {@code eval.tasks} into eval_results. */
public final class EvalCommand implements Command {
  @Override
  public String name() {
    return "eval";
  }

  @Override
  public String summary() {
    return "evaluate a model (perplexity, bits per byte, multiple choice) into eval_results";
  }

  @Override
  public String usage() {
    return "refinery eval --model DIR [--adapter DIR] [--conf FILE]... [--set key=value]...";
  }

  @Override
  public int run(CommandLine cli) {
    RefineryConfig config = cli.config();
    List<String> args = cli.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--model") || a.equals("--adapter")) && i + 1 < args.size()) {
        config = config.with("eval." + a.substring(2), args.get(++i));
      } else {
        throw new RefineryException("eval: unknown argument '" + a + "'; " + usage());
      }
    }
    EvalRequest request = EvalRequest.from(config);
    SparkSession spark = SparkSessions.create(config, "refinery eval");
    try {
      Warehouse wh = Warehouse.open(spark, config);
      StageContext ctx = new StageContext(spark, config, wh, config.getString("run.id"));
      EvalJob.validate(ctx, request);
      wh.checkWritable();
      List<EvalResult> rows = EvalJob.run(ctx, request);
      System.out.printf("%-20s %-14s %-12s %-8s %14s %8s%n", "task", "metric", "domain", "language", "value", "n");
      for (EvalResult r : rows.stream().sorted(java.util.Comparator.comparing(EvalResult::task)
          .thenComparing(EvalResult::domain).thenComparing(EvalResult::language).thenComparing(EvalResult::metric))
          .toList()) {
        System.out.printf("%-20s %-14s %-12s %-8s %14.6f %8d%n", r.task(), r.metric(), r.domain(), r.language(),
            r.value(), r.n());
      }
      System.out.println("eval of " + request.name() + " done: " + rows.size() + " rows in " + EvalResult.TABLE
          + " (run " + ctx.runId() + ")");
      return 0;
    } finally {
      spark.stop();
    }
  }
}
