package dev.refinery.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.Document;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage end to end on a synthetic documents table of known sizes: every document is "alpha" repeated k
 * times, i.e. exactly k approximate tokens.
 */
class MixingStageTest {
  private static final String SOURCES = "mixing.sources=[{name = web, table = documents, all-runs = true}]";
  private static final String SHARES = "mixing.spec.shares=[{domain = wiki, lang = en, share = 0.4}, "
      + "{domain = news, lang = en, share = 0.3}, {domain = web, lang = de, share = 0.2}, "
      + "{domain = code, lang = en, share = 0.1}]";

  @TempDir static Path dir;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Map<String, Long> cellTokens = new HashMap<>();

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
    warehouse = new Warehouse(spark, dir.resolve("wh").toString());
    List<Row> docs = new ArrayList<>();
    add(docs, 300, "https://en.wikipedia.org/wiki/Page", "en", "wiki");
    add(docs, 300, "https://www.bbc.co.uk/news/story", "en", "news");
    add(docs, 60, "https://beispiel.de/seite", "de", "web");
    add(docs, 20, "https://github.com/org/repo", "en", "code");
    docs.add(RowFactory.create("empty-1", "test", "https://x.org/", null, null, "en", 1.0, "   ", null));
    docs.add(RowFactory.create("nolang-1", "test", "https://x.org/a", null, null, null, 1.0, "alpha alpha", null));
    warehouse.write(spark.createDataFrame(docs, Document.SCHEMA), "documents", "input");
  }

  /** {@code n} documents of 20..49 tokens each. */
  private static void add(List<Row> docs, int n, String url, String lang, String domain) {
    for (int i = 0; i < n; i++) {
      int k = 20 + (i * 7) % 30;
      docs.add(RowFactory.create(domain + "-" + i, "test", url + "/" + i, null, null, lang, 1.0,
          "alpha ".repeat(k).trim(), null));
      cellTokens.merge(domain + "/" + lang, (long) k, Long::sum);
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static StageContext ctx(String runId, String... sets) {
    // Explicit shares unless a test names another method (later settings win).
    List<String> all = new ArrayList<>(List.of("warehouse.root=\"" + warehouse.root() + "\"", SOURCES,
        "mixing.spec.method=shares"));
    all.addAll(Arrays.asList(sets));
    return new StageContext(spark, RefineryConfig.load(List.of(), all), warehouse, runId);
  }

  private static StageResult run(StageContext ctx) {
    MixingStage stage = new MixingStage();
    stage.validate(ctx);
    return stage.run(ctx);
  }

  private static Map<String, Row> report(String runId) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : warehouse.readRun("mixture_report", runId).collectAsList()) {
      out.put(r.getAs("key"), r);
    }
    return out;
  }

  private static List<String> rows(String runId) {
    return warehouse.readRun("mixture", runId).selectExpr("concat_ws('|', source, doc_id, repeat, tokens, domain)")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList();
  }

  @Test
  void sharesWithinOnePercentInfeasibleReportedAndSeedDeterminesRows() {
    long budget = 20000;
    String[] spec = {SHARES, "mixing.spec.budget-tokens=" + budget, "mixing.spec.max-epochs=2"};
    StageResult result = run(ctx("seed-a", spec));
    Map<String, Row> report = report("seed-a");
    Map<String, Double> targets = Map.of("domain=wiki,lang=en", 0.4, "domain=news,lang=en", 0.3,
        "domain=web,lang=de", 0.2, "domain=code,lang=en", 0.1);
    for (var t : targets.entrySet()) {
      Row r = report.get(t.getKey());
      boolean feasible = r.getAs("feasible");
      long achieved = r.getAs("achieved_tokens");
      if (t.getKey().startsWith("domain=code")) {
        assertFalse(feasible);                       // 20 docs, ~700 tokens x 2 epochs < 2000 wanted
        assertTrue(((String) r.getAs("reason")).contains("max-epochs"), (String) r.getAs("reason"));
        assertEquals(2 * cellTokens.get("code/en"), achieved); // gives all it may: two whole epochs
      } else {
        assertTrue(feasible, t.getKey());
        assertEquals(t.getValue(), achieved / (double) budget, 0.01, t.getKey());
      }
    }
    // web/de (about 2,000 tokens for 4,000 wanted) is up-sampled by whole-document repeats; wiki down-sampled
    assertEquals(2.0, (double) report.get("domain=web,lang=de").getAs("epochs"), 0.1);
    assertEquals(1, warehouse.readRun("mixture", "seed-a").where("domain = 'web'").selectExpr("max(repeat)")
        .first().getInt(0));
    assertTrue((double) report.get("domain=wiki,lang=en").getAs("epochs") < 1.0);
    // the undetermined-language document is in a cell without a target; the blank one is rejected
    assertEquals("no target for this cell", report.get("domain=web,lang=und").getAs("reason"));
    assertEquals(1L, result.drops().get("empty_text"));
    assertEquals(1L, warehouse.readRun("rejects", "seed-a").where("stage = 'mixing' AND reason = 'empty_text'").count());
    // report numbers are the mixture's own rows
    long mixtureTokens = warehouse.readRun("mixture", "seed-a").selectExpr("sum(tokens)").first().getLong(0);
    assertEquals(mixtureTokens, (long) report.get("total").getAs("achieved_tokens"));
    assertEquals(mixtureTokens, (long) report.get("web").getAs("achieved_tokens")); // the one source's row
    assertEquals(result.rowsOut(), warehouse.count("mixture", "seed-a"));
    assertEquals(682L, result.rowsIn());
    assertFalse((boolean) report.get("total").getAs("feasible"));

    // same seed, another run: the same rows; another seed: other rows, the same shares
    run(ctx("seed-b", spec));
    List<String> a = rows("seed-a");
    assertEquals(a, rows("seed-b"));
    String[] otherSeed = Arrays.copyOf(spec, spec.length + 1);
    otherSeed[spec.length] = "mixing.spec.seed=7";
    run(ctx("seed-c", otherSeed));
    assertNotEquals(a, rows("seed-c"));
    Map<String, Row> other = report("seed-c");
    for (String cell : List.of("domain=wiki,lang=en", "domain=news,lang=en", "domain=web,lang=de")) {
      assertEquals(targets.get(cell), (double) other.get(cell).getAs("achieved_share"), 0.01, cell);
    }
  }

  @Test
  void unimaxByLanguageCapsTheSmallLanguage() {
    run(ctx("unimax", "mixing.spec.method=unimax", "mixing.spec.group-by=[lang]", "mixing.spec.max-epochs=1.5",
        "mixing.spec.budget-tokens=12000"));
    Map<String, Row> report = report("unimax");
    long de = report.get("lang=de").getAs("achieved_tokens");
    long und = report.get("lang=und").getAs("achieved_tokens");
    long en = report.get("lang=en").getAs("achieved_tokens");
    assertEquals(1.5 * cellTokens.get("web/de"), de, 50);  // the small languages are capped at 1.5 epochs
    assertEquals(3, und, 1);                                 // one 2-token document, 1.5 epochs
    assertEquals(12000 - de - und, en, 100);                 // the large one takes the rest of the budget
    assertTrue(report.values().stream().allMatch(r -> r.getAs("reason") == null));
  }

  @Test
  void validateNamesWhatToChange() {
    MixingStage stage = new MixingStage();
    StageContext unique = ctx("v", "mixing.sources=[{name = web, table = documents_unique}]", SHARES);
    assertEquals(Set.of("documents_unique"), stage.inputs(unique.config()));
    stage.validate(unique); // a missing source table is the pipeline's check: an earlier stage may write it
    RefineryException missing = assertThrows(RefineryException.class,
        () -> dev.refinery.core.stage.Pipeline.discover().run(unique, List.of(stage), line -> {}));
    assertTrue(missing.getMessage().contains("documents_unique"), missing.getMessage());
    RefineryException sum = assertThrows(RefineryException.class, () -> stage.validate(
        ctx("v", SHARES.replace("0.4", "0.5"))));
    assertTrue(sum.getMessage().contains("add up to 1.100000"), sum.getMessage());
    RefineryException filter = assertThrows(RefineryException.class, () -> stage.validate(
        ctx("v", "mixing.sources=[{name = web, table = documents, filter = \"no_such_column > 1\"}]", SHARES)));
    assertTrue(filter.getMessage().contains("mixing source 'web'"), filter.getMessage());
    RefineryException cell = assertThrows(RefineryException.class, () -> stage.validate(
        ctx("v", "mixing.spec.shares=[{domain = wiki, share = 1.0}]")));
    assertTrue(cell.getMessage().contains("needs a value for 'lang'"), cell.getMessage());
  }

  @Test
  void topicClassifierLabelsDocumentsNoRuleMatched() throws Exception {
    Path examples = dir.resolve("examples.jsonl");
    List<String> lines = new ArrayList<>();
    String[] sport = {"football match goal team season league", "the striker scored a goal in the match",
        "basketball team won the league final", "tennis player won the match in three sets"};
    String[] food = {"bake the bread in the oven for an hour", "recipe flour sugar butter eggs oven",
        "simmer the soup and add salt and pepper", "cook the pasta and serve with cheese sauce"};
    for (int i = 0; i < 5; i++) {
      for (String s : sport) {
        lines.add("{\"text\": \"" + s + "\", \"domain\": \"sports\"}");
      }
      for (String f : food) {
        lines.add("{\"text\": \"" + f + "\", \"domain\": \"cooking\"}");
      }
    }
    Files.write(examples, lines);
    Warehouse wh = new Warehouse(spark, dir.resolve("wh-classifier").toString());
    List<Row> docs = List.of(
        RowFactory.create("d1", "t", "https://blog.example/1", null, null, "en", 1.0, "our team scored a late goal in the league match", null),
        RowFactory.create("d2", "t", "https://blog.example/2", null, null, "en", 1.0, "mix flour and butter then bake in the oven", null),
        RowFactory.create("d3", "t", "https://en.wikipedia.org/wiki/Goal", null, null, "en", 1.0, "a goal in football is scored", null));
    wh.write(spark.createDataFrame(docs, Document.SCHEMA), "documents", "c");
    RefineryConfig conf = RefineryConfig.load(List.of(), List.of("warehouse.root=\"" + wh.root() + "\"",
        "mixing.sources=[{name = web, table = documents}]", "mixing.spec.method=temperature",
        "mixing.domains.classifier.examples=\"" + examples + "\"", "mixing.domains.classifier.min-confidence=0.6",
        "mixing.domains.classifier.features=1024", "mixing.domains.classifier.max-iterations=30"));
    new MixingStage().run(new StageContext(spark, conf, wh, "c"));
    Map<String, Row> byId = new HashMap<>();
    wh.readRun("mixture", "c").collectAsList().forEach(r -> byId.put(r.getAs("doc_id"), r));
    assertEquals("sports", byId.get("d1").getAs("domain"));
    assertEquals("model:topic-classifier", byId.get("d1").getAs("domain_source"));
    assertTrue((double) byId.get("d1").getAs("domain_score") >= 0.6);
    assertEquals("cooking", byId.get("d2").getAs("domain"));
    assertEquals("wiki", byId.get("d3").getAs("domain"));      // a URL rule wins over the model
    assertEquals("rule:host=wikipedia.org", byId.get("d3").getAs("domain_source"));
  }
}
