package dev.refinery.mixing.labels;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.io.File;
import java.util.Arrays;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A learned topic (domain) classifier: CJK-aware words, hashed TF-IDF and multinomial logistic regression
 * (Spark MLlib), trained on the user's labelled examples. It labels only documents no URL rule matched, and
 * only when its probability reaches {@code min-confidence}; the label's origin says it came from the model.
 */
public final class TopicClassifier {
  public static final String ORIGIN = "model:topic-classifier";
  /** A CJK/Thai character alone, or a run of letters and digits (as core's WordSplitter). */
  static final String WORD_PATTERN =
      "[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsThai}]|[\\p{L}\\p{N}\\p{M}]+";
  private static final String WORDS = "_topic_words";
  private static final String TF = "_topic_tf";
  private static final String FEATURES = "_topic_features";
  private static final String LABEL = "_topic_label";
  private static final String PREDICTION = "_topic_prediction";
  private static final String PROBABILITY = "_topic_probability";
  private static final String RAW = "_topic_raw";
  private static final String PREDICTED_DOMAIN = "_topic_domain";

  private final PipelineModel model;
  private final double minConfidence;

  private TopicClassifier(PipelineModel model, double minConfidence) {
    this.model = model;
    this.minConfidence = minConfidence;
  }

  /** Whether {@code mixing.domains.classifier.examples} names a file. */
  public static boolean configured(RefineryConfig config) {
    return !config.getString("mixing.domains.classifier.examples").isBlank();
  }

  /** Checks the classifier keys (before any stage writes). */
  public static void validate(RefineryConfig config) {
    String path = config.getString("mixing.domains.classifier.examples").trim();
    if (!path.isEmpty() && !new File(path).exists()) {
      throw new RefineryException("mixing.domains.classifier.examples = " + path
          + " does not exist; give a JSON-lines file of {\"text\", \"domain\"} or \"\" for rules only");
    }
    double conf = config.getDouble("mixing.domains.classifier.min-confidence");
    if (!(conf >= 0 && conf <= 1)) {
      throw new RefineryException("mixing.domains.classifier.min-confidence must be in [0, 1], got " + conf);
    }
    if (config.getInt("mixing.domains.classifier.features") < 16) {
      throw new RefineryException("mixing.domains.classifier.features must be at least 16");
    }
  }

  /** Trains on the JSON-lines examples named in the configuration. */
  public static TopicClassifier train(SparkSession spark, RefineryConfig config) {
    String path = config.getString("mixing.domains.classifier.examples").trim();
    Dataset<Row> examples;
    try {
      examples = spark.read().json(path).select(col("text").cast("string"), col("domain").cast("string"))
          .where(col("text").isNotNull().and(col("domain").isNotNull()));
    } catch (Exception e) {
      throw new RefineryException("mixing.domains.classifier.examples = " + path
          + ": cannot read {\"text\", \"domain\"} JSON lines: " + e.getMessage());
    }
    return train(examples, config);
  }

  /** Trains on a frame of (text, domain). */
  public static TopicClassifier train(Dataset<Row> examples, RefineryConfig config) {
    StringIndexerModel indexer = new StringIndexer().setInputCol("domain").setOutputCol(LABEL).fit(examples);
    String[] labels = indexer.labelsArray()[0];
    if (labels.length < 2) {
      throw new RefineryException("mixing.domains.classifier.examples need at least two domains, found "
          + Arrays.toString(labels));
    }
    PipelineStage[] stages = {
        new RegexTokenizer().setInputCol("text").setOutputCol(WORDS).setGaps(false).setPattern(WORD_PATTERN)
            .setToLowercase(true),
        new HashingTF().setInputCol(WORDS).setOutputCol(TF)
            .setNumFeatures(config.getInt("mixing.domains.classifier.features")),
        new IDF().setInputCol(TF).setOutputCol(FEATURES),
        new LogisticRegression().setFeaturesCol(FEATURES).setLabelCol(LABEL).setPredictionCol(PREDICTION)
            .setProbabilityCol(PROBABILITY).setRawPredictionCol(RAW).setFamily("multinomial")
            .setMaxIter(config.getInt("mixing.domains.classifier.max-iterations"))
            .setRegParam(config.getDouble("mixing.domains.classifier.regularization")),
        new IndexToString().setInputCol(PREDICTION).setOutputCol(PREDICTED_DOMAIN).setLabels(labels)};
    PipelineModel model = new Pipeline().setStages(stages).fit(indexer.transform(examples));
    return new TopicClassifier(model, config.getDouble("mixing.domains.classifier.min-confidence"));
  }

  /**
   * Relabels rows whose {@code originCol} is the default origin when the model is confident enough; sets
   * the origin to {@link #ORIGIN} and the score to the predicted probability. Other rows are unchanged.
   */
  public Dataset<Row> relabel(Dataset<Row> rows, String domainCol, String originCol, String scoreCol) {
    Dataset<Row> scored = model.transform(rows)
        .withColumn("_topic_score", array_max(functions.vector_to_array(col(PROBABILITY), "float64")));
    var take = col(originCol).equalTo(lit(DomainLabel.DEFAULT_ORIGIN)).and(col("_topic_score").geq(minConfidence));
    return scored
        .withColumn(domainCol, when(take, col(PREDICTED_DOMAIN)).otherwise(col(domainCol)))
        .withColumn(scoreCol, when(take, col("_topic_score")).otherwise(col(scoreCol)))
        .withColumn(originCol, when(take, lit(ORIGIN)).otherwise(col(originCol)))
        .drop(WORDS, TF, FEATURES, PREDICTION, PROBABILITY, RAW, PREDICTED_DOMAIN, "_topic_score");
  }
}
