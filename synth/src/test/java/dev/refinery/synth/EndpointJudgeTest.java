package dev.refinery.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.eval.AnswerJudge;
import dev.refinery.core.eval.AnswerJudge.Item;
import dev.refinery.core.eval.AnswerJudge.Outcome;
import dev.refinery.core.eval.AnswerJudge.Verdict;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TestSpark;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eval's judge as synth provides it, against the fake OpenAI server: found through ServiceLoader; each answer and
 * its reference graded apart by synth's judge prompt through the response cache (a repeat pays nothing), so the
 * same text on both sides ties and swapping the sides mirrors the outcome; a down endpoint stops at validation.
 */
class EndpointJudgeTest {
  private static SparkSession spark;
  private static FakeOpenAiServer server;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    server = FakeOpenAiServer.wellBehaved();
  }

  @AfterAll
  static void stop() {
    server.close();
    spark.stop();
  }

  private static StageContext context(String baseUrl) {
    RefineryConfig c = TestSpark.config(tmp.resolve("wh"), "synth.endpoint.base-url=\"" + baseUrl + "\"",
        "synth.endpoint.model=fake-model", "synth.endpoint.timeout=2s", "synth.endpoint.connect-timeout=500ms",
        "synth.endpoint.max-retries=0");
    return new StageContext(spark, c, Warehouse.open(spark, c), "r1");
  }

  @Test
  void gradesBothAnswersApartThroughTheCache() {
    StageContext ctx = context(server.baseUrl());
    AnswerJudge judge = AnswerJudge.registered();
    assertInstanceOf(EndpointJudge.class, judge);
    judge.validate(ctx);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      items.add(new Item("Describe a river " + i + ".", "A long river " + i + " flows to the sea.", "A river " + i + "."));
      items.add(new Item("Name a planet " + i + ".", "Mars " + i, "Mars " + i));
    }
    List<Verdict> verdicts = judge.judge(ctx, items);
    assertEquals(items.size(), verdicts.size());
    verdicts.forEach(v -> assertNotNull(v.outcome(), "a verdict: " + v.problem()));
    for (int i = 1; i < items.size(); i += 2) {
      assertEquals(Outcome.TIE, verdicts.get(i).outcome(), "the same answer on both sides ties");
    }
    // graded apart: 2 requests per different pair, 1 for an identical one, each paid once
    assertEquals(3 * 2 + 3, server.paid.size());
    int paid = server.totalPaid();
    assertEquals(3 * 2 + 3, paid);

    List<Item> swapped = items.stream().map(x -> new Item(x.instruction(), x.reference(), x.answer())).toList();
    List<Verdict> mirrored = judge.judge(ctx, swapped);
    for (int i = 0; i < items.size(); i++) {
      Outcome o = verdicts.get(i).outcome();
      assertEquals(o == Outcome.WIN ? Outcome.LOSS : o == Outcome.LOSS ? Outcome.WIN : Outcome.TIE,
          mirrored.get(i).outcome(), "swapping the answers mirrors the outcome of item " + i);
    }
    assertEquals(paid, server.totalPaid(), "the swapped run is answered from the cache");
  }

  @Test
  void aDownEndpointStopsAtValidation() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StageContext ctx = context("http://127.0.0.1:" + port + "/v1");
    RefineryException e = assertThrows(RefineryException.class, () -> AnswerJudge.registered().validate(ctx));
    assertTrue(e.getMessage().startsWith("cannot reach the LLM endpoint"), e.getMessage());
  }
}
