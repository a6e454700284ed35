package dev.refinery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Failpoints;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TaskFailures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against one fault-free reference run of every stage (synth against a loopback endpoint): faults at the
 * start, middle and commit of each stage, task attempts that fail once, and two runs writing the same
 * warehouse at once all end in the reference's tables, row for row.
 */
class PipelineReliabilityTest {
  /** The failpoints per stage: start, a write that comes after the stage wrote something else, commit. */
  static final Map<String, List<String>> POINTS = new LinkedHashMap<>();
  static final List<String> CONCURRENT_STAGES = List.of("ingest", "quality", "dedup");
  /** Stages that call a failpoint inside their Spark tasks ({@code <stage>.task}). */
  static final Set<String> TASK_POINTS = Set.of("ingest", "quality", "dedup", "mixing", "shards");

  static {
    POINTS.put("ingest", List.of("ingest.start", "ingest.write.rejects", "ingest.commit"));
    POINTS.put("quality", List.of("quality.start", "quality.write.rejects", "quality.commit"));
    POINTS.put("dedup", List.of("dedup.start", "dedup.write.minhash_signatures", "dedup.commit"));
    POINTS.put("synth", List.of("synth.start", "synth.write.preferences", "synth.commit"));
    POINTS.put("mixing", List.of("mixing.start", "mixing.write.mixture_report", "mixing.commit"));
    POINTS.put("shards", List.of("shards.start", "shards.write.rejects", "shards.commit"));
  }

  /** Tables in which a doc_id may appear only once per run. */
  static final List<String> UNIQUE_DOC_IDS = List.of("documents", "quality_signals", "dedup_clusters",
      "minhash_signatures");

  @TempDir
  static Path tmp;
  private static SparkSession spark;
  private static TaskFailures taskFailures;
  private static FakeLlmServer llm;
  private static Path corpus;
  private static WarehouseSnapshot reference;
  private static List<String> referenceShards;

