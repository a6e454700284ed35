package dev.refinery.quality.classifier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains the quality classifier from good and bad example texts: words and word bigrams (CJK characters
 * and character pairs), hashed term frequencies weighted by IDF, logistic regression. Holds out a
 * stratified share of each class and reports ROC AUC and F1 (of the "good" class) on it.
 */
public final class QualityClassifierTrainer {
  public static final String LABEL = "label";

  private final int numFeatures;
  private final double regParam;
  private final int maxIter;

  public QualityClassifierTrainer(int numFeatures, double regParam, int maxIter) {
    this.numFeatures = numFeatures;
    this.regParam = regParam;
    this.maxIter = maxIter;
  }

  public record Evaluation(long trainRows, long testRows, double rocAuc, double f1, double precision,
      double recall) {}

  public record Trained(QualityClassifier classifier, Evaluation evaluation) {}

  /** {@code good} and {@code bad} need a {@code text} column. */
  public Trained train(Dataset<Row> good, Dataset<Row> bad, double testFraction, long seed) {
    Dataset<Row>[] g = good.select(col("text")).withColumn(LABEL, lit(1.0))
        .randomSplit(new double[] {1 - testFraction, testFraction}, seed);
    Dataset<Row>[] b = bad.select(col("text")).withColumn(LABEL, lit(0.0))
        .randomSplit(new double[] {1 - testFraction, testFraction}, seed);
    Dataset<Row> train = QualityClassifier.withTerms(g[0].union(b[0])).cache();
    Dataset<Row> test = QualityClassifier.withTerms(g[1].union(b[1])).cache();
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new RegexTokenizer().setInputCol(QualityClassifier.TERMS).setOutputCol("qc_words").setPattern("\\s+")
            .setToLowercase(false),
        new NGram().setN(2).setInputCol("qc_words").setOutputCol("qc_bigrams"),
        new SQLTransformer().setStatement("SELECT *, concat(qc_words, qc_bigrams) AS qc_all FROM __THIS__"),
        new HashingTF().setInputCol("qc_all").setOutputCol("qc_tf").setNumFeatures(numFeatures),
        new IDF().setInputCol("qc_tf").setOutputCol("qc_features"),
        new LogisticRegression().setFeaturesCol("qc_features").setLabelCol(LABEL).setRegParam(regParam)
            .setMaxIter(maxIter)});
    QualityClassifier model = new QualityClassifier(pipeline.fit(train));
    Evaluation e = evaluate(model, train.count(), test);
    train.unpersist();
    test.unpersist();
    return new Trained(model, e);
  }

  private static Evaluation evaluate(QualityClassifier model, long trainRows, Dataset<Row> test) {
    Dataset<Row> predicted = model.model().transform(test).cache();
    long n = predicted.count();
    double auc = n == 0 ? Double.NaN : new BinaryClassificationEvaluator().setLabelCol(LABEL)
        .setRawPredictionCol("rawPrediction").setMetricName("areaUnderROC").evaluate(predicted);
    long tp = predicted.where("prediction = 1.0 AND label = 1.0").count();
    long fp = predicted.where("prediction = 1.0 AND label = 0.0").count();
    long fn = predicted.where("prediction = 0.0 AND label = 1.0").count();
    predicted.unpersist();
    double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return new Evaluation(trainRows, n, auc, f1, precision, recall);
  }
}
