package dev.refinery.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.serve.OpenAiEndpoints;
import dev.refinery.models.serve.OpenAiServer;
import dev.refinery.models.serve.TinyRandomModel;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.testing.TaskFailures;
import dev.refinery.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generator end to end against the project's own OpenAI-compatible server ({@code refinery serve}'s
 * {@link OpenAiServer}) on loopback, serving a tiny random model: its text is nonsense, so most candidates
 * fail a parse or a check, and the tests prove that each one is accounted for, in the output tables or in
 * {@code rejects} with its reason, that every request reached the server once and its answer is in the
 * cache, and that a re-run sends nothing. The served run has Spark task failures (local[2,3], {@code synth.task}
 * failing every task's first attempt); a fault-free run of the {@code local} backend, loading the same weights
 * in-process, writes the same tables.
 */
class OwnServerGeneratorsTest {
  /** Digits, '.', ':', '/' and newline give numbered lists and "Score: N" or "N/10" verdicts a chance. */
  static final String ALPHABET = "ab c1.7\n";
  static final int SELF_INSTRUCT_REQUESTS = 4;
  static final int MAGPIE = 4;
  static final int DISTILL = 3;
  static final int SAMPLES = 3;

  private static SparkSession spark;
  private static Generator generator;
  private static OpenAiServer server;
  private static TaskFailures taskFailures;
  @TempDir
  static Path tmp;
  private static Path served;
  private static long referenceRequests;
  /** The served run's tables, collected once (each Spark query costs seconds on a busy machine). */
  private static List<Row> instructionRows;
  private static List<Row> rejectRows;
  private static List<Row> cacheRows;
  private static long pairs;
  private static int injectedTaskFailures;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start("local[2,3]");
    taskFailures = new TaskFailures();
    spark.sparkContext().addSparkListener(taskFailures);
    generator = TinyRandomModel.create(ALPHABET, 4096, 11);
    server = OpenAiServer.start(new OpenAiEndpoints(generator, "tiny", 512), "127.0.0.1", 0, 2, 64, 1 << 20);
    served = tmp.resolve("served");
    long before = server.requests();
    run(served, "failpoints.\"synth.task\"=task-once"); // every task's first attempt fails
    referenceRequests = server.requests() - before;
    injectedTaskFailures = taskFailures.injected(1);
    Warehouse w = warehouse(served);
    instructionRows = w.read("instructions").select("generator").collectAsList();
    rejectRows = w.read("rejects").where("stage = 'synth'").select("source", "reason").collectAsList();
    cacheRows = w.read("llm_cache").select("body", "error", "run_id").collectAsList();
    pairs = w.read("preferences").count();
  }

  @AfterAll
  static void stop() {
    server.close();
    generator.model().close();
    spark.stop();
  }

  private static void run(Path warehouse, String... extra) {
    List<String> sets = new ArrayList<>(List.of(
        "synth.enabled=true",
        "synth.endpoint.base-url=" + server.baseUrl(),
        "synth.endpoint.model=tiny",
        "synth.languages=[\"en\"]",
        "synth.generators=[\"self-instruct\", \"magpie\", \"evol-instruct\", \"distill\", \"preferences\"]",
        "synth.self-instruct.rounds=1",
        "synth.self-instruct.prompts-per-round=" + SELF_INSTRUCT_REQUESTS,
        "synth.magpie.count=" + MAGPIE,
        "synth.evol-instruct.generations=1",
        "synth.evol-instruct.max-roots=100",
        "synth.preferences.samples=" + SAMPLES,
        "synth.preferences.max-prompts=4",
        "synth.preferences.min-margin=1",
        "synth.sampling.max-tokens=48",
        "synth.filters.min-instruction-chars=1",
        "synth.filters.min-response-chars=1",
        "synth.filters.min-language-share=0",
        "synth.cache.batch-size=64",
        "synth.cache.partitions=2",
        "synth.distill.inputs=[{path=\"" + TestSpark.sharedData("instruction-preference/llama-factory-demo/"
            + "alpaca_en_demo.json").getAbsolutePath() + "\", lang=en, limit=" + DISTILL + "}]"));
    sets.addAll(List.of(extra));
    RefineryConfig c = TestSpark.config(warehouse, sets.toArray(String[]::new));
    StageContext ctx = new StageContext(spark, c, Warehouse.open(spark, c), "r1");
    SynthStage stage = new SynthStage();
    stage.validate(ctx);
    stage.run(ctx);
  }

  private static Warehouse warehouse(Path p) {
    return new Warehouse(spark, p.toString());
  }

  private static long instructions(Predicate<String> generatorName) {
    return instructionRows.stream().filter(r -> generatorName.test(r.getString(0))).count();
  }

  private static long instructions(String generatorName) {
    return instructions(generatorName::equals);
  }

  /** Synth rejects whose (source, reason) match. */
  private static long rejects(BiPredicate<String, String> sourceAndReason) {
    return rejectRows.stream().filter(r -> sourceAndReason.test(r.getString(0), r.getString(1))).count();
  }

  private static long rejects(String reasonPrefix) {
    return rejects((source, reason) -> reason.startsWith(reasonPrefix));
  }

  /**
   * Rows that end a candidate instruction of {@code generatorName}: kept in {@code instructions}, or rejected
   * by its own generator, the instruction filters, dedup, or at its response (failed call or filters).
   */
  private static long fates(String generatorName) {
    return instructions(generatorName) + rejects((source, reason) -> source.equals("synth:" + generatorName)
        && Stream.of(generatorName + ":", "instruction-", "duplicate:", "responses:", "response-")
            .anyMatch(reason::startsWith));
  }

  private static Map<String, Long> reasons(BiPredicate<String, String> sourceAndReason) {
    Map<String, Long> out = new TreeMap<>();
    rejectRows.stream().filter(r -> sourceAndReason.test(r.getString(0), r.getString(1)))
        .forEach(r -> out.merge(r.getString(1).split(" ", 2)[0], 1L, Long::sum));
    return out;
  }

  private static Map<String, Long> reasonsFrom(String generatorName) {
    return reasons((source, reason) -> source.equals("synth:" + generatorName));
  }

  private static List<String> snapshot(Path p) {
    List<String> out = new ArrayList<>();
    for (String t : List.of("instructions", "preferences", "rejects")) {
      warehouse(p).read(t).drop("run_id").collectAsList().forEach(r -> out.add(t + " " + r));
    }
    out.sort(null);
    return out;
  }

  @Test
  void everyRequestReachedTheServerOnceDespiteFailedTasksAndEveryAnswerIsCached() {
    assertTrue(injectedTaskFailures >= 1, "synth.task failed no task attempt");
    // The cache has one row per request key; the server saw each once (a retried task re-sending would add more).
    assertEquals(referenceRequests - 1, cacheRows.size(), "one request per cache row, plus the probe");
    assertTrue(cacheRows.stream().allMatch(r -> r.isNullAt(1)), "the server answered everything");
    assertTrue(cacheRows.stream().allMatch(r -> r.getString(2).equals("r1")));
    assertTrue(referenceRequests > SELF_INSTRUCT_REQUESTS + MAGPIE + DISTILL, "requests: " + referenceRequests);
  }

  @Test
  void selfInstructRequestsEachEndInInstructionsOrRejects() {
    // Every answer yields at least one list item (the prompt ends in "N." so the answer continues item N), or a
    // no-list-items reject; each item is kept or rejected with a reason (format, novelty, filters, response).
    long fates = fates("self-instruct");
    System.out.println("self-instruct: " + instructions("self-instruct") + " kept, rejects "
        + reasonsFrom("self-instruct"));
    assertTrue(fates >= SELF_INSTRUCT_REQUESTS, "fates " + fates);
  }

  @Test
  void magpieQueriesEachEndInInstructionsOrRejects() {
    System.out.println("magpie: " + instructions("magpie") + " kept, rejects " + reasonsFrom("magpie"));
    assertEquals(MAGPIE, fates("magpie"));
  }

  @Test
  void distillPromptsEachEndInInstructionsOrRejects() {
    System.out.println("distill: " + instructions("distill") + " kept, rejects " + reasonsFrom("distill"));
    assertEquals(DISTILL, fates("distill"));
    assertTrue(instructions("distill") > 0, "teacher answers written");
  }

  @Test
  void evolInstructEvolvesEveryRootOnceKeptOrRejected() {
    // Roots: every self-instruct and magpie instruction that passed the instruction filters and dedup, i.e.
    // those kept and those that only failed at their response.
    Set<String> madeBy = Set.of("synth:self-instruct", "synth:magpie");
    long roots = instructions(g -> g.equals("self-instruct") || g.equals("magpie"))
        + rejects((source, reason) -> madeBy.contains(source)
            && (reason.startsWith("responses:") || reason.startsWith("response-")));
    long parentFailures = rejects((source, reason) -> !source.equals("synth:evol-instruct")
        && reason.startsWith("evol-instruct:"));
    System.out.println("evol-instruct: " + roots + " roots, " + instructions("evol-instruct") + " kept, rejects "
        + reasons((source, reason) -> source.equals("synth:evol-instruct") || reason.startsWith("evol-instruct:")));
    assertTrue(roots > 0, "nothing to evolve");
    assertEquals(roots, fates("evol-instruct") + parentFailures, "one evolution per root, kept or rejected");
  }

  @Test
  void responsesAndJudgeEndInPairsOrRejectsWithReasons() {
    long prompts = Math.min(4, instructions(g -> !g.equals("distill")));
    long margin = rejects("preferences:margin-below-");
    long fewer = rejects("preferences:fewer-than-2-scored-samples");
    long beforeJudge = rejects("preferences:sample-") + rejects("preferences:llm-error")
        + rejects("preferences:no-response");
    long judgeRejects = rejects("preferences:judge:");
    long judgeRequests = cacheRows.stream().filter(r -> r.getString(0).contains("impartial judge")).count();
    System.out.println("preferences: " + prompts + " prompts, " + pairs + " pairs, " + judgeRequests
        + " judge requests, rejects " + reasons((source, reason) -> reason.startsWith("preferences:")));
    assertTrue(prompts > 0, "no instruction got a response, so nothing to judge");
    assertEquals(prompts, pairs + margin + fewer, "every prompt: a pair, or a reject saying why not");
    long judged = prompts * SAMPLES - beforeJudge;
    assertTrue(judged > 0 && judgeRequests > 0, "the judge asked the server");
    // Identical samples of one prompt make one judge request (same key), so requests <= judged samples.
    assertTrue(judgeRequests <= judged, judgeRequests + " judge requests for " + judged + " samples");
    long scored = judged - judgeRejects;
    assertTrue(scored >= 2 * (pairs + margin), "a pair or a margin decision needs two scored samples");
  }

  @Test
  void reRunSendsNothingAndWritesTheSameTables() {
    List<String> before = snapshot(served);
    long requests = server.requests();
    run(served, "synth.endpoint.probe=false");
    assertEquals(requests, server.requests(), "every answer came from the cache");
    assertEquals(before, snapshot(served));
  }

  /**
   * The same weights loaded in-process from a checkpoint folder ({@code local} backend), without faults: the
   * same tables as the served run whose tasks failed once, so that run equals a fault-free one.
   */
  @Test
  void aFaultFreeInProcessRunWritesTheSameTables() throws Exception {
    Path checkpoint = tmp.resolve("checkpoint");
    Checkpoints.save(generator.model(), checkpoint);
    generator.tokenizer().save(checkpoint.resolve(Tokenizers.FILE_NAME));
    Path local = tmp.resolve("local");
    long requests = server.requests();
    run(local, "synth.endpoint.backend=local", "synth.endpoint.model=" + checkpoint);
    assertEquals(requests, server.requests(), "the local backend sends nothing over HTTP");
    assertEquals(withoutModel(served), withoutModel(local), "same tables as the served run with failed tasks");
    assertEquals(cacheRows.size(), warehouse(local).read("llm_cache").where("error IS NULL").count());
  }

  /** The tables without the model column (the served name and the checkpoint path differ). */
  private static List<String> withoutModel(Path p) {
    List<String> out = new ArrayList<>();
    for (String t : List.of("instructions", "preferences", "rejects")) {
      Dataset<Row> d = warehouse(p).read(t).drop("run_id");
      for (Row r : (List.of(d.columns()).contains("model") ? d.drop("model") : d).collectAsList()) {
        out.add(t + " " + r);
      }
    }
    out.sort(null);
    return out;
  }
}
