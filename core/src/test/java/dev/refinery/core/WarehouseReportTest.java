package dev.refinery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
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
  void cardHasAChartPerAvailableMeasureAndInlinesChartJs(@TempDir Path dir) {
    Warehouse w = new Warehouse(spark, dir.toString());
    StructType docs = new StructType().add("doc_id", DataTypes.StringType).add("lang", DataTypes.StringType)
        .add("text", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create("a", "en", "hello world"), RowFactory.create("b", "zh", "你好世界"),
        RowFactory.create("c", "en", "x".repeat(5000)));
    w.write(spark.createDataFrame(rows, docs), "documents", "r");
    new StageStats("ingest", new Timestamp(0), 1200, 4, 3, Map.of("binary junk", 1L)).write(w, "r");
    StructType tm = new StructType().add("step", DataTypes.LongType).add("loss", DataTypes.DoubleType)
        .add("val_loss", DataTypes.DoubleType);
    w.write(spark.createDataFrame(List.of(RowFactory.create(1L, 3.0, 3.1), RowFactory.create(2L, 2.5, null)), tm),
        "train_metrics", "r");

    String html = new WarehouseReport(w, "r").html();
    assertTrue(html.contains("Chart.js v4"), "Chart.js is inlined");
    assertTrue(html.contains("binary junk"));
    Matcher m = Pattern.compile("<canvas id=\"chart").matcher(html);
    int canvases = 0;
    while (m.find()) {
      canvases++;
    }
    // funnel flow + drops, timing, length histogram + languages, training curves
    assertEquals(6, canvases);
    assertTrue(html.contains("\"label\":\"val_loss\""));
  }
}
