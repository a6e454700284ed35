package dev.refinery.train.cli;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.trainer.DistillJob;
import dev.refinery.train.trainer.PretrainJob;
import dev.refinery.train.trainer.TrainSummary;
import org.apache.spark.sql.SparkSession;

/** {@code refinery train <kind>}: runs one trainer kind on the shards of a run (see {@code train.*}). */
public final class TrainCommand implements Command {
  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "train a model on the shards: train pretrain|distill";
  }

  @Override
  public String usage() {
    return "refinery train pretrain|distill [--conf FILE]... [--set key=value]...";
  }

  @Override
  public int run(CommandLine cli) {
    if (cli.args().size() != 1) {
      throw new RefineryException("usage: " + usage());
    }
    String kind = cli.args().get(0);
    if (!kind.equals("pretrain") && !kind.equals(DistillJob.KIND)) {
      throw new RefineryException("unknown trainer kind '" + kind + "'; this build trains: pretrain, distill");
    }
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery train " + kind);
    try {
      Warehouse wh = Warehouse.open(spark, config);
      wh.checkWritable();
      StageContext ctx = new StageContext(spark, config, wh, config.getString("run.id"));
      TrainSummary s = kind.equals(DistillJob.KIND) ? DistillJob.run(ctx) : PretrainJob.run(ctx);
      System.out.printf("train %s done: %d steps, train loss %.4f, val loss %.4f, %.0f tokens/s, checkpoints in %s%n",
          kind, s.steps(), s.trainLoss(), s.valLoss(), s.tokensPerSecond(), s.checkpointDir());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
