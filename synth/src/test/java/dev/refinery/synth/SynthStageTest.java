package dev.refinery.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.text.Hashing;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.synth.FakeOpenAiServer.Fault;
import dev.refinery.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generator end to end through the stage, against a well-behaved loopback server and against
 * fault-injecting ones: nothing lost, nothing paid twice, and the same tables as the fault-free run.
 */
class SynthStageTest {
  private static SparkSession spark;
  private static FakeOpenAiServer good;
  @TempDir
  static Path tmp;
  private static Path reference;
  private static StageResult referenceResult;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    good = FakeOpenAiServer.wellBehaved();
    reference = tmp.resolve("reference");
    referenceResult = run(reference, good.baseUrl());
  }

  @AfterAll
  static void stop() {
    good.close();
    spark.stop();
  }

  private static RefineryConfig config(Path warehouse, String baseUrl, String... extra) {
    List<String> sets = new ArrayList<>(List.of(
        "synth.enabled=true",
        "synth.endpoint.base-url=" + baseUrl,
        "synth.endpoint.model=fake-model",
        "synth.endpoint.timeout=700ms",
        "synth.endpoint.backoff-initial=5ms",
        "synth.endpoint.backoff-max=20ms",
        "synth.endpoint.max-retries=4",
        "synth.endpoint.concurrency-per-executor=8",
        "synth.languages=[\"en\", \"zh\"]",
        "synth.generators=[\"self-instruct\", \"magpie\", \"evol-instruct\", \"distill\", \"preferences\"]",
        "synth.self-instruct.rounds=2",
        "synth.self-instruct.prompts-per-round=3",
        "synth.magpie.count=4",
        "synth.evol-instruct.max-roots=4",
        "synth.preferences.max-prompts=6",
        "synth.preferences.samples=3",
        "synth.preferences.min-margin=1",
        "synth.cache.batch-size=64",
        "synth.distill.inputs=[{path=\"" + TestSpark.sharedData("instruction-preference/llama-factory-demo/"
            + "alpaca_en_demo.json").getAbsolutePath() + "\", lang=en, limit=5}]",
        "decontamination.eval-sets=[\"" + TestSpark.sharedData(
            "instruction-preference/self-instruct/user_oriented_instructions.jsonl").getAbsolutePath() + "\"]"));
    sets.addAll(List.of(extra));
    return TestSpark.config(warehouse, sets.toArray(String[]::new));
  }

  private static StageResult run(Path warehouse, String baseUrl, String... extra) {
    RefineryConfig c = config(warehouse, baseUrl, extra);
    StageContext ctx = new StageContext(spark, c, Warehouse.open(spark, c), "r1");
    SynthStage stage = new SynthStage();
    stage.validate(ctx);
    return stage.run(ctx);
  }

  private static Warehouse warehouse(Path p) {
    return new Warehouse(spark, p.toAbsolutePath().toString());
  }

  /** The output tables as sorted strings, for comparing runs. */
  private static List<String> snapshot(Path p) {
    List<String> out = new ArrayList<>();
    for (String t : List.of("instructions", "preferences")) {
      warehouse(p).read(t).orderBy("id").collectAsList().forEach(r -> out.add(t + " " + r));
    }
    return out;
  }

  /** Cache rows holding an answer, as the server's body hashes. */
  private static Set<Long> cachedBodies(Path p) {
    return warehouse(p).read("llm_cache").where("error IS NULL").select("body").collectAsList().stream()
        .map(r -> Hashing.xxh64(r.getString(0))).collect(Collectors.toSet());
  }

  @Test
  void disabledByDefaultDoesNothingAndSaysSo() {
    RefineryConfig c = TestSpark.config(tmp.resolve("off"));
    StageContext ctx = new StageContext(spark, c, Warehouse.open(spark, c), "r1");
    SynthStage stage = new SynthStage();
    stage.validate(ctx);
    StageResult r = stage.run(ctx);
    assertEquals(0, r.rowsOut());
    assertTrue(r.drops().containsKey(SynthStage.SKIPPED));
    assertFalse(Files.exists(tmp.resolve("off/instructions")));
  }

  @Test
  void everyGeneratorProducesRowsAndExports() throws Exception {
    Warehouse w = warehouse(reference);
    Map<String, Long> perGenerator = new HashMap<>();
    for (Row r : w.read("instructions").groupBy("generator", "lang").count().collectAsList()) {
      perGenerator.merge(r.getString(0), r.getLong(2), Long::sum);
      perGenerator.merge(r.getString(0) + "/" + r.getString(1), r.getLong(2), Long::sum);
    }
    for (String g : List.of("self-instruct/en", "self-instruct/zh", "magpie/en", "magpie/zh",
        "evol-instruct/en", "evol-instruct/zh", "distill/en")) {
      assertTrue(perGenerator.getOrDefault(g, 0L) > 0, g + " made nothing: " + perGenerator);
    }
    Row msg = w.read("instructions").selectExpr("size(messages)", "messages[0].role", "messages[1].content = output")
        .first();
    assertEquals(2, msg.getInt(0));
    assertEquals("user", msg.getString(1));
    assertTrue(msg.getBoolean(2));
    assertTrue(w.read("instructions").where("generator = 'evol-instruct' AND parent_id IS NULL").isEmpty());
    long prefs = w.read("preferences").count();
    assertTrue(prefs > 0, "no preference pairs");
    assertTrue(w.read("preferences").where("chosen_score - rejected_score < 1").isEmpty());
    // rejects with reasons: truncated and refused answers, non-novel or contaminated instructions, ...
    Set<String> reasons = new HashSet<>(w.read("rejects").select("reason").distinct().collectAsList().stream()
        .map(r -> r.getString(0).split("[: ]")[0]).toList());
    assertTrue(reasons.contains("response-truncated") || reasons.contains("preferences"), reasons.toString());
    long instructions = w.read("instructions").count();
    assertEquals(instructions + prefs, referenceResult.rowsOut());
    Path exports = reference.resolve("exports/synth/r1");
    assertEquals(instructions, Files.readAllLines(exports.resolve("alpaca.jsonl")).size());
    assertEquals(instructions, Files.readAllLines(exports.resolve("messages.jsonl")).size());
    assertEquals(prefs, Files.readAllLines(exports.resolve("preferences.jsonl")).size());
    // the cache holds exactly what the server was paid for, once each
    assertEquals(good.paid.size(), w.read("llm_cache").count());
    assertTrue(good.paid.values().stream().allMatch(n -> n.get() == 1));
  }

  @Test
  void reRunPaysNothingAndWritesTheSameTables() {
    List<String> before = snapshot(reference);
    int paidFirst = good.totalPaid();
    run(reference, good.baseUrl());
    assertEquals(paidFirst, good.totalPaid(), "the second run is answered from the cache");
    assertEquals(paidFirst, good.requests.get());
    assertEquals(before, snapshot(reference));
  }

  @Test
  void aFailedRunResumesThroughFaultsLosingNothingAndPayingNothingTwice() throws Exception {
    Path p = tmp.resolve("faults");
    Set<Long> paidBefore;
    // First the endpoint dies after 30 answers: the run ends, failed requests are rejects, answers are cached.
    try (FakeOpenAiServer dying = new FakeOpenAiServer((h, a, answered) -> answered >= 30 ? Fault.DOWN : Fault.NONE,
        0, 0)) {
      run(p, dying.baseUrl(), "synth.endpoint.max-retries=1");
      paidBefore = new HashSet<>(dying.paid.keySet());
      assertEquals(30, paidBefore.size());
      assertTrue(warehouse(p).read("rejects").where("reason LIKE '%llm-error%'").count() > 0,
          "requests that failed after all retries are rejects, not lost silently");
    }
    // Then the run resumes against a server with 429s, 500s, slow answers, broken JSON and connection resets.
    Fault[] kinds = {Fault.NONE, Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.SLOW, Fault.BROKEN_JSON, Fault.RESET};
    try (FakeOpenAiServer faulty = new FakeOpenAiServer((h, attempt, n) -> attempt == 1
        ? kinds[(int) Math.floorMod(h, kinds.length)]
        : attempt == 2 && Math.floorMod(h, 3) == 0 ? Fault.SERVER_ERROR : Fault.NONE, 1200, 0)) {
      run(p, faulty.baseUrl());
      assertTrue(faulty.requests.get() > faulty.totalPaid(), "faults were injected");
      assertTrue(faulty.paid.values().stream().allMatch(n -> n.get() == 1), "no answer paid twice");
      for (Long k : faulty.paid.keySet()) {
        assertFalse(paidBefore.contains(k), "paid again for an answer the failed run had stored");
      }
      Set<Long> all = new HashSet<>(faulty.paid.keySet());
      all.addAll(paidBefore);
      assertTrue(all.containsAll(cachedBodies(reference)), "every answer the reference run needed was paid once");
    }
    assertEquals(snapshot(reference), snapshot(p), "same tables as the fault-free run");
    // The cache shows it: one row per request, retried ones with their attempts, as many answers as the reference.
    Row cache = warehouse(p).read("llm_cache").selectExpr("count(*)", "count(DISTINCT request_key)",
        "count_if(attempts > 1)", "count_if(error IS NULL)").first();
    assertEquals(cache.getLong(0), cache.getLong(1), "one cache row per request");
    assertTrue(cache.getLong(2) > 0, "retried answers record their attempts");
    assertEquals(warehouse(reference).read("llm_cache").where("error IS NULL").count(), cache.getLong(3));
    assertTrue(warehouse(p).readRun("rejects", "r1").where("reason LIKE '%llm-error%'").isEmpty(),
        "the resumed run replaced the failed run's rejects");
  }
}
