package dev.refinery.quality.classifier;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.RefineryException;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * A trained quality classifier (a Spark ML pipeline over {@link QualityFeatures}): scores documents
 * with the probability that they are "good", as a signal column that rules can threshold.
 */
public final class QualityClassifier {
  static final String TERMS = "qc_terms";
  static final int MAX_CHARS = 20_000;
  private final PipelineModel model;

  QualityClassifier(PipelineModel model) {
    this.model = model;
  }

  public static boolean exists(SparkSession spark, String path) {
    try {
      Path p = new Path(path, "metadata");
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      return false;
    }
  }

  public static QualityClassifier load(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      throw new RefineryException("no quality classifier at " + path + "; train one with `refinery quality-train`");
    }
    return new QualityClassifier(PipelineModel.load(path));
  }

  /** The terms column the pipeline reads, computed from {@code text}. */
  static Dataset<Row> withTerms(Dataset<Row> docs) {
    UserDefinedFunction terms = org.apache.spark.sql.functions.udf(
        (UDF1<String, String>) t -> QualityFeatures.terms(t, MAX_CHARS), DataTypes.StringType);
    return docs.withColumn(TERMS, terms.apply(col("text")));
  }

  /** {@code docs} plus {@code column}: P(good) per document. */
  public Dataset<Row> score(Dataset<Row> docs, String column) {
    String[] keep = docs.columns();
    Dataset<Row> scored = model.transform(withTerms(docs));
    Column[] out = new Column[keep.length + 1];
    for (int i = 0; i < keep.length; i++) {
      out[i] = col(keep[i]);
    }
    out[keep.length] = functions.vector_to_array(col("probability"), "float64").getItem(1).as(column);
    return scored.select(out);
  }

  public PipelineModel model() {
    return model;
  }
}
