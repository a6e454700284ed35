package dev.refinery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.warehouse.Runs;
import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.DataCard;
import dev.refinery.report.DatasetCharts;
import dev.refinery.report.WarehouseReport;
import dev.refinery.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseReportTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void cardShowsRunsFunnelDropsApartFromCountersAndInlinesChartJs(@TempDir Path dir) {
    Warehouse w = new Warehouse(spark, dir.toString());
    StructType docs = new StructType().add("doc_id", DataTypes.StringType).add("lang", DataTypes.StringType)
        .add("text", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create("a", "en", "hello world"), RowFactory.create("b", "zh", "你好世界"),
        RowFactory.create("c", "en", "x".repeat(5000)));
    w.write(spark.createDataFrame(rows, docs), "documents", "r");
    new StageStats("ingest", new Timestamp(0), 1200, 4, 3, Map.of("binary junk", 1L), Map.of()).write(w, "r");
    new StageStats("quality", new Timestamp(2000), 900, 3, 2, Map.of("too_short", 1L),
        Map.of("matches:too_short", 1L, "pii:email", 2L)).write(w, "r");
    new StageStats("ingest", new Timestamp(10_000), 100, 1, 1, Map.of(), Map.of()).write(w, "later");

    assertEquals(List.of("later", "r"), Runs.list(w).stream().map(Runs.Run::runId).toList());
    assertEquals("later", Runs.latest(w).orElseThrow());
    String html = new WarehouseReport(w, "r", RefineryConfig.defaultsOnly()).html();
    assertTrue(html.contains("Chart.js v4"), "Chart.js is inlined");
    assertTrue(html.contains("<td>binary junk</td>") && html.contains("<td>too_short</td>"), "drops are listed");
    String counters = html.substring(html.indexOf("<h3>Counters"));
    assertTrue(counters.contains("<td>pii:email</td>") && counters.contains("<td>matches:too_short</td>"));
    Matcher dropLabels = Pattern.compile("\"labels\":\\[[^\\]]*binary junk[^\\]]*]").matcher(html);
    assertTrue(dropLabels.find(), "drops are drawn");
    assertFalse(dropLabels.group().contains("pii:email"), "counters are not drawn as drops: " + dropLabels.group());
    assertTrue(html.contains("<td>r (this card)</td>") && html.contains("<td>later</td>"), "runs are listed");
    Matcher m = Pattern.compile("<canvas id=\"chart").matcher(html);
    int canvases = 0;
    while (m.find()) {
      canvases++;
    }
    // core's own charts: funnel flow + drops, timing (module sections come from the modules)
    assertEquals(3, canvases);
  }

  @Test
  void chartOfANullColumnIsLeftOffTheCard() {
    StructType schema = new StructType().add("v", DataTypes.DoubleType);
    List<Row> nulls = List.of(RowFactory.create((Object) null), RowFactory.create((Object) null));
    List<Row> values = List.of(RowFactory.create(0.5), RowFactory.create(0.9));
    DataCard card = new DataCard("t");
    card.add(new DataCard.Section("Quality", "", List.of(
        DatasetCharts.histogram("all null", spark.createDataFrame(nulls, schema), 20),
        DatasetCharts.histogram("some values", spark.createDataFrame(values, schema), 20))));
    String html = card.render();
    assertTrue(html.contains("aria-label=\"some values\""), "a chart with data is drawn");
    assertFalse(html.contains("all null"), "a chart of a null column is left off");
  }
}
