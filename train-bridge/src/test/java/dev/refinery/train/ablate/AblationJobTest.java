package dev.refinery.train.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.testing.TestSpark;
import dev.refinery.train.ablate.AblationResults.Result;
import dev.refinery.train.report.AblationSection;
import dev.refinery.train.report.EvalSection;
import dev.refinery.train.shards.ShardManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two variants of a handful of documents, a 1-layer model, a few steps: run ids, result rows, resume. */
class AblationJobTest {
  private static SparkSession spark;
  @TempDir static Path tmp;
  private static Path HELDOUT;
  // the variants differ in the text the shards stage cuts from the same table: as is, or upper-cased
  private static final String[] TINY = {"ablate.name=tiny", "ablate.parallelism=2", "ablate.stages=[shards]",
      "ablate.variants=[{name = plain, set = []}, {name = upper, set = [\"train.shards.text=upper(text)\"]}]",
      "ablate.set=[\"train.shards.input=corpus\", \"train.shards.all-runs=true\", \"train.shards.tokens-per-shard=4096\", \"train.shards.partitions=1\","
          + " \"train.shards.validation-fraction=0.2\", \"train.block-sequences=4\", \"train.eval-batches=2\","
          + " \"train.log-every=1\"]",
      "ablate.train.tokens=384", "ablate.train.sequence-length=17", "ablate.train.layers=1", "ablate.train.heads=2",
      "ablate.train.width=16", "ablate.train.batch-size=4", "ablate.train.cores=1", "eval.partitions=1"};

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
    HELDOUT = tmp.resolve("heldout.jsonl");
    Random r = new Random(7);
    String[] words = {"the ", "king ", "shall ", "speak ", "of ", "war ", "and ", "peace, ", "my ", "lord. "};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < 20 + r.nextInt(20); w++) {
        b.append(words[r.nextInt(words.length)]);
      }
      rows.add(RowFactory.create("d" + i, b.toString()));
    }
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType);
    Warehouse.open(spark, config()).write(spark.createDataFrame(rows, schema), "corpus", "input");
    try {
      Files.writeString(HELDOUT, "{\"text\": \"my lord, the king shall speak of peace.\"}\n"
          + "{\"text\": \"and of war, my lord.\"}\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static RefineryConfig config(String... more) {
    List<String> sets = new ArrayList<>(List.of(TINY));
    sets.add("eval.tasks.heldout={kind = perplexity, file = \"" + HELDOUT.toAbsolutePath() + "\"}");
    sets.addAll(List.of(more));
    return TestSpark.config(tmp.resolve("wh"), sets.toArray(String[]::new));
  }

  private static List<Result> ablate(List<String> log, String... more) {
    RefineryConfig c = config(more);
    Warehouse wh = Warehouse.open(spark, c);
    return new AblationJob(new StageContext(spark, c, wh, "tiny"), line -> log.add(line)).run();
  }

  @Test
  void variantsGetTheirOwnRunsResultsAndResume() throws Exception {
    List<String> first = Collections.synchronizedList(new ArrayList<>());
    List<Result> results = ablate(first);
    assertEquals(List.of("plain", "upper"), results.stream().map(Result::variant).toList());
    assertEquals(List.of("tiny-plain", "tiny-upper"), results.stream().map(Result::variantRun).toList());
    Warehouse wh = Warehouse.open(spark, config());
    for (Result r : results) {
      assertEquals(384, r.tokens(), "the same token budget for every variant");
      assertTrue(Double.isFinite(r.trainLoss()) && Double.isFinite(r.valLoss()), r.toString());
      double bpb = r.metrics().get("heldout/bits_per_byte");
      assertTrue(Double.isFinite(bpb) && bpb > 0 && Double.isFinite(r.metrics().get("heldout/perplexity")), r.toString());
      assertTrue(wh.count(ShardManifest.TABLE, r.variantRun()) > 0, "shards of " + r.variantRun());
    }
    assertNotEquals(results.get(0).trainLoss(), results.get(1).trainLoss(), "the variants trained on different text");
    assertEquals(results, AblationResults.read(wh, "tiny"));

    // a second run does nothing: no stage, no training, the same rows
    List<Row> stats = wh.read(StageStats.TABLE).orderBy("run_id", "stage").collectAsList();
    List<String> second = Collections.synchronizedList(new ArrayList<>());
    assertEquals(results, ablate(second));
    assertEquals(stats, wh.read(StageStats.TABLE).orderBy("run_id", "stage").collectAsList());
    assertEquals(2, second.stream().filter(l -> l.endsWith("done earlier with the same settings, skipped")).count(),
        String.join("\n", second));

    // a variant half done (its pipeline and checkpoints finished, not its result row) goes on from there
    try (var found = Files.find(tmp.resolve("wh/_ablations/tiny/plain"), 2,
        (path, attrs) -> path.getFileName().toString().equals(results.get(0).settings()))) {
      Files.delete(found.findFirst().orElseThrow().resolve("trained"));
    }
    spark.sql("DELETE FROM delta.`" + wh.path(AblationResults.TABLE) + "` WHERE variant = 'plain'");
    List<String> third = Collections.synchronizedList(new ArrayList<>());
    assertEquals(results, ablate(third));
    assertTrue(third.contains("variant plain: stages shards already done"), String.join("\n", third));
    assertEquals(stats, wh.read(StageStats.TABLE).orderBy("run_id", "stage").collectAsList());

    // a changed model is other settings, but the same data: the variants train again, without the pipeline
    AblationSettings.Variant plain = new AblationSettings.Variant("plain", List.of());
    AblationSettings narrow = AblationSettings.from(config("ablate.train.width=8"));
    assertNotEquals(AblationSettings.from(config()).fingerprint(plain, "", ""), narrow.fingerprint(plain, "", ""));
    assertEquals(AblationSettings.from(config()).dataFingerprint(plain, ""), narrow.dataFingerprint(plain, ""));

    DataCard.Section card = new AblationSection().build(wh, "tiny");
    assertTrue(card.html().contains("tiny") || card.html().contains("plain"), card.html());
    assertFalse(card.charts().isEmpty());
    // a variant's own card shows its evaluation rows, bits per byte drawn for its model and task
    DataCard.Section eval = new EvalSection().build(wh, "tiny-plain");
    assertTrue(eval.html().contains("<td>heldout</td><td>bits_per_byte</td>"), eval.html());
    assertEquals(List.of("Bits per byte by domain / language (lower is better)"),
        eval.charts().stream().map(Chart::title).toList());
    assertTrue(eval.charts().get(0).toJson().contains("\"label\":\"tiny-plain heldout\""), eval.charts().get(0).toJson());
    assertTrue(eval.charts().get(0).points() > 0, eval.charts().get(0).toJson());
  }

  @Test
  void noEvaluationStopsBeforeAnythingIsWritten() {
    RefineryConfig c = TestSpark.config(tmp.resolve("wh"), TINY);
    RefineryException e = assertThrows(RefineryException.class,
        () -> new AblationJob(new StageContext(spark, c, Warehouse.open(spark, c), "tiny"), l -> {}).run());
    assertTrue(e.getMessage().contains("eval.tasks"), e.getMessage());
  }

  @Test
  void badVariantStopsBeforeAnythingIsWritten() {
    RefineryException e = assertThrows(RefineryException.class, () -> ablate(new ArrayList<>(),
        "ablate.name=bad", "ablate.variants=[{name = a, set = [\"quality.no-such-key=1\"]}]"));
    assertTrue(e.getMessage().contains("variant a") && e.getMessage().contains("quality.no-such-key"), e.getMessage());
    assertTrue(AblationResults.read(Warehouse.open(spark, config()), "bad").isEmpty());
  }
}
