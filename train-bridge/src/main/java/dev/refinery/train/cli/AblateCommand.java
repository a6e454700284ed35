package dev.refinery.train.cli;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.ablate.AblationJob;
import dev.refinery.train.ablate.AblationResults;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** {@code refinery ablate}: the data variants of {@code ablate.*}, each through the pipeline, training and evaluation. */
public final class AblateCommand implements Command {
  @Override
  public String name() {
    return "ablate";
  }

  @Override
  public String summary() {
    return "data ablation: each ablate.variants entry through the pipeline, the same model trained and evaluated on it";
  }

  @Override
  public int run(CommandLine cli) {
    if (!cli.args().isEmpty()) {
      throw new RefineryException("usage: " + usage());
    }
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery ablate");
    try {
      Warehouse wh = Warehouse.open(spark, config);
      AblationJob job = new AblationJob(new StageContext(spark, config, wh, config.getString("ablate.name")),
          line -> System.err.println("refinery: " + line));
      List<AblationResults.Result> results = job.run();
      System.out.print(AblationResults.text(results));
      System.out.println("ablation " + job.settings().name() + ": rows in " + AblationResults.TABLE
          + "; data card: refinery report --run " + job.settings().name());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
