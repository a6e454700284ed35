package dev.refinery.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.eval.AnswerJudge;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.generation.SamplingParams;
import dev.refinery.models.serve.TinyRandomModel;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A judged task on a tiny random model: the judge (a test one, found through ServiceLoader as synth's is) gets
 * each instruction with the model's greedy chat answer and the reference; win_rate, wins, ties and losses follow
 * its verdicts; bad rows and verdict-less items go to rejects; a judge that cannot be used stops eval before
 * anything is written.
 */
class JudgedTaskTest {
  private static final int MAX_NEW = 12;
  private static SparkSession spark;
  @TempDir static Path tmp;
  private static Generator generator;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    // a seed whose greedy answers are not only blank lines (which strip to nothing)
    generator = TinyRandomModel.create(TinyRandomModel.ASCII, 256, 3);
    Path model = tmp.resolve("tiny");
    Checkpoints.save(generator.model(), model);
    generator.tokenizer().save(model.resolve(Tokenizers.FILE_NAME));
    String longRef = "x".repeat(200);
    Files.writeString(tmp.resolve("judged.jsonl"), String.join("\n",
        "{\"instruction\": \"Name a colour.\", \"reference\": \"" + longRef + "\"}",
        "{\"instruction\": \"Say hi.\", \"reference\": \"" + longRef + "\"}",
        "{\"instruction\": \"Count to two.\", \"reference\": \"1\"}",
        "{\"instruction\": \"Rewrite it.\", \"instances\": [{\"input\": \"a b\", \"output\": \"ab\"}]}",
        "{\"instruction\": \"Judge me.\", \"reference\": \"UNJUDGEABLE\"}",
        "{\"instruction\": \"No reference here.\"}",
        "not json") + "\n");
  }

  @AfterAll
  static void stop() {
    spark.stop();
    generator.model().close();
  }

  private static StageContext context(String... more) {
    List<String> sets = new java.util.ArrayList<>(List.of("eval.model=\"" + tmp.resolve("tiny") + "\"",
        "eval.partitions=2", "eval.torch-threads=1", "eval.batch-size=2",
        "eval.tasks.chat={ kind = judged, max-new-tokens = " + MAX_NEW + ", file = \"" + tmp.resolve("judged.jsonl")
            + "\" }"));
    sets.addAll(List.of(more));
    RefineryConfig conf = TestSpark.config(tmp.resolve("wh"), sets.toArray(String[]::new));
    return new StageContext(spark, conf, Warehouse.open(spark, conf), "r1");
  }

  private static String greedy(String instruction) {
    String prompt = ChatTemplate.prompt(List.of(new ChatTemplate.Turn("user", instruction)));
    return generator.generate(List.of(prompt), new SamplingParams(MAX_NEW, 0f, 0, 1f,
        List.of(ChatTemplate.STOP), 0L)).get(0).text().strip();
  }

  @Test
  void winRateFromTheJudgesVerdictsOnTheModelsAnswers() {
    StageContext ctx = context();
    LongerAnswerJudge.ASKED.clear();
    List<EvalResult> rows = EvalJob.run(ctx, EvalRequest.from(ctx.config()));

    List<AnswerJudge.Item> asked = LongerAnswerJudge.ASKED;
    assertEquals(List.of("Name a colour.", "Say hi.", "Count to two.", "Rewrite it.\n\na b", "Judge me."),
        asked.stream().map(AnswerJudge.Item::instruction).toList(), "instructions, the input after a blank line");
    assertEquals(List.of("ab"), asked.stream().map(AnswerJudge.Item::reference).filter(r -> r.equals("ab")).toList());
    for (AnswerJudge.Item it : asked) {
      assertEquals(greedy(it.instruction()), it.answer(), "the model's greedy chat answer to " + it.instruction());
      assertTrue(it.answer().length() <= MAX_NEW, "at most max-new-tokens characters: " + it.answer());
    }
    long wins = 0;
    long ties = 0;
    for (AnswerJudge.Item it : asked.subList(0, 4)) {
      wins += it.answer().length() > it.reference().length() ? 1 : 0;
      ties += it.answer().length() == it.reference().length() ? 1 : 0;
    }
    long losses = 4 - wins - ties;
    assertTrue(losses >= 2, "both 200-character references beat a " + MAX_NEW + "-token answer");
    assertTrue(wins > 0, "a short reference loses to a non-blank answer: "
        + asked.stream().map(AnswerJudge.Item::answer).toList());
    java.util.Map<String, EvalResult> byMetric = rows.stream().filter(r -> r.task().equals("chat"))
        .collect(Collectors.toMap(EvalResult::metric, r -> r));
    assertEquals(wins, byMetric.get("wins").value());
    assertEquals(ties, byMetric.get("ties").value());
    assertEquals(losses, byMetric.get("losses").value());
    assertEquals((wins + 0.5 * ties) / 4, byMetric.get("win_rate").value(), 1e-12);
    assertEquals(4, byMetric.get("win_rate").n());
    assertEquals(4, ctx.warehouse().readRun(EvalResult.TABLE, "r1").where("task = 'chat'").count());
    assertEquals(List.of("bad_json", "judge:unparseable", "missing_reference"),
        ctx.warehouse().readRun(Rejects.TABLE, "r1").where("stage = 'eval'").select("reason")
            .as(Encoders.STRING()).collectAsList().stream().sorted().toList());
  }

  @Test
  void aReferenceModelsAnswersAreTheReferences() {
    StageContext base = context("eval.tasks.chat.reference-model=\"" + tmp.resolve("tiny") + "\"");
    StageContext ctx = new StageContext(spark, base.config(), base.warehouse(), "r-ref");
    LongerAnswerJudge.ASKED.clear();
    List<EvalResult> rows = EvalJob.run(ctx, EvalRequest.from(ctx.config()));
    // the same model answers both sides: every answer is its reference, every verdict a tie
    assertEquals(6, LongerAnswerJudge.ASKED.size(), "every row with an instruction: " + LongerAnswerJudge.ASKED);
    LongerAnswerJudge.ASKED.forEach(it -> assertEquals(it.answer(), it.reference()));
    assertEquals(greedy("No reference here."), LongerAnswerJudge.ASKED.get(5).reference());
    java.util.Map<String, Double> byMetric = rows.stream().filter(r -> r.task().equals("chat"))
        .collect(Collectors.toMap(EvalResult::metric, EvalResult::value));
    assertEquals(java.util.Map.of("win_rate", 0.5, "wins", 0.0, "ties", 6.0, "losses", 0.0), byMetric);
  }

  @Test
  void anUnusableJudgeStopsBeforeAnythingIsWritten() {
    StageContext ctx = context("synth.endpoint.base-url=\"http://unreachable:1/v1\"");
    ctx = new StageContext(spark, ctx.config(), ctx.warehouse(), "r-down");
    LongerAnswerJudge.ASKED.clear();
    StageContext down = ctx;
    RefineryException e = assertThrows(RefineryException.class,
        () -> EvalJob.run(down, EvalRequest.from(down.config())));
    assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
    assertTrue(LongerAnswerJudge.ASKED.isEmpty());
    assertFalse(ctx.warehouse().exists(EvalResult.TABLE)
        && ctx.warehouse().readRun(EvalResult.TABLE, "r-down").count() > 0);
  }
}
