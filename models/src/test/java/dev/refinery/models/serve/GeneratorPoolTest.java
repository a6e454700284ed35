package dev.refinery.models.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.models.generation.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Generators sharing one model's weights: lent at once to concurrent callers, answering as one generator does. */
class GeneratorPoolTest {
  @Test
  void concurrentRequestsGenerateInParallelAndAnswerAsOneGeneratorDoes() throws Exception {
    Generator generator = TinyRandomModel.create(TinyRandomModel.ASCII, 256, 3);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      GeneratorPool pool = GeneratorPool.of(generator, 2);
      // Both generators are out at the same time: each borrower waits until the other holds one too.
      CountDownLatch bothOut = new CountDownLatch(2);
      List<Future<Generator>> borrowed = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        borrowed.add(threads.submit(() -> pool.with(g -> {
          bothOut.countDown();
          try {
            assertTrue(bothOut.await(10, TimeUnit.SECONDS), "the second generator was not lent concurrently");
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return g;
        })));
      }
      assertNotSame(borrowed.get(0).get(), borrowed.get(1).get());

      OpenAiEndpoints one = new OpenAiEndpoints(generator, "tiny", 24);
      OpenAiEndpoints pooled = new OpenAiEndpoints(pool, "tiny", 24);
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        bodies.add("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"question " + i
            + "\"}],\"max_tokens\":24,\"temperature\":0.8,\"seed\":" + i + "}");
      }
      List<Future<ApiResponse>> concurrent = new ArrayList<>();
      for (String b : bodies) {
        concurrent.add(threads.submit(() -> pooled.handle("POST", "/v1/chat/completions", b)));
      }
      for (int i = 0; i < bodies.size(); i++) {
        ApiResponse alone = one.handle("POST", "/v1/chat/completions", bodies.get(i));
        ApiResponse together = concurrent.get(i).get();
        assertEquals(200, together.status(), together.json());
        assertEquals(choices(alone.json()), choices(together.json()), "request " + i);
      }
    } finally {
      threads.shutdownNow();
      generator.model().close();
    }
  }

  /** The answer without its random id and timestamp. */
  private static String choices(String json) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    return o.get("choices").toString() + o.get("usage");
  }
}
