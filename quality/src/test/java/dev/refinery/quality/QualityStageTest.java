package dev.refinery.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.Document;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.quality.classifier.QualityTrainCommand;
import dev.refinery.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quality stage end to end on a small documents table, decide-only re-thresholding, the view, the classifier. */
class QualityStageTest {
  private static final String RUN = "r1";
  private static final String GOOD = "The committee met on Tuesday to discuss the new budget for the city library. "
      + "Members agreed that the reading room needs better lighting and that the children's section should "
      + "open earlier on weekends. The treasurer explained how the money would be spent over the next two years, "
      + "and several residents asked questions about the plans. After a long debate, the proposal was approved "
      + "with a clear majority. Work on the building is expected to begin in the spring, and the library will "
      + "stay open during the renovation. Questions can be sent to clerk@library.example.org before Friday.";
  private static final String SHORT = "Buy cheap watches now and get the best price for them in town.";

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static StageContext context(String... overrides) {
    RefineryConfig config = TestSpark.config(dir.resolve("warehouse"), overrides);
    return new StageContext(spark, config, Warehouse.open(spark, config), RUN);
  }

  private static Row doc(String id, String lang, String text) {
    return RowFactory.create(id, "test", "https://example.org/" + id, null, "text/plain", lang, 1.0, text, null);
  }

  private static void writeDocuments(Warehouse wh, List<Row> rows) {
    wh.write(spark.createDataFrame(rows, Document.SCHEMA), "documents", RUN);
  }

