package dev.refinery.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The charts card sections draw from Spark datasets: top categories, shares and histograms. */
public final class DatasetCharts {
  private DatasetCharts() {}

  /** Bars of the {@code top} largest groups of {@code grouped} (columns: label, count). */
  public static Chart categories(String title, Dataset<Row> grouped, int top) {
    List<Row> rows = grouped.orderBy(desc("count")).limit(top).collectAsList();
    List<String> labels = rows.stream().map(r -> String.valueOf(r.get(0))).toList();
    List<Long> counts = rows.stream().map(r -> ((Number) r.get(1)).longValue()).toList();
    return Chart.bar(title, labels).series("documents", counts);
  }

  /** A doughnut of the 12 largest groups of {@code grouped} (columns: label, count). */
  public static Chart shares(String title, Dataset<Row> grouped) {
    List<Row> rows = grouped.orderBy(desc("count")).limit(12).collectAsList();
    return Chart.doughnut(title, rows.stream().map(r -> String.valueOf(r.get(0))).toList())
        .series("share", rows.stream().map(r -> ((Number) r.get(1)).longValue()).toList());
  }

  /** Counts of the positive values of column {@code v} in quarter-decade buckets. */
  public static Chart histogramLog10(String title, Dataset<Row> values) {
    List<Row> rows = values.where(col("v").gt(0)).groupBy(floor(log10(col("v")).multiply(4)).as("b")).count()
        .orderBy("b").collectAsList();
    List<String> labels = rows.stream().map(r -> String.format("≥%.0f", Math.pow(10, r.getLong(0) / 4.0))).toList();
    return Chart.bar(title, labels).series("documents", rows.stream().map(r -> r.getLong(1)).toList());
  }

  /** Counts of the values of column {@code v} in {@code buckets} equal-width buckets. */
  public static Chart histogram(String title, Dataset<Row> values, int buckets) {
    Row mm = values.agg(min("v"), max("v")).first();
    if (mm.isNullAt(0)) {
      return Chart.bar(title, List.of()).series("documents", List.of());
    }
    double lo = mm.getDouble(0);
    double width = Math.max(1e-9, (mm.getDouble(1) - lo) / buckets);
    List<Row> rows = values.where(col("v").isNotNull())
        .groupBy(least(floor(col("v").minus(lo).divide(width)), lit(buckets - 1)).as("b")).count().orderBy("b")
        .collectAsList();
    List<String> labels = rows.stream().map(r -> String.format("%.3g", lo + r.getLong(0) * width)).toList();
    return Chart.bar(title, labels).series("documents", rows.stream().map(r -> r.getLong(1)).toList());
  }
}
