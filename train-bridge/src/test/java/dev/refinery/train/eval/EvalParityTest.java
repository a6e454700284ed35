package dev.refinery.train.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.HfPython;
import dev.refinery.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refinery eval} against the real libraries, never skipped: on a tiny random Llama that transformers built
 * and saved, perplexity with strided windows equals transformers' perplexity guide (1e-4 relative, overall and per
 * domain), and a multiple-choice task gives lm-evaluation-harness's acc and acc_norm and its per-choice
 * log-likelihoods (within 1e-4) on the same JSONL through a task YAML. Bad task rows go to rejects; a missing
 * model or task file stops before anything is written.
 */
class EvalParityTest {
  private static final int MAX_LENGTH = 32;
  private static final int STRIDE = 16;
  private static SparkSession spark;
  @TempDir static Path tmp;
  private static String python;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    python = HfPython.venvPython();
    HfPython.runWith(python, "eval_parity.py", "make", tmp.toString());
    Files.writeString(tmp.resolve("bad.jsonl"), "{\"text\": \"a good line of text to score\"}\nnot json\n"
        + "{\"text\": \"\"}\n{\"title\": \"no text\"}\n");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static StageContext context(String... more) {
    List<String> sets = new ArrayList<>(List.of("eval.model=\"" + tmp.resolve("model") + "\"",
        "eval.max-length=" + MAX_LENGTH, "eval.stride=" + STRIDE, "eval.batch-size=4", "eval.partitions=2",
        "eval.torch-threads=1",
        "eval.tasks.text={ kind = perplexity, file = \"" + tmp.resolve("texts.jsonl") + "\" }",
        "eval.tasks.quiz={ kind = choice, file = \"" + tmp.resolve("quiz.jsonl") + "\" }",
        "eval.tasks.quiz2={ kind = choice, file = \"" + tmp.resolve("quiz.jsonl") + "\", num-fewshot = 2 }",
        "eval.tasks.bad={ kind = perplexity, file = \"" + tmp.resolve("bad.jsonl") + "\" }"));
    sets.addAll(List.of(more));
    RefineryConfig conf = TestSpark.config(tmp.resolve("wh"), sets.toArray(String[]::new));
    return new StageContext(spark, conf, Warehouse.open(spark, conf), "r1");
  }

  private static double value(List<EvalResult> rows, String task, String metric, String domain, String language) {
    return rows.stream().filter(r -> r.task().equals(task) && r.metric().equals(metric) && r.domain().equals(domain)
        && r.language().equals(language)).findFirst().orElseThrow(() -> new AssertionError(
            "no " + task + "/" + metric + "/" + domain + "/" + language + " in " + rows)).value();
  }

  @Test
  void perplexityAndChoicesMatchTransformersAndLmEval() throws Exception {
    StageContext ctx = context();
    EvalRequest request = EvalRequest.from(ctx.config());
    List<EvalResult> rows = EvalJob.run(ctx, request);

    JsonObject guide = JsonParser.parseString(HfPython.runWith(python, "eval_parity.py", "ppl", tmp.toString(),
        String.valueOf(MAX_LENGTH), String.valueOf(STRIDE)).trim()).getAsJsonObject();
    for (String domain : List.of("all", "news", "wiki")) {
      JsonArray s = guide.getAsJsonArray(domain);
      double theirs = Math.exp(s.get(0).getAsDouble() / s.get(1).getAsDouble());
      double ours = value(rows, "text", "perplexity", domain, "all");
      assertEquals(theirs, ours, 1e-4 * theirs, domain + ": perplexity against transformers' guide");
      assertEquals(s.get(1).getAsDouble(), value(rows, "text", "tokens", domain, "all"), 0.0, domain + ": tokens");
    }
    assertTrue(value(rows, "text", "bits_per_byte", "wiki", "de") > 0, "a (domain, language) cell: " + rows);
    assertEquals(3, rows.stream().filter(r -> r.task().equals("text") && r.metric().equals("perplexity")
        && r.domain().equals("all")).count(), "language rows en, de and all: " + rows);

    JsonObject harness = JsonParser.parseString(HfPython.runWith(python, "eval_parity.py", "lmeval", tmp.toString())
        .trim().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
    // 0-shot, and 2-shot with the examples the harness's seeded sampler draws from the same file
    for (String[] pair : new String[][] {{"quiz", "refinery_quiz"}, {"quiz2", "refinery_quiz_2shot"}}) {
      JsonObject lm = harness.getAsJsonObject(pair[1]);
      assertEquals(lm.get("acc").getAsDouble(), value(rows, pair[0], "acc", "all", "all"), 1e-12, pair[0] + " acc");
      assertEquals(lm.get("acc_norm").getAsDouble(), value(rows, pair[0], "acc_norm", "all", "all"), 1e-12,
          pair[0] + " acc_norm");
      EvalTask quiz = request.tasks().stream().filter(t -> t.name().equals(pair[0])).findFirst().orElseThrow();
      List<TaskRecords.Parsed<EvalJob.Question>> questions = EvalJob.questions(quiz, new ArrayList<>());
      List<String> contexts = new ArrayList<>();
      lm.getAsJsonArray("contexts").forEach(c -> contexts.add(c.getAsString()));
      assertEquals(contexts, EvalJob.contexts(quiz, questions), pair[0] + ": the harness's contexts");
      List<Row> ours = EvalJob.scoreChoices(ctx, request, quiz, questions);
      JsonArray theirs = lm.getAsJsonArray("loglikelihoods");
      int k = 0;
      for (int q = 0; q < theirs.size(); q++) {
        for (var ll : theirs.get(q).getAsJsonArray()) {
          Row row = ours.get(k++);
          assertEquals(q, row.getInt(0));
          assertEquals(ll.getAsDouble(), row.getDouble(2), 1e-4, pair[0] + " question " + q + " choice " + row.getInt(1));
        }
      }
      assertEquals(k, ours.size());
    }

    // idempotent by (run, model): a second run replaces the rows; bad rows are in rejects with their reasons
    EvalJob.run(ctx, request);
    assertEquals(rows.size(), ctx.warehouse().readRun(EvalResult.TABLE, "r1").count());
    List<String> reasons = ctx.warehouse().readRun(Rejects.TABLE, "r1").where("stage = 'eval'")
        .orderBy("doc_id").select("reason").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("bad_json", "empty_text", "missing_text"), reasons);
    assertEquals(1.0, rows.stream().filter(r -> r.task().equals("bad") && r.metric().equals("tokens")
        && r.domain().equals("all") && r.language().equals("all")).findFirst().orElseThrow().n());
  }

