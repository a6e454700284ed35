package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.serve.GeneratorPool;
import dev.refinery.models.serve.OpenAiEndpoints;
import dev.refinery.models.serve.OpenAiServer;
import dev.refinery.models.serve.TinyRandomModel;
import dev.refinery.synth.client.ChatMessage;
import dev.refinery.synth.client.EndpointSettings;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.OpenAiClient;
import dev.refinery.synth.client.Sampling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * synth's LLM client against the project's own OpenAI-compatible server ({@link OpenAiServer} over the random
 * tiny model with {@code models.serve} defaults, as {@code refinery serve --random-tiny} starts it):
 * requests/second sustained with 64 requests in flight, with one generator (generation serialised) and with a
 * pool of generators sharing the weights (as many as the server has threads); and the client's cost per
 * request: the same request answered in-process ({@link OpenAiEndpoints#handle}, the server's whole work) and
 * through our client over loopback, interleaved, the median difference taken.
 */
public final class SynthBenchmark implements Benchmark {
  private static final int CONCURRENT = 64;
  private static final String MODEL = "random-tiny";

  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String description() {
    return "LLM client vs our OpenAI server: requests/s with 64 in flight, and client overhead per request";
  }

  @Override
  public List<String> smoke() {
    return List.of("64");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("requests_per_s", "requests_per_s_one_generator", "concurrency", "server", "client_overhead_ms",
        "client_code_ms", "server_work_ms");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int total = args.isEmpty() ? 1000 : Integer.parseInt(args.get(0));
    int sequential = Math.max(50, total / 5);
    RefineryConfig serve = RefineryConfig.defaultsOnly().section("models.serve");
    int threads = serve.getInt("threads");
    Generator generator = TinyRandomModel.create(TinyRandomModel.ASCII, serve.getInt("random-tiny-context"), 0);
    List<String> table = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    table.add(String.format("server: OpenAiServer, random tiny model (%d parameters), %d threads, queue %d; "
        + "requests: chat, max_tokens 32, temperature 0.7", generator.model().parameterCount(), threads,
        serve.getInt("queue")));
    try {
      double rpsOne = 0;
      double rpsPool = 0;
      for (int pool : new int[] {1, threads}) {
        OpenAiEndpoints endpoints = new OpenAiEndpoints(GeneratorPool.of(generator, pool), MODEL,
            serve.getInt("max-tokens-cap"));
        try (OpenAiServer server = start(endpoints, serve); OpenAiClient client = client(server)) {
          call(client, 0, Math.min(200, total)); // warm-up
          long t0 = System.nanoTime();
          List<LlmResponse> out = call(client, 1_000_000, total);
          double seconds = (System.nanoTime() - t0) / 1e9;
          long failed = out.stream().filter(r -> !r.ok()).count();
          long tokens = out.stream().mapToLong(LlmResponse::completionTokens).sum();
          double rps = total / seconds;
          table.add(String.format("%d generator(s): %d requests, %d in flight: %.2f s, %.1f requests/s, %.0f "
              + "tokens/s, %d failed", pool, total, CONCURRENT, seconds, rps, tokens / seconds, failed));
          if (pool == 1) {
            rpsOne = rps;
            overhead(endpoints, client, sequential, table, figures);
          } else {
            rpsPool = rps;
          }
        }
      }
      table.add(String.format("generator pool of %d vs one generator: %.2fx requests/s", threads, rpsPool / rpsOne));
      figures.put("requests_per_s", Math.round(rpsPool * 10) / 10.0);
      figures.put("requests_per_s_one_generator", Math.round(rpsOne * 10) / 10.0);
      figures.put("concurrency", CONCURRENT);
      figures.put("server", "OpenAiServer random-tiny");
      return new BenchResult(table, figures);
    } finally {
      generator.model().close();
    }
  }

  /**
   * Per request, interleaved so that load changes hit both alike: the server's whole work in-process, then the
   * same request through our client over loopback; the median of the differences. Then our client's own code
   * without any I/O (canonical body, cache key, hand-off to its pool, parsing the answer), as against an
   * instant server.
   */
  private static void overhead(OpenAiEndpoints endpoints, OpenAiClient client, int n, List<String> table,
      Map<String, Object> figures) throws Exception {
    double[] inProcess = new double[n];
    double[] viaClient = new double[n];
    String answer = null;
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up
      for (int i = 0; i < n; i++) {
        LlmRequest r = request(2_000_000 + i);
        long t0 = System.nanoTime();
        answer = endpoints.handle("POST", "/v1/chat/completions", r.body()).json();
        long t1 = System.nanoTime();
        LlmRequest again = request(2_000_000 + i); // our client's path from the start: body, key, call, parse
        again.key();
        LlmResponse response = client.call(again.path(), again.body());
        long t2 = System.nanoTime();
        if (!response.ok()) {
          throw new IllegalStateException("request failed: " + response.error());
        }
        inProcess[i] = (t1 - t0) / 1e6;
        viaClient[i] = (t2 - t1) / 1e6;
      }
    }
    double[] difference = new double[n];
    for (int i = 0; i < n; i++) {
      difference[i] = viaClient[i] - inProcess[i];
    }
    double overhead = Stats.median(difference);
    ExecutorService handoff = Executors.newSingleThreadExecutor();
    int codeRuns = 20 * n;
    double code = 0;
    try {
      for (int pass = 0; pass < 2; pass++) { // the first pass warms up
        long c0 = System.nanoTime();
        for (int i = 0; i < codeRuns; i++) {
          LlmRequest r = request(3_000_000 + i);
          String body = r.body();
          r.key();
          handoff.submit(body::length).get();
          OpenAiClient.parse(answer, 1, 0);
        }
        code = (System.nanoTime() - c0) / 1e6 / codeRuns;
      }
    } finally {
      handoff.shutdown();
    }
    table.add(String.format("sequential, %d requests, medians: server work in-process %.3f ms, through our client "
        + "over loopback %.3f ms", n, Stats.median(inProcess), Stats.median(viaClient)));
    table.add(String.format("client overhead per request (our client over loopback HTTP minus the server's work): "
        + "%.3f ms; our client's code alone (body, key, pool hand-off, parse; no I/O): %.4f ms", overhead, code));
    figures.put("client_overhead_ms", Math.round(overhead * 1000) / 1000.0);
    figures.put("client_code_ms", Math.round(code * 10000) / 10000.0);
    figures.put("server_work_ms", Math.round(Stats.median(inProcess) * 1000) / 1000.0);
  }

  private static OpenAiServer start(OpenAiEndpoints endpoints, RefineryConfig serve) throws Exception {
    return OpenAiServer.start(endpoints, "127.0.0.1", 0, serve.getInt("threads"), serve.getInt("queue"),
        (int) serve.getBytes("max-request-size"));
  }

  private static OpenAiClient client(OpenAiServer server) {
    return new OpenAiClient(new EndpointSettings(server.baseUrl(), MODEL, "", Duration.ofSeconds(120),
        Duration.ofSeconds(5), 3, Duration.ofMillis(100), Duration.ofSeconds(2), CONCURRENT, 0), null);
  }

  private static List<LlmResponse> call(OpenAiClient client, int firstSeed, int count) {
    List<String> paths = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      LlmRequest r = request(firstSeed + i);
      paths.add(r.path());
      bodies.add(r.body());
    }
    return client.callAll(paths, bodies);
  }

  private static LlmRequest request(int seed) {
    return LlmRequest.chat(MODEL, List.of(ChatMessage.system("You are a helpful assistant."),
        ChatMessage.user("Question number " + seed + ": name one prime number.")), new Sampling(0.7, 0.95, 32,
        List.of()), seed);
  }
}