  @BeforeAll
  static void referenceRun() throws Exception {
    spark = ItSupport.sparkWithTaskRetries();
    taskFailures = new TaskFailures();
    spark.sparkContext().addSparkListener(taskFailures);
    llm = new FakeLlmServer();
    corpus = ItSupport.smallCorpus(tmp.resolve("corpus"));
    Path wh = tmp.resolve("reference");
    long t0 = System.nanoTime();
    ItSupport.run(spark, config(wh), ItSupport.STAGES);
    System.out.printf("it: fault-free run of all stages: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    reference = WarehouseSnapshot.of(spark, wh.toString(), ItSupport.RUN_ID);
    referenceShards = ItSupport.files(wh.resolve("_shards/" + ItSupport.RUN_ID));
  }

  @AfterAll
  static void stop() {
    llm.close();
    spark.stop();
  }

  static RefineryConfig config(Path warehouse, String... extra) {
    List<String> sets = new ArrayList<>(FakeLlmServer.synthSettings(llm.baseUrl()));
    sets.addAll(List.of(extra));
    return ItSupport.config(warehouse, corpus, sets.toArray(String[]::new));
  }

  @Test
  void referenceRunFillsEveryStageTable() {
    for (String t : List.of("documents", "rejects", "quality_signals", "dedup_clusters", "minhash_signatures",
        "instructions", "mixture", "mixture_report", "shard_manifest")) {
      assertNotNull(reference.rowsByTable().get(t), "table " + t + " missing: " + reference.rowsByTable().keySet());
    }
    assertTrue(reference.rowsByTable().get("documents").size() >= 20, "documents of the small corpus");
    assertTrue(reference.rowsByTable().get("instructions").size() >= 1, "synth wrote instructions");
    assertTrue(reference.rowsByTable().get("dedup_clusters").stream().anyMatch(r -> r.contains("is_duplicate=true")),
        "the corpus has duplicates, so the comparison covers dedup decisions");
    assertTrue(!referenceShards.isEmpty(), "shards were written");
  }

  /**
   * Per stage: a fault at start, one before a later table write, one at commit, each a separate attempt on
   * what the previous one left; then a clean re-run of the stage, in which every task's first attempt fails
   * (task-once) where the stage offers a task point. Then: the reference's tables, the reference's shard
   * files and nothing else, one stage_stats row per stage.
   */
  @Test
  void everyStageRecoversFromFaultsAtStartMiddleCommitAndFromFailedTasks() throws Exception {
    Path wh = tmp.resolve("faulted");
    long t0 = System.nanoTime();
    for (Map.Entry<String, List<String>> stage : POINTS.entrySet()) {
      for (String point : stage.getValue()) {
        try {
          ItSupport.run(spark, config(wh, "failpoints.\"" + point + "\"=throw"), List.of(stage.getKey()));
          fail("failpoint " + point + " did not fire");
        } catch (Failpoints.InjectedFault expected) {
          assertTrue(expected.getMessage().contains(point), expected.getMessage());
        }
        everyTableReads(wh);
      }
      String taskPoint = stage.getKey() + ".task";
      taskFailures.reset();
      ItSupport.run(spark, TASK_POINTS.contains(stage.getKey())
          ? config(wh, "failpoints.\"" + taskPoint + "\"=task-once") : config(wh), List.of(stage.getKey()));
      if (TASK_POINTS.contains(stage.getKey())) {
        assertTrue(taskFailures.injected(1) >= 1, taskPoint + " failed no task attempt");
      }
    }
    System.out.printf("it: %d faults and %d recoveries (%d with failing tasks): %.1f s%n",
        POINTS.values().stream().mapToInt(List::size).sum(), POINTS.size(), TASK_POINTS.size(),
        (System.nanoTime() - t0) / 1e9);
    assertSameAsReference(wh, ItSupport.RUN_ID, ItSupport.STAGES);
    assertEquals(referenceShards, ItSupport.files(wh.resolve("_shards/" + ItSupport.RUN_ID)),
        "same shard files, no leftovers of failed attempts");
    List<Row> stats = new Warehouse(spark, wh.toString()).readRun("stage_stats", ItSupport.RUN_ID).collectAsList();
    Set<String> stagesRecorded = new HashSet<>();
    stats.forEach(r -> stagesRecorded.add(r.getString(r.fieldIndex("stage"))));
    assertEquals(ItSupport.STAGES.size(), stats.size(), "one stage_stats row per stage, none from failed attempts");
    assertEquals(new HashSet<>(ItSupport.STAGES), stagesRecorded);
  }

  /**
   * Two runs (different run ids) of ingest, quality and dedup into one warehouse at the same time, from two
   * threads of one session (so both write documents, rejects, quality_signals, dedup_clusters, stage_stats
   * concurrently): each either succeeds or fails with Delta's concurrent-modification error; a failed one
   * succeeds when run again alone. Then every table reads and each run holds exactly the reference's rows.
   */
  @Test
  void twoRunsWritingOneWarehouseAtOnceNeverCorruptIt() throws Exception {
    Path wh = tmp.resolve("concurrent");
    List<String> runs = List.of("c1", "c2");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    long t0 = System.nanoTime();
    Map<String, Future<?>> futures = new LinkedHashMap<>();
    for (String r : runs) {
      // incremental dedup would (rightly) mark the second run's documents as duplicates of the first's
      futures.put(r, pool.submit(() -> ItSupport.run(spark, config(wh, "run.id=" + r, "dedup.incremental=false"),
          CONCURRENT_STAGES)));
    }
    List<String> retried = new ArrayList<>();
    for (Map.Entry<String, Future<?>> f : futures.entrySet()) {
      try {
        f.getValue().get();
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(isConcurrentModification(e.getCause()), "a concurrent run failed, but not with Delta's "
            + "concurrent-modification error: " + e.getCause());
        retried.add(f.getKey());
      }
    }
    pool.shutdown();
    everyTableReads(wh);
    for (String r : retried) {
      ItSupport.run(spark, config(wh, "run.id=" + r, "dedup.incremental=false"), CONCURRENT_STAGES);
    }
    System.out.printf("it: two concurrent runs: %.1f s; failed with a concurrent-modification error and re-run: %s%n",
        (System.nanoTime() - t0) / 1e9, retried);
    for (String r : runs) {
      assertSameAsReference(wh, r, CONCURRENT_STAGES);
    }
  }

  private static boolean isConcurrentModification(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof io.delta.exceptions.DeltaConcurrentModificationException
          || c instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException
          || c.getClass().getName().startsWith("io.delta.exceptions.Concurrent")) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** The run's rows equal the reference's in every table the given stages write (rejects: of those stages). */
  private static void assertSameAsReference(Path wh, String runId, List<String> stages) {
    WarehouseSnapshot after = WarehouseSnapshot.of(spark, wh.toString(), runId);
    for (String t : after.rowsByTable().keySet()) {
      List<String> expected = reference.rowsByTable().get(t);
      if (t.equals("rejects")) {
        expected = expected.stream().filter(r -> stages.stream().anyMatch(s -> r.contains("stage=" + s))).toList();
      }
      assertEquals(expected, after.rowsByTable().get(t), "table " + t + " of run " + runId);
    }
    if (stages.equals(ItSupport.STAGES)) {
      assertEquals(reference.rowsByTable().keySet(), after.rowsByTable().keySet(), "same tables");
    }
    for (String t : UNIQUE_DOC_IDS) {
      List<String> ids = WarehouseSnapshot.docIds(spark, wh.toString(), t, runId);
      assertEquals(ids.size(), new HashSet<>(ids).size(), "no doc_id twice in " + t);
    }
  }

  /** A crash may leave a table without this run's rows, but never one that cannot be read. */
  static void everyTableReads(Path root) {
    Warehouse wh = new Warehouse(spark, root.toString());
    for (String t : wh.tables()) {
      wh.read(t).count();
    }
  }
}
