package dev.refinery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Pipeline;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehousePipelineTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Writes three numbers, rejects one, defines a view. */
  static class NumbersStage implements Stage {
    int runs;

    @Override
    public String name() {
      return "numbers";
    }

    @Override
    public String description() {
      return "test stage";
    }

    @Override
    public int order() {
      return 1;
    }

    @Override
    public StageResult run(StageContext ctx) {
      runs++;
      StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("n", DataTypes.IntegerType);
      Dataset<Row> rows = ctx.spark().createDataFrame(
          List.of(RowFactory.create("a", 1), RowFactory.create("b", 2), RowFactory.create("c", 3)), schema);
      ctx.warehouse().write(rows, "numbers", ctx.runId());
      Dataset<Row> rej = ctx.spark().createDataFrame(
          List.of(RowFactory.create("d", "test", "not a number", Rejects.excerpt("x\u0000y"))), Rejects.SCHEMA);
      Rejects.write(ctx.warehouse(), ctx.runId(), name(), rej);
      ctx.warehouse().defineView("numbers_big", "SELECT * FROM numbers WHERE n >= 2");
      return new StageResult(4, 3, Map.of("not a number", 1L));
    }
  }

  @Test
  void rerunningARunReplacesItsRowsAndOtherRunsStay(@TempDir Path dir) {
    NumbersStage stage = new NumbersStage();
    for (String runId : List.of("r1", "r1", "r2", "r1")) {
      RefineryConfig cfg = TestSpark.config(dir, "run.id=" + runId);
      StageContext ctx = new StageContext(spark, cfg, Warehouse.open(spark, cfg), runId);
      Pipeline.discover().run(ctx, List.of(stage), s -> {});
    }
    Warehouse w = new Warehouse(spark, dir.toString());
    assertEquals(4, stage.runs);
    assertEquals(6, w.read("numbers").count());
    assertEquals(3, w.count("numbers", "r1"));
    assertEquals(2, w.count("numbers_big", "r1"));
    assertEquals(2, w.read(Rejects.TABLE).count());
    assertEquals(2, w.read(StageStats.TABLE).count());
    Row st = w.readRun(StageStats.TABLE, "r1").first();
    assertEquals(4L, st.getLong(st.fieldIndex("rows_in")));
    assertEquals(1L, st.<String, Long>getJavaMap(st.fieldIndex("drops")).get("not a number"));
    assertEquals(List.of("numbers", "rejects", "stage_stats"), w.tables());
    assertEquals(List.of("numbers_big"), w.views());
    Row rej = w.read(Rejects.TABLE).first();
    assertEquals("x\uFFFDy", rej.getString(rej.fieldIndex("excerpt")));
  }

  @Test
  void unwritableWarehouseStopsBeforeAnyStageRuns(@TempDir Path dir) throws Exception {
    java.io.File file = dir.resolve("a-file").toFile();
    assertTrue(file.createNewFile());
    RefineryConfig cfg = TestSpark.config(dir.resolve("a-file/wh"));
    NumbersStage stage = new NumbersStage();
    StageContext ctx = new StageContext(spark, cfg, Warehouse.open(spark, cfg), "r");
    RefineryException e = assertThrows(RefineryException.class,
        () -> Pipeline.discover().run(ctx, List.of(stage), s -> {}));
    assertTrue(e.getMessage().contains("not writable"), e.getMessage());
    assertEquals(0, stage.runs);
  }

  @Test
  void validationFailureStopsBeforeAnythingIsWritten(@TempDir Path dir) {
    Stage failing = new NumbersStage() {
      @Override
      public void validate(StageContext ctx, Set<String> upstream) {
        throw new RefineryException("input path /nope does not exist");
      }
    };
    NumbersStage first = new NumbersStage();
    RefineryConfig cfg = TestSpark.config(dir.resolve("wh"));
    StageContext ctx = new StageContext(spark, cfg, Warehouse.open(spark, cfg), "r");
    assertThrows(RefineryException.class, () -> Pipeline.discover().run(ctx, List.of(first, failing), s -> {}));
    assertEquals(0, first.runs);
    assertFalse(dir.resolve("wh").toFile().exists());
  }

  @Test
  void readingAMissingTableSaysWhichStageToRun(@TempDir Path dir) {
    Warehouse w = new Warehouse(spark, dir.toString());
    RefineryException e = assertThrows(RefineryException.class, () -> w.read("documents"));
    assertTrue(e.getMessage().contains("documents"));
  }
}
