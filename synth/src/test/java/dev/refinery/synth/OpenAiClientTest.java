package dev.refinery.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.synth.FakeOpenAiServer.Fault;
import dev.refinery.synth.client.ChatMessage;
import dev.refinery.synth.client.EndpointSettings;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.OpenAiClient;
import dev.refinery.synth.client.Sampling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP client against loopback servers: retries, back-off, Retry-After, limits, the API key. */
class OpenAiClientTest {
  private static final String SECRET = "sk-test-do-not-leak-1234";

  private static EndpointSettings settings(FakeOpenAiServer s, int concurrency, double rate, int retries) {
    return new EndpointSettings(s.baseUrl(), "fake", "", Duration.ofMillis(500), Duration.ofSeconds(2), retries,
        Duration.ofMillis(5), Duration.ofMillis(40), concurrency, rate);
  }

  private static LlmRequest request(int i) {
    return LlmRequest.chat("fake", List.of(ChatMessage.user("Write a story number " + i)),
        new Sampling(0.7, 0.95, 64, List.of()), i);
  }

  private static LlmResponse call(OpenAiClient c, LlmRequest r) {
    return c.call(r.path(), r.body());
  }

  @Test
  void answersAndCountsTokens() throws Exception {
    try (var s = FakeOpenAiServer.wellBehaved(); var c = new OpenAiClient(settings(s, 4, 0, 3), SECRET)) {
      LlmResponse r = call(c, request(1));
      assertTrue(r.ok(), r.error());
      assertEquals(1, r.attempts());
      assertTrue(r.promptTokens() > 0 && r.completionTokens() > 0);
      assertEquals("Bearer " + SECRET, s.lastAuthorization.get("value"));
      assertFalse(c.toString().contains(SECRET));
      assertEquals(r.text(), call(c, request(1)).text(), "same request, same answer");
    }
  }

  @Test
  void retriesEveryTransientFaultAndHonoursRetryAfter() throws Exception {
    // attempt 1: the fault, attempt 2: fine
    for (Fault f : List.of(Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.SLOW, Fault.BROKEN_JSON, Fault.RESET)) {
      try (var s = new FakeOpenAiServer((h, a, n) -> a == 1 ? f : Fault.NONE, 800, 0);
          var c = new OpenAiClient(settings(s, 2, 0, 3), null)) {
        LlmResponse r = call(c, request(2));
        assertTrue(r.ok(), f + ": " + r.error());
        assertEquals(2, r.attempts(), f.toString());
        assertEquals(1, s.totalPaid());
      }
    }
  }

  @Test
  void waitsAtLeastRetryAfter() throws Exception {
    try (var s = new FakeOpenAiServer((h, a, n) -> a == 1 ? Fault.RATE_LIMITED : Fault.NONE, 0, 0);
        var c = new OpenAiClient(settings(s, 2, 0, 3), null)) {
      s.retryAfter = "1";
      long t0 = System.nanoTime();
      LlmResponse r = call(c, request(5));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(r.ok());
      assertEquals(2, r.attempts());
      assertTrue(ms >= 1000, "waited " + ms + " ms, Retry-After said 1 s (back-off alone is at most 40 ms)");
    }
    assertEquals(0, OpenAiClient.retryAfterMillis("garbage"));
    assertEquals(0, OpenAiClient.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT"), "past dates wait 0");
  }

  @Test
  void doesNotRetryOtherClientErrorsAndGivesUpAfterMaxRetries() throws Exception {
    try (var s = FakeOpenAiServer.wellBehaved(); var c = new OpenAiClient(settings(s, 2, 0, 3), SECRET)) {
      LlmResponse r = c.call("no-such-endpoint", request(3).body());
      assertFalse(r.ok());
      assertEquals(1, r.attempts(), "a 404 is not retried");
      assertFalse(r.error().contains(SECRET));
    }
    try (var s = new FakeOpenAiServer((h, a, n) -> Fault.DOWN, 0, 0);
        var c = new OpenAiClient(settings(s, 2, 0, 3), SECRET)) {
      LlmResponse r = call(c, request(4));
      assertFalse(r.ok());
      assertEquals(4, r.attempts());
      assertNull(r.text());
      assertTrue(r.error().contains("503"), r.error());
      assertFalse(r.error().contains(SECRET));
    }
  }

  @Test
  void limitsConcurrencyAndRate() throws Exception {
    try (var s = new FakeOpenAiServer((h, a, n) -> Fault.NONE, 0, 50);
        var c = new OpenAiClient(settings(s, 4, 0, 0), null)) {
      List<String> paths = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        paths.add(request(i).path());
        bodies.add(request(i).body());
      }
      List<LlmResponse> out = c.callAll(paths, bodies);
      assertTrue(out.stream().allMatch(LlmResponse::ok));
      assertEquals(4, s.maxInFlight.get(), "never more than concurrency-per-executor in flight");
    }
    try (var s = FakeOpenAiServer.wellBehaved(); var c = new OpenAiClient(settings(s, 8, 20, 0), null)) {
      List<String> paths = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        paths.add(request(i).path());
        bodies.add(request(i).body());
      }
      long t0 = System.nanoTime();
      c.callAll(paths, bodies);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 450, "11 requests at 20/s take at least 0.5 s, took " + ms);
    }
  }

  @Test
  void cacheKeyCoversModelMessagesSamplingAndSeed() {
    LlmRequest base = request(7);
    assertEquals(base.key(), request(7).key());
    assertFalse(base.key().equals(request(8).key()), "seed");
    assertFalse(base.key().equals(LlmRequest.chat("other", base.messages(), base.sampling(), 7).key()), "model");
    assertFalse(base.key().equals(LlmRequest.chat("fake", base.messages(), base.sampling().withTemperature(0.1), 7)
        .key()), "temperature");
    assertFalse(base.body().contains(SECRET));
  }
}
