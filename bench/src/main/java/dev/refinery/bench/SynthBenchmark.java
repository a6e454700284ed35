package dev.refinery.bench;

import com.sun.net.httpserver.HttpServer;
import dev.refinery.synth.client.ChatMessage;
import dev.refinery.synth.client.EndpointSettings;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.OpenAiClient;
import dev.refinery.synth.client.Sampling;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * synth's LLM client against a loopback OpenAI-compatible server that answers at once with a fixed chat
 * completion: requests/second sustained with 64 requests in flight, and the client's own cost per request
 * (building the canonical body and cache key, parsing the answer, handing the call to the client's pool).
 * The server does no model work, so both figures measure the client and the HTTP stack, not a model.
 */
public final class SynthBenchmark implements Benchmark {
  private static final String ANSWER = "{\"id\":\"b\",\"object\":\"chat.completion\",\"model\":\"bench\",\"choices\":"
      + "[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":"
      + "\"A short answer of about twenty tokens, as a small model would give to a short question.\"}}],"
      + "\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":20,\"total_tokens\":44}}";

  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String description() {
    return "LLM client: requests/s with 64 in flight against a loopback server, and client overhead per request";
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int concurrent = 64;
    int total = args.isEmpty() ? 20000 : Integer.parseInt(args.get(0));
    int sequential = Math.max(500, total / 10);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
    server.createContext("/v1/", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, answer.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(answer);
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(concurrent));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    EndpointSettings settings = new EndpointSettings(base, "bench", "", Duration.ofSeconds(30),
        Duration.ofSeconds(5), 3, Duration.ofMillis(100), Duration.ofSeconds(2), concurrent, 0);
    try (OpenAiClient client = new OpenAiClient(settings, null)) {
      List<String> paths = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        LlmRequest r = request(i);
        paths.add(r.path());
        bodies.add(r.body());
      }
      client.callAll(paths.subList(0, Math.min(2000, total)), bodies.subList(0, Math.min(2000, total))); // warm-up
      long t0 = System.nanoTime();
      List<LlmResponse> out = client.callAll(paths, bodies);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long failed = out.stream().filter(r -> !r.ok()).count();
      double rps = total / seconds;

      // Our own cost per request, on top of the HTTP exchange: canonical body, cache key, response parsing and
      // the hand-off to the client's pool. (A bare java.net.http baseline against com.sun.net.httpserver is
      // dominated by that server's ~45 ms keep-alive stall on a single connection, so it cannot be subtracted.)
      java.util.concurrent.ExecutorService handoff = Executors.newSingleThreadExecutor();
      double overhead = 0;
      for (int pass = 0; pass < 2; pass++) { // the first pass warms up
        long o0 = System.nanoTime();
        for (int i = 0; i < sequential * 10; i++) {
          LlmRequest r = request(i);
          String body = r.body();
          r.key();
          handoff.submit(() -> body.length()).get();
          OpenAiClient.parse(ANSWER, 1, 0);
        }
        overhead = (System.nanoTime() - o0) / 1e6 / (sequential * 10);
      }
      handoff.shutdown();
      long s0 = System.nanoTime();
      for (int i = 0; i < sequential; i++) {
        LlmRequest r = request(i);
        client.call(r.path(), r.body());
      }
      double oursMs = (System.nanoTime() - s0) / 1e6 / sequential;
      List<String> table = List.of(
          String.format("server: loopback fixed-answer OpenAI-compatible (com.sun.net.httpserver), %d threads",
              concurrent),
          String.format("%d requests, %d in flight: %.2f s, %.0f requests/s, %d failed", total, concurrent, seconds,
              rps, failed),
          String.format("sequential latency over %d requests through our client: %.3f ms", sequential, oursMs),
          String.format("client overhead per request (body, key, parse, pool hand-off): %.4f ms", overhead));
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("requests_per_s", Math.round(rps));
      figures.put("client_overhead_ms", Math.round(overhead * 10000) / 10000.0);
      figures.put("concurrency", concurrent);
      figures.put("server", "loopback-fixed-answer");
      return new BenchResult(table, figures);
    } finally {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  private static LlmRequest request(int i) {
    return LlmRequest.chat("bench", List.of(ChatMessage.system("You are a helpful assistant."),
        ChatMessage.user("Question number " + i + ": name one prime number.")), new Sampling(0.7, 0.95, 64, List.of()),
        i);
  }
}