  /**
   * A run's validation shards cut with the model's tokenizer: every token of every sequence but the first scored,
   * broken down by the domain and language of the document it came from (the shards' spans); shards without spans
   * (cut before they were recorded) are scored overall only.
   */
  @Test
  void validationShardsOfARunByDomainAndLanguage() throws Exception {
    int length = 33;
    StageContext ctx = context("train.shards.input=\"eval_docs\"", "train.shards.partitions=1",
        "train.shards.tokenizer=\"" + tmp.resolve("model").resolve("tokenizer.json") + "\"",
        "train.shards.sequence-length=" + length, "train.shards.tokens-per-shard=" + (2 * length),
        "train.shards.validation-where=\"doc_id like 'v%'\"");
    List<Row> docs = new ArrayList<>();
    List<JsonObject> texts = Files.readAllLines(tmp.resolve("texts.jsonl")).stream()
        .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    for (JsonObject t : texts) {
      for (String prefix : List.of("v", "t")) {
        docs.add(org.apache.spark.sql.RowFactory.create(prefix + docs.size(), t.get("text").getAsString(),
            t.get("domain").getAsString(), t.get("language").getAsString()));
      }
    }
    ctx.warehouse().write(spark.createDataFrame(docs, new org.apache.spark.sql.types.StructType()
        .add("doc_id", "string").add("text", "string").add("domain", "string").add("lang", "string")), "eval_docs", "r1");
    new dev.refinery.train.shards.ShardStage().run(ctx);
    long sequences = ctx.warehouse().readRun(dev.refinery.train.shards.ShardManifest.TABLE, "r1")
        .where("split = 'val'").agg(org.apache.spark.sql.functions.sum("sequences")).first().getLong(0);
    assertTrue(sequences >= 4, "validation sequences: " + sequences);
    // a training table holding the first text inside other words: 1 of the 4 texts is contaminated
    String first = texts.get(0).get("text").getAsString();
    ctx.warehouse().write(spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("x",
        "some words before it. " + first + " and some after")), new org.apache.spark.sql.types.StructType()
        .add("doc_id", "string").add("text", "string")), "train_docs", "r1");
    EvalRequest all = EvalRequest.from(context("eval.tasks.val={ kind = validation }",
        "eval.contamination-tables=[\"train_docs\"]").config());
    EvalRequest r = new EvalRequest(all.model(), all.adapter(), all.modelName(), all.tasks().stream()
        .filter(t -> t.name().equals("val") || t.name().equals("text")).toList(), all.maxLength(), all.stride(),
        all.batchSize(), all.partitions(), all.torchThreads(), all.contaminationTables(), all.contaminationText());
    List<EvalResult> rows = EvalJob.run(ctx, r);
    assertEquals(1.0, value(rows, "text", "contaminated", "all", "all"), 0.0, "contaminated texts: " + rows);
    assertEquals(0.25, value(rows, "text", "contaminated_fraction", "all", "all"), 1e-12);

    // the packing replayed: validation documents by doc_id, each followed by end-of-text, in sequences of
    // `length`; a token is scored unless it starts a sequence, and counts for the document it belongs to
    dev.refinery.models.tokenizer.Tokenizer tok = dev.refinery.models.tokenizer.Tokenizers.load(tmp.resolve("model"));
    java.util.Map<String, long[]> expected = new java.util.TreeMap<>(); // cell -> {tokens, documents}
    long position = 0;
    long whole = sequences * length;
    for (int i = 0; i < texts.size(); i++) {
      JsonObject t = texts.get(i);
      long size = tok.encodeOrdinary(t.get("text").getAsString()).length + 1;
      long scored = 0;
      for (long p = position; p < Math.min(position + size, whole); p++) {
        scored += p % length == 0 ? 0 : 1;
      }
      for (String cell : List.of("all/all", t.get("domain").getAsString() + "/all", "all/"
          + t.get("language").getAsString(), t.get("domain").getAsString() + "/" + t.get("language").getAsString())) {
        long[] e = expected.computeIfAbsent(cell, k -> new long[2]);
        e[0] += scored;
        e[1] += position < whole ? 1 : 0;
      }
      position += size;
    }
    List<EvalResult> val = rows.stream().filter(x -> x.task().equals("val")).toList();
    java.util.Map<String, long[]> got = new java.util.TreeMap<>();
    for (EvalResult x : val) {
      if (x.metric().equals("tokens")) {
        got.put(x.domain() + "/" + x.language(), new long[] {(long) x.value(), x.n()});
      }
    }
    assertEquals(expected.keySet(), got.keySet(), "cells: " + val);
    expected.forEach((cell, e) -> assertArrayEquals(e, got.get(cell), cell + ": scored tokens and documents"));
    assertEquals(sequences * (length - 1), value(rows, "val", "tokens", "all", "all"), 0.0);
    // the domains' log-likelihoods add up to the whole's
    double total = Math.log(value(rows, "val", "perplexity", "all", "all")) * value(rows, "val", "tokens", "all", "all");
    double parts = 0;
    for (String d : List.of("news", "wiki")) {
      parts += Math.log(value(rows, "val", "perplexity", d, "all")) * value(rows, "val", "tokens", d, "all");
    }
    assertEquals(total, parts, 1e-9 * total);
    double ppl = value(rows, "val", "perplexity", "all", "all");
    // a random model over a ~300-token vocabulary: near-uniform guesses, far from a trained one's
    assertTrue(ppl > 50 && ppl < 5000, "perplexity " + ppl);
    assertTrue(value(rows, "val", "bits_per_byte", "wiki", "de") > 1, "bits per byte: " + rows);

    // shards of a run cut before spans were recorded: every sequence scored whole, one row per metric
    spark.sql("UPDATE delta.`" + ctx.warehouse().path(dev.refinery.train.shards.ShardManifest.TABLE)
        + "` SET spans = NULL");
    List<EvalResult> old = EvalJob.run(ctx, r).stream().filter(x -> x.task().equals("val")).toList();
    assertEquals(3, old.size(), "one row per metric: " + old);
    assertEquals(sequences * (length - 1), value(old, "val", "tokens", "all", "all"), 0.0);
    assertEquals(sequences, old.get(0).n());
  }

  @Test
  void missingModelOrTaskFileStopsBeforeAnythingIsWritten() {
    Path wh = tmp.resolve("wh-missing");
    RefineryConfig conf = TestSpark.config(wh, "eval.model=\"" + tmp.resolve("nope") + "\"",
        "eval.tasks.t={ kind = perplexity, file = \"" + tmp.resolve("texts.jsonl") + "\" }");
    StageContext ctx = new StageContext(spark, conf, Warehouse.open(spark, conf), "r1");
    RefineryException e = assertThrows(RefineryException.class, () -> EvalJob.run(ctx, EvalRequest.from(conf)));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    RefineryConfig noFile = TestSpark.config(wh, "eval.model=\"" + tmp.resolve("model") + "\"",
        "eval.tasks.t={ kind = choice, file = \"" + tmp.resolve("absent.jsonl") + "\" }");
    StageContext ctx2 = new StageContext(spark, noFile, Warehouse.open(spark, noFile), "r1");
    e = assertThrows(RefineryException.class, () -> EvalJob.run(ctx2, EvalRequest.from(noFile)));
    assertTrue(e.getMessage().contains("absent.jsonl"), e.getMessage());
    assertTrue(!Files.exists(wh.resolve(EvalResult.TABLE)));
    RefineryConfig unknown = TestSpark.config(wh, "eval.tasks.t={ kind = choice, fewshot = 2 }");
    e = assertThrows(RefineryException.class, () -> EvalRequest.from(unknown));
    assertTrue(e.getMessage().contains("fewshot"), e.getMessage());
  }
}
