package dev.refinery.synth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client for OpenAI-compatible servers (vLLM, TGI, Ollama, llama.cpp server, hosted APIs). A fixed pool of
 * {@code concurrencyPerExecutor} threads is the concurrency limit of the JVM; a {@link RateLimiter} holds its
 * share of the global rate. 429, 5xx, time-outs, connection errors and unparseable bodies are retried with
 * back-off and jitter (Retry-After honoured); any other 4xx fails at once. The API key is only ever put in
 * the Authorization header: it is in no message, log line or exception.
 */
public final class OpenAiClient implements LlmClient, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EndpointSettings settings;
  private final String apiKey;
  private final HttpClient http;
  private final RateLimiter rate;
  private final Backoff backoff;
  private final ExecutorService pool;

  public OpenAiClient(EndpointSettings settings) {
    this(settings, settings.apiKey());
  }

  /** With an explicit key (tests); {@code apiKey} null means no Authorization header. */
  public OpenAiClient(EndpointSettings settings, String apiKey) {
    this.settings = settings;
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
        .version(HttpClient.Version.HTTP_1_1).build();
    this.rate = new RateLimiter(settings.requestsPerSecondPerJvm());
    this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(settings.concurrencyPerExecutor(), r -> {
      Thread t = new Thread(r, "refinery-llm-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public EndpointSettings settings() {
    return settings;
  }

  @Override
  public List<LlmResponse> callAll(List<String> paths, List<String> bodies) {
    List<Future<LlmResponse>> futures = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i);
      String body = bodies.get(i);
      futures.add(pool.submit(() -> call(path, body)));
    }
    List<LlmResponse> out = new ArrayList<>(futures.size());
    for (Future<LlmResponse> f : futures) {
      try {
        out.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(x -> x.cancel(true));
        throw new IllegalStateException("interrupted while waiting for LLM responses", e);
      } catch (ExecutionException e) {
        out.add(LlmResponse.failed("client error: " + e.getCause(), 0, 0));
      }
    }
    return out;
  }

  @Override
  public LlmResponse call(String path, String body) {
    long start = System.nanoTime();
    String lastError = "no attempt made";
    int attempts = 0;
    for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
      long retryAfter = 0;
      try {
        rate.acquire();
        attempts++;
        HttpResponse<String> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        int status = r.statusCode();
        if (status == 200) {
          try {
            return parse(r.body(), attempts, millisSince(start));
          } catch (IOException | RuntimeException malformed) {
            lastError = "malformed response: " + oneLine(malformed.getMessage());
          }
        } else if (status == 429 || status >= 500) {
          lastError = "HTTP " + status + ": " + oneLine(r.body());
          retryAfter = retryAfterMillis(r.headers().firstValue("Retry-After").orElse(null));
        } else {
          return LlmResponse.failed("HTTP " + status + " (not retried): " + oneLine(r.body()), attempts,
              millisSince(start));
        }
      } catch (HttpTimeoutException e) {
        lastError = "timed out after " + settings.timeout().toMillis() + " ms";
      } catch (IOException e) {
        lastError = "connection error: " + oneLine(String.valueOf(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return LlmResponse.failed("interrupted", attempts, millisSince(start));
      }
      if (attempt < settings.maxRetries()) {
        try {
          Thread.sleep(backoff.delayMillis(attempt, retryAfter));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return LlmResponse.failed("interrupted", attempts, millisSince(start));
        }
      }
    }
    return LlmResponse.failed("gave up after " + attempts + " attempts: " + lastError, attempts,
        millisSince(start));
  }

  private HttpRequest request(String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
        .timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return b.build();
  }

  /** Reads choices[0] (message.content for chat, text for completions), finish_reason and usage. */
  public static LlmResponse parse(String body, int attempts, long latencyMs) throws IOException {
    JsonNode root = JSON.readTree(body);
    JsonNode choice = root.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw new IOException("no choices in response");
    }
    JsonNode content = choice.has("message") ? choice.path("message").path("content") : choice.path("text");
    if (!content.isTextual()) {
      throw new IOException("no text in choices[0]");
    }
    JsonNode usage = root.path("usage");
    return new LlmResponse(content.asText(), choice.path("finish_reason").asText(null),
        usage.path("prompt_tokens").asLong(-1), usage.path("completion_tokens").asLong(-1), attempts,
        latencyMs, null);
  }

  /** Retry-After as delta-seconds or an HTTP date; 0 when absent or unreadable. */
  public static long retryAfterMillis(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, (long) (Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (DateTimeParseException unreadable) {
        return 0;
      }
    }
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("\\s+", " ").trim();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  @Override
  public String toString() {
    return "OpenAiClient[" + settings.baseUrl() + " model=" + settings.model() + "]";
  }
}
