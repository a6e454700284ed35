package dev.refinery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refinery run} in a child JVM halted (as kill -9: no shutdown hook, no cleanup) inside a Spark task
 * of the dedup stage, while that stage is writing its first table (rejects, which already holds this run's
 * ingest and quality rows): nothing half-written is visible, earlier stages' tables are intact, and a re-run
 * of the stage completes it.
 */
class HardKillTest {
  @TempDir
  static Path tmp;
  private static SparkSession spark;
  private static ChildJvm.Result killed;
  private static Path warehouse;
  private static Path corpus;

  @BeforeAll
  static void killMidStage() throws Exception {
    corpus = ItSupport.smallCorpus(tmp.resolve("corpus"));
    warehouse = tmp.resolve("warehouse");
    List<String> args = new ArrayList<>(List.of("run", "--set", "warehouse.root=" + warehouse,
        "--set", "pipeline.stages=[\"ingest\", \"quality\", \"dedup\"]", "--set", "failpoints.\"dedup.task\"=exit"));
    for (String s : ItSupport.baseSettings(corpus)) {
      args.add("--set");
      args.add(s);
    }
    args.addAll(ChildJvm.smallSpark());
    killed = ChildJvm.refinery(tmp.resolve("child"), "1500m", 400, Map.of(), args);
    System.out.printf("it: child JVM halted mid-dedup after %.1f s%n", killed.millis() / 1000.0);
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void haltLeavesNoHalfWrittenTableAndARerunCompletesTheStage() {
    assertEquals(137, killed.exitCode(), "halted by the failpoint; stderr: " + ChildJvm.tail(killed.stderr()));
    assertTrue(killed.stderr().contains("failpoint dedup.task: halting the JVM"));
    Warehouse wh = new Warehouse(spark, warehouse.toString());
    for (String t : wh.tables()) {
      wh.read(t).count(); // every table still reads
    }
    long documents = wh.count("documents", ItSupport.RUN_ID);
    long signals = wh.count("quality_signals", ItSupport.RUN_ID);
    assertTrue(documents >= 20 && signals == documents, "ingest and quality are intact: " + documents + "/" + signals);
    List<String> stagesWithRejects = stagesIn(wh.readRun("rejects", ItSupport.RUN_ID));
    assertFalse(stagesWithRejects.contains("dedup"), "no rows of the halted dedup write are visible");
    assertTrue(stagesWithRejects.contains("ingest"), "earlier rows of the table being written survive");
    assertFalse(wh.exists("dedup_clusters"), "dedup wrote no table before the halt");
    assertEquals(List.of("ingest", "quality"), stagesIn(wh.readRun("stage_stats", ItSupport.RUN_ID)));

    RefineryConfig config = ItSupport.config(warehouse, corpus);
    ItSupport.run(spark, config, List.of("dedup"));
    List<String> kept = WarehouseSnapshot.docIds(spark, warehouse.toString(), "documents_kept", ItSupport.RUN_ID);
    List<String> clustered = WarehouseSnapshot.docIds(spark, warehouse.toString(), "dedup_clusters", ItSupport.RUN_ID);
    assertEquals(kept, clustered, "every kept document clustered exactly once after the re-run");
    assertEquals(clustered.size(), new HashSet<>(clustered).size());
  }

  private static List<String> stagesIn(org.apache.spark.sql.Dataset<Row> rows) {
    return rows.select("stage").distinct().orderBy("stage").collectAsList().stream().map(r -> r.getString(0)).toList();
  }
}
