package dev.refinery.train.cli;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.trainer.ModelFolders;
import dev.refinery.train.trainer.TrainSummary;
import dev.refinery.train.trainer.TrainerKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code refinery train <kind>}: runs one trainer kind (see {@link TrainerKind} and {@code train.*});
 * {@code --export hf} then writes the trained model as a Hugging Face folder (checked before training starts).
 */
public final class TrainCommand implements Command {
  private static final String PROFILE = "--profile";
  private static final String EXPORT = "--export";

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "train a model: train " + TrainerKind.names();
  }

  @Override
  public String usage() {
    return "refinery train " + TrainerKind.names() + " [--profile] [--export hf] [--conf FILE]... [--set key=value]...";
  }

  @Override
  public int run(CommandLine cli) throws java.io.IOException {
    List<String> args = new ArrayList<>(cli.args());
    args.remove(PROFILE);
    boolean exportHf = false;
    int export = args.indexOf(EXPORT);
    if (export >= 0) {
      if (export + 1 >= args.size() || !args.get(export + 1).equals("hf")) {
        throw new RefineryException("--export takes the format to write: --export hf (a Hugging Face folder)");
      }
      args.subList(export, export + 2).clear();
      exportHf = true;
    }
    if (args.size() != 1) {
      throw new RefineryException("usage: " + usage());
    }
    String id = args.get(0);
    TrainerKind kind = TrainerKind.byId(id).orElseThrow(() -> new RefineryException("unknown trainer kind '" + id
        + "'; this build trains: " + TrainerKind.names()));
    // --profile: per-phase milliseconds per step printed with the progress lines (train.profile)
    RefineryConfig config = cli.args().contains(PROFILE) ? cli.config().with("train.profile", "true") : cli.config();
    if (exportHf) {
      ModelFolders.checkHuggingFaceExport(kind, config);
    }
    SparkSession spark = SparkSessions.create(config, "refinery train " + id);
    try {
      Warehouse wh = Warehouse.open(spark, config);
      wh.checkWritable();
      TrainSummary s = kind.run(new StageContext(spark, config, wh, config.getString("run.id")));
      // a validation split with no full batch (the demo's is empty) has no loss: say so rather than print NaN
      String val = Double.isNaN(s.valLoss()) ? "no val loss (the validation split holds no full batch)"
          : String.format("val loss %.4f", s.valLoss());
      System.out.printf("train %s done: %d steps, train loss %.4f, %s, %.0f tokens/s, output in %s%n",
          id, s.steps(), s.trainLoss(), val, s.tokensPerSecond(), s.checkpointDir());
      if (exportHf) {
        String hf = ModelFolders.exportHuggingFace(kind, config, s.checkpointDir(), spark.sparkContext().hadoopConfiguration());
        System.out.println("Hugging Face folder (transformers, vLLM): " + hf);
      }
      return 0;
    } finally {
      spark.stop();
    }
  }
}
