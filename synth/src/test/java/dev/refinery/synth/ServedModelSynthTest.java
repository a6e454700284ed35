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
import dev.refinery.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Magpie and distillation through the stage against the project's own model: first over HTTP with
 * {@code refinery serve}'s server on loopback, then in-process with the {@code local} backend loading the same
 * weights from a checkpoint folder. A random tiny model writes nonsense; the plumbing is real. Its alphabet is
 * three characters so that the end-of-text token is likely and answers end before max_tokens.
 */
class ServedModelSynthTest {
  private static SparkSession spark;
  private static Generator generator;
  private static OpenAiServer server;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    generator = TinyRandomModel.create("ab ", 1024, 3);
    server = OpenAiServer.start(new OpenAiEndpoints(generator, "tiny", 512), "127.0.0.1", 0, 2, 16, 1 << 20);
  }

  @AfterAll
  static void stop() {
    server.close();
    generator.model().close();
    spark.stop();
  }

  private static void run(Path warehouse, String... backend) {
    List<String> sets = new ArrayList<>(List.of(
        "synth.enabled=true",
        "synth.languages=[\"en\"]",
        "synth.generators=[\"magpie\", \"distill\"]",
        "synth.magpie.count=3",
        "synth.sampling.max-tokens=32",
        "synth.filters.min-instruction-chars=1",
        "synth.filters.min-response-chars=1",
        "synth.filters.min-language-share=0",
        "synth.cache.batch-size=16",
        "synth.cache.partitions=1",
        "synth.distill.inputs=[{path=\"" + TestSpark.sharedData("instruction-preference/llama-factory-demo/"
            + "alpaca_en_demo.json").getAbsolutePath() + "\", lang=en, limit=3}]"));
    sets.addAll(List.of(backend));
    RefineryConfig c = TestSpark.config(warehouse, sets.toArray(String[]::new));
    StageContext ctx = new StageContext(spark, c, Warehouse.open(spark, c), "r1");
    SynthStage stage = new SynthStage();
    stage.validate(ctx, Set.of());
    stage.run(ctx);
  }

  private static List<String> instructions(Path warehouse) {
    return new Warehouse(spark, warehouse.toString()).read("instructions").drop("model").orderBy("id")
        .collectAsList().stream().map(Object::toString).toList();
  }

  @Test
  void servedAndLocalModelsFillTablesAndCacheAndReRunsPayNothing() throws Exception {
    Path served = tmp.resolve("served");
    String[] http = {"synth.endpoint.base-url=" + server.baseUrl(), "synth.endpoint.model=tiny"};
    run(served, http);
    long paid = server.requests();
    Warehouse w = new Warehouse(spark, served.toString());
    List<String> rows = instructions(served);
    assertTrue(w.read("instructions").where("generator = 'magpie'").count() > 0, "magpie wrote nothing");
    assertTrue(w.read("instructions").where("generator = 'distill'").count() > 0, "distill wrote nothing");
    // 1 probe + 3 magpie queries + their responses + 3 distillation answers, each answer cached once.
    long cached = w.read("llm_cache").where("error IS NULL").count();
    assertTrue(cached >= 6, "cache rows: " + cached);
    assertEquals(paid - 1, w.read("llm_cache").count(), "every request but the probe is in the cache");

    run(served, http);
    assertEquals(paid + 1, server.requests(), "the re-run only probes; every answer comes from the cache");
    assertEquals(rows, instructions(served));

    // The same weights in-process give the same rows as over HTTP.
    Path checkpoint = tmp.resolve("checkpoint");
    Checkpoints.save(generator.model(), checkpoint);
    generator.tokenizer().save(checkpoint.resolve(Tokenizers.FILE_NAME));
    Path local = tmp.resolve("local");
    run(local, "synth.endpoint.backend=local", "synth.endpoint.model=" + checkpoint);
    assertEquals(rows, instructions(local));
    assertEquals(cached, new Warehouse(spark, local.toString()).read("llm_cache").where("error IS NULL").count());
  }
}
