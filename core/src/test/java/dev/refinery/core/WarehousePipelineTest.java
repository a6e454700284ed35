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
    public Set<String> inputs(RefineryConfig config) {
      return Set.of();
    }

    @Override
    public Set<String> outputs(RefineryConfig config) {
      return Set.of("numbers", "numbers_big");
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
  void keyedTablesArePartitionedByTheirKeysAndOlderUnpartitionedTablesStillReplaceTheirRows(@TempDir Path dir) {
    Warehouse w = new Warehouse(spark, dir.toString());
    StructType schema = new StructType().add("n", DataTypes.IntegerType);
    Dataset<Row> one = spark.createDataFrame(List.of(RowFactory.create(1)), schema);
    Dataset<Row> two = spark.createDataFrame(List.of(RowFactory.create(2), RowFactory.create(3)), schema);
    // a table made by writeKeyed: partitioned by its key columns, one partition's rows replaced at a time
    w.writeKeyed(one, "t", Map.of(Warehouse.RUN_ID, "r1", "kind", "a"));
    w.writeKeyed(one, "t", Map.of(Warehouse.RUN_ID, "r1", "kind", "b"));
    w.writeKeyed(two, "t", Map.of(Warehouse.RUN_ID, "r1", "kind", "a"));
    assertEquals(List.of("kind", "run_id"), partitionColumns(w, "t"));
    assertEquals(List.of("n", "kind", "run_id"), List.of(w.read("t").columns()));
    assertEquals(List.of(1, 2, 3), w.read("t").orderBy("n").select("n").as(org.apache.spark.sql.Encoders.INT())
        .collectAsList());
    assertEquals(2, w.read("t").where("kind = 'a'").count());
    // a table created unpartitioned (as warehouses before the partitioning were): it keeps its layout
    one.withColumn("kind", org.apache.spark.sql.functions.lit("a"))
        .withColumn(Warehouse.RUN_ID, org.apache.spark.sql.functions.lit("r1"))
        .write().format("delta").save(w.path("old"));
    w.writeKeyed(one, "old", Map.of(Warehouse.RUN_ID, "r1", "kind", "b"));
    w.writeKeyed(two, "old", Map.of(Warehouse.RUN_ID, "r1", "kind", "a"));
    w.appendKeyed(one, "old", Map.of(Warehouse.RUN_ID, "r2", "kind", "a"));
    assertEquals(List.of(), partitionColumns(w, "old"));
    assertEquals(2, w.read("old").where("run_id = 'r1' AND kind = 'a'").count());
    assertEquals(4, w.read("old").count());
  }

  private static List<Object> partitionColumns(Warehouse w, String table) {
    return io.delta.tables.DeltaTable.forPath(spark, w.path(table)).detail().select("partitionColumns").head()
        .getList(0);
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
      public void validate(StageContext ctx) {
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

  /** A stage that reads {@code in} and writes {@code out}, recording its name when it runs. */
  record TableStage(String name, String in, String out, List<String> ran) implements Stage {
    @Override
    public String description() {
      return "test stage";
    }

    @Override
    public Set<String> inputs(RefineryConfig config) {
      return in == null ? Set.of() : Set.of(in);
    }

    @Override
    public Set<String> outputs(RefineryConfig config) {
      return Set.of(out);
    }

    @Override
    public StageResult run(StageContext ctx) {
      ran.add(name);
      return new StageResult(0, 0, java.util.Map.of());
    }
  }

  @Test
  void pipelineOrdersStagesByTheTablesTheyReadAndWrite(@TempDir Path dir) {
    List<String> ran = new java.util.ArrayList<>();
    Stage a = new TableStage("a", null, "t1", ran);
    Stage b = new TableStage("b", "t1", "t2", ran);
    Stage c = new TableStage("c", "t2", "t3", ran);
    Stage free = new TableStage("free", null, "t4", ran);
    RefineryConfig cfg = TestSpark.config(dir.resolve("wh"));
    assertEquals(List.of(a, free, b, c), Pipeline.inRunOrder(List.of(c, a, free, b), cfg));
    StageContext ctx = new StageContext(spark, cfg, Warehouse.open(spark, cfg), "r");
    Pipeline.discover().run(ctx, List.of(c, b, a), s -> {});
    assertEquals(List.of("a", "b", "c"), ran);
    Stage loop = new TableStage("loop", "t3", "t1", ran);
    RefineryException cycle = assertThrows(RefineryException.class, () -> Pipeline.inRunOrder(List.of(a, b, c, loop), cfg));
    assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
  }

  @Test
  void aMissingInputStopsTheRunAndNamesWhatWritesIt(@TempDir Path dir) {
    List<String> ran = new java.util.ArrayList<>();
    RefineryConfig cfg = TestSpark.config(dir.resolve("wh"));
    StageContext ctx = new StageContext(spark, cfg, Warehouse.open(spark, cfg), "r");
    Stage reader = new TableStage("reader", "numbers", "t9", ran);
    RefineryException e = assertThrows(RefineryException.class, () -> Pipeline.discover().run(ctx, List.of(reader), s -> {}));
    assertTrue(e.getMessage().contains("stage reader reads table 'numbers'"), e.getMessage());
    assertTrue(ran.isEmpty());
    NumbersStage numbers = new NumbersStage();
    Pipeline.discover().run(ctx, List.of(reader, numbers), s -> {}); // numbers runs first and writes it
    assertEquals(1, numbers.runs);
    assertEquals(List.of("reader"), ran);
  }

  @Test
  void readingAMissingTableSaysWhichStageToRun(@TempDir Path dir) {
    Warehouse w = new Warehouse(spark, dir.toString());
    RefineryException e = assertThrows(RefineryException.class, () -> w.read("documents"));
    assertTrue(e.getMessage().contains("documents"));
  }
}
