package dev.refinery.mixing.report;

import static org.apache.spark.sql.functions.sum;

import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.mixing.MixingStage;
import dev.refinery.mixing.spark.MixtureReport;
import dev.refinery.report.CardSection;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.report.DatasetCharts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The card's "Mixture" section: shares by domain and language, and target versus achieved per cell. */
public final class MixtureSection implements CardSection {
  @Override
  public String table() {
    return MixingStage.MIXTURE;
  }

  @Override
  public DataCard.Section build(Warehouse warehouse, String runId) {
    Dataset<Row> m = warehouse.readRun(MixingStage.MIXTURE, runId);
    List<String> cols = Arrays.asList(m.columns());
    List<Chart> charts = new ArrayList<>();
    boolean tokens = cols.contains("tokens");
    for (String dim : List.of("domain", "lang")) {
      if (cols.contains(dim)) {
        Dataset<Row> g = tokens ? m.groupBy(dim).agg(sum("tokens").as("count")) : m.groupBy(dim).count();
        charts.add(DatasetCharts.shares("Mixture share by " + dim + (tokens ? " (tokens)" : " (documents)"), g));
      }
    }
    String html = "";
    if (warehouse.exists(MixtureReport.TABLE)) {
      Dataset<Row> rep = warehouse.readRun(MixtureReport.TABLE, runId).drop(Warehouse.RUN_ID);
      List<List<String>> rows = new ArrayList<>();
      for (Row r : rep.limit(200).collectAsList()) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          cells.add(String.valueOf(r.get(i)));
        }
        rows.add(cells);
      }
      html = "<h3>Target versus achieved</h3>" + DataCard.table(Arrays.asList(rep.columns()), rows);
    }
    return new DataCard.Section("Mixture", html, charts);
  }
}
