package dev.refinery.models.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Pre-token frequencies of a text column counted by Spark (split on executors, summed by a
 * shuffle), so BPE training reads a corpus table of any size; only the distinct pre-tokens with
 * at least {@code minCount} occurrences come back to the driver.
 */
public final class SparkPreTokenCounts {
  private SparkPreTokenCounts() {}

  public static Map<String, Long> count(Dataset<Row> table, String textColumn, long minCount) {
    Dataset<String> words =
        table
            .select(functions.col(textColumn))
            .where(functions.col(textColumn).isNotNull())
            .as(Encoders.STRING())
            .flatMap(new Split(), Encoders.STRING());
    List<Row> rows = words.groupBy("value").count().where(functions.col("count").geq(minCount)).collectAsList();
    Map<String, Long> counts = new HashMap<>(rows.size() * 2);
    for (Row r : rows) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }

  /** A named class, not a lambda, so it serialises to executors without capturing anything. */
  private static final class Split implements FlatMapFunction<String, String> {
    @Override
    public java.util.Iterator<String> call(String text) {
      return PreTokenizer.split(text).iterator();
    }
  }
}
