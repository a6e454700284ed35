package dev.refinery.ingest.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import dev.refinery.core.Document;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.CardSection;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.report.DatasetCharts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The card's "Documents" section: lengths and languages of what ingest read. */
public final class DocumentsSection implements CardSection {
  @Override
  public String table() {
    return Document.TABLE;
  }

  @Override
  public DataCard.Section build(Warehouse warehouse, String runId) {
    Dataset<Row> docs = warehouse.readRun(Document.TABLE, runId);
    List<Chart> charts = new ArrayList<>();
    charts.add(DatasetCharts.histogramLog10("Document length (characters, log10 buckets)",
        docs.select(length(col(Document.TEXT)).cast("double").as("v"))));
    if (Arrays.asList(docs.columns()).contains(Document.LANG)) {
      charts.add(DatasetCharts.categories("Documents per language", docs.groupBy(Document.LANG).count(), 20));
    }
    return new DataCard.Section("Documents", "", charts);
  }
}
