package dev.refinery.dedup.report;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.dedup.DedupJob;
import dev.refinery.report.CardSection;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.report.DatasetCharts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The card's "Duplicates" section: clusters by size and documents removed per method. */
public final class DuplicatesSection implements CardSection {
  @Override
  public String table() {
    return DedupJob.CLUSTERS;
  }

  @Override
  public DataCard.Section build(Warehouse warehouse, String runId) {
    Dataset<Row> d = warehouse.readRun(DedupJob.CLUSTERS, runId);
    List<String> labels = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (Row r : d.groupBy("cluster_id").count().groupBy(col("count").as("size")).count().orderBy("size")
        .collectAsList()) {
      labels.add(String.valueOf(r.getLong(0)));
      counts.add(r.getLong(1));
    }
    List<Chart> charts = new ArrayList<>();
    charts.add(Chart.bar("Duplicate clusters by size (documents per cluster)", labels).series("clusters", counts)
        .logScale());
    charts.add(DatasetCharts.categories("Documents removed per method",
        d.where(col("is_duplicate")).groupBy("method").count(), 10));
    return new DataCard.Section("Duplicates", "", charts);
  }
}
