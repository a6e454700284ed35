package dev.refinery.train.eval;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@code eval_results} (run_id and model are added by the write): a metric of a task over {@code n}
 * items (documents, sequences or questions), for one domain and language ("all" where not broken down).
 */
public record EvalResult(String task, String metric, double value, long n, String domain, String language) {
  public static final String TABLE = "eval_results";
  public static final String ALL = "all";
  public static final StructType SCHEMA = new StructType()
      .add("task", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("n", DataTypes.LongType, false)
      .add("domain", DataTypes.StringType, false)
      .add("language", DataTypes.StringType, false);

  public Row toRow() {
    return RowFactory.create(task, metric, value, n, domain, language);
  }
}
