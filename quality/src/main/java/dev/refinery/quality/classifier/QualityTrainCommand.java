package dev.refinery.quality.classifier;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Warehouse;
import java.io.IOException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code refinery quality-train}: trains the quality classifier from {@code quality.classifier.train.good}
 * and {@code .bad}, prints ROC AUC and F1 on the held-out split and saves the model to
 * {@code quality.classifier.train.output} (point {@code quality.classifier.model} at it to score).
 */
public final class QualityTrainCommand implements Command {
  @Override
  public String name() {
    return "quality-train";
  }

  @Override
  public String summary() {
    return "train the learned quality classifier from good/bad examples; prints ROC AUC and F1 on a held-out split";
  }

  @Override
  public int run(CommandLine cli) throws IOException {
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery quality-train");
    try {
      Evaluated r = train(spark, config);
      System.out.printf("quality classifier: %d train, %d test examples; ROC AUC %.4f, F1 %.4f "
              + "(precision %.4f, recall %.4f); saved to %s%n", r.evaluation().trainRows(),
          r.evaluation().testRows(), r.evaluation().rocAuc(), r.evaluation().f1(), r.evaluation().precision(),
          r.evaluation().recall(), r.output());
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** What training produced: the evaluation and where the model was saved. */
  public record Evaluated(QualityClassifierTrainer.Evaluation evaluation, String output) {}

  /** Trains, evaluates and saves as configured (also used by tests and notebooks). */
  public static Evaluated train(SparkSession spark, RefineryConfig config) throws IOException {
    String base = "quality.classifier.train.";
    Warehouse wh = Warehouse.open(spark, config);
    Dataset<Row> good = LabelledExamples.read(spark, wh, config.getStringList(base + "good"),
        config.getString(base + "good-label"));
    Dataset<Row> bad = LabelledExamples.read(spark, wh, config.getStringList(base + "bad"),
        config.getString(base + "bad-label"));
    QualityClassifierTrainer.Trained t = new QualityClassifierTrainer(config.getInt(base + "num-features"),
        config.getDouble(base + "reg-param"), config.getInt(base + "max-iter")).train(good, bad, config.getDouble(base + "test-fraction"),
        config.getLong(base + "seed"));
    String output = config.getString(base + "output");
    t.classifier().model().write().overwrite().save(output);
    return new Evaluated(t.evaluation(), output);
  }
}
