package dev.refinery.quality.report;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.quality.QualityStage;
import dev.refinery.report.CardSection;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.report.DatasetCharts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;

/** The card's "Quality" section: score histograms and documents dropped per rule. */
public final class QualitySection implements CardSection {
  @Override
  public String table() {
    return QualityStage.TABLE;
  }

  @Override
  public DataCard.Section build(Warehouse warehouse, String runId) {
    Dataset<Row> q = warehouse.readRun(QualityStage.TABLE, runId);
    List<Chart> charts = new ArrayList<>();
    for (String c : q.columns()) {
      if (q.schema().apply(c).dataType() instanceof NumericType && c.endsWith("score")) {
        charts.add(DatasetCharts.histogram("Quality score: " + c, q.select(col(c).cast("double").as("v")), 20));
      }
    }
    Dataset<Row> rules = q.where(col("drop_rule").isNotNull()).groupBy("drop_rule").count();
    if (rules.count() > 0) {
      charts.add(DatasetCharts.categories("Documents dropped per quality rule", rules, 30));
    }
    return new DataCard.Section("Quality", "", charts);
  }
}