  private static Map<String, Row> signals(Warehouse wh) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : wh.readRun(QualityStage.TABLE, RUN).collectAsList()) {
      out.put(r.getString(r.fieldIndex("doc_id")), r);
    }
    return out;
  }

  @Test
  void measuresDecidesRedactsAndRethresholdsWithoutRecomputing() {
    StageContext ctx = context();
    Warehouse wh = ctx.warehouse();
    byte[] junk = new byte[4000];
    new Random(1).nextBytes(junk);
    List<Row> docs = new ArrayList<>(List.of(
        doc("good", "en", GOOD),
        doc("short", "en", SHORT),
        doc("empty", "en", ""),
        doc("nulltext", "en", null),
        doc("junk", "und", new String(junk, java.nio.charset.StandardCharsets.ISO_8859_1)),
        doc("huge", "en", "word ".repeat(10_000_000)))); // 50 MB on one line
    List<String> clean = ChineseWebTextExamples.texts("clean");
    List<String> dirty = ChineseWebTextExamples.texts("dirty");
    for (int i = 0; i < 3; i++) {
      docs.add(doc("zh-clean-" + i, "zh", clean.get(i)));
      docs.add(doc("zh-dirty-" + i, "zh", dirty.get(i)));
    }
    writeDocuments(wh, docs);

    QualityStage stage = new QualityStage();
    stage.validate(ctx);
    StageResult result = stage.run(ctx);

    Map<String, Row> s = signals(wh);
    assertEquals(12, s.size());
    assertEquals(12, result.rowsIn());
    assertNull(s.get("good").getAs("drop_rule"), () -> "good doc dropped by " + s.get("good").getAs("drop_rule"));
    assertEquals("gopher_short_doc", s.get("short").getAs("drop_rule"));
    assertEquals("gopher_short_doc", s.get("empty").getAs("drop_rule"));
    assertEquals("no_text", s.get("nulltext").getAs("drop_rule"));
    assertEquals("too_long_to_measure", s.get("huge").getAs("drop_rule"));
    assertTrue(s.get("junk").getAs("drop_rule") != null, "binary junk is dropped");
    assertEquals(1, (int) s.get("good").<Integer>getAs("pii_email"));
    // CJK documents get CJK signals, not Gopher ones, and vice versa
    assertNull(s.get("zh-clean-0").getAs("gopher_words"));
    assertNull(s.get("good").getAs("cjk_char_ratio"));
    assertTrue(s.get("zh-clean-0").<Double>getAs("cjk_char_ratio") > 0.5);

    long dropped = s.values().stream().filter(r -> r.getAs("drop_rule") != null).count();
    assertEquals(12 - dropped, result.rowsOut());
    assertEquals(2L, result.drops().get("gopher_short_doc"));
    assertEquals(1L, result.counters().get("pii:email"));

    // nothing bad is lost: no text and too long are in rejects
    List<Row> rejects = wh.readRun(Rejects.TABLE, RUN).where("stage = 'quality'").collectAsList();
    assertEquals(Set.of("nulltext", "huge"), Set.copyOf(rejects.stream().map(r -> r.getString(0)).toList()));

    // the view: kept documents of the run, with PII redacted
    Dataset<Row> kept = wh.readRun(QualityStage.VIEW, RUN);
    assertEquals(result.rowsOut(), kept.count());
    String keptGood = kept.where("doc_id = 'good'").first().getAs("text");
    assertTrue(keptGood.endsWith("Questions can be sent to <EMAIL> before Friday."));

    // re-threshold: change the documents behind the signals' back, then decide only
    writeDocuments(wh, List.of(doc("short", "en", GOOD)));
    int shortWordsBefore = s.get("short").getAs("gopher_non_symbol_words");
    StageContext decide = context("quality.decide-only=true",
        "quality.rules.gopher_short_doc=\"gopher_non_symbol_words < 5\"");
    stage.validate(decide);
    StageResult again = stage.run(decide);
    Map<String, Row> s2 = signals(wh);
    assertEquals(12, s2.size());
    assertEquals(shortWordsBefore, (int) s2.get("short").<Integer>getAs("gopher_non_symbol_words"),
        "decide-only must not recompute signals");
    // 13 words now pass the length rule; "Buy cheap watches" is 17 of its 62 characters (top 3-gram > 0.18)
    assertEquals("gopher_rep_top_3_gram", s2.get("short").getAs("drop_rule"));
    assertEquals("gopher_short_doc", s2.get("empty").getAs("drop_rule"));
    assertEquals(result.rowsOut(), again.rowsOut());
  }

  @Test
  void badRuleFailsValidationWithTheRuleName() {
    StageContext ctx = context("quality.custom-rules.typo=\"gopher_wrods < 3\"");
    writeDocuments(ctx.warehouse(), List.of(doc("x", "en", GOOD)));
    RefineryException e = assertThrows(RefineryException.class, () -> new QualityStage().validate(ctx));
    assertTrue(e.getMessage().contains("typo"), e.getMessage());
  }

  @Test
  void classifierLearnsChineseWebTextCleanVersusDirtyAndScoresDocuments() throws Exception {
    String data = TestSpark.sharedData("chinese-web-text").getAbsolutePath();
    String model = dir.resolve("qc-model").toString();
    String sources = "[\"" + data + "/fasttext_%1$s.jsonl\", \"" + data + "/fasttext_train.txt\", \""
        + data + "/fasttext_test.txt\"]";
    RefineryConfig config = TestSpark.config(dir.resolve("warehouse"),
        "quality.classifier.train.good=" + String.format(sources, "clean"),
        "quality.classifier.train.bad=" + String.format(sources, "dirty"),
        "quality.classifier.train.output=\"" + model + "\"",
        "quality.classifier.train.num-features=4096", "quality.classifier.train.max-iter=20");
    QualityTrainCommand.Evaluated r = QualityTrainCommand.train(spark, config);
    System.out.println("ChineseWebText classifier: " + r.evaluation());
    assertTrue(r.evaluation().testRows() > 0);
    assertTrue(r.evaluation().rocAuc() >= 0.0 && r.evaluation().rocAuc() <= 1.0);

    StageContext ctx = context("quality.classifier.model=\"" + model + "\"", "quality.presets=[classifier]");
    List<Row> docs = new ArrayList<>();
    List<String> clean = ChineseWebTextExamples.texts("clean");
    List<String> dirty = ChineseWebTextExamples.texts("dirty");
    for (int i = 0; i < clean.size(); i++) {
      docs.add(doc("c" + i, "zh", clean.get(i)));
      docs.add(doc("d" + i, "zh", dirty.get(i)));
    }
    writeDocuments(ctx.warehouse(), docs);
    new QualityStage().validate(ctx);
    new QualityStage().run(ctx);
    Map<String, Row> s = signals(ctx.warehouse());
    double cleanMean = s.values().stream().filter(x -> x.getString(0).startsWith("c"))
        .mapToDouble(x -> x.<Double>getAs("classifier_score")).average().orElseThrow();
    double dirtyMean = s.values().stream().filter(x -> x.getString(0).startsWith("d"))
        .mapToDouble(x -> x.<Double>getAs("classifier_score")).average().orElseThrow();
    assertTrue(cleanMean > dirtyMean, "clean " + cleanMean + " vs dirty " + dirtyMean);
  }
}
