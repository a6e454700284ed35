package dev.refinery.synth.client;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * How to reach one OpenAI-compatible endpoint and how hard to push it. Holds the NAME of the environment
 * variable with the API key, never the key itself, so it can be shipped to executors and printed safely.
 * {@code requestsPerSecondPerJvm} is the global rate divided by the number of executors (0 = unlimited).
 */
public record EndpointSettings(String baseUrl, String model, String apiKeyEnv, Duration timeout,
    Duration connectTimeout, int maxRetries, Duration backoffInitial, Duration backoffMax,
    int concurrencyPerExecutor, double requestsPerSecondPerJvm) implements Serializable {

  public EndpointSettings {
    baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    if (concurrencyPerExecutor < 1) {
      throw new RefineryException("synth.endpoint.concurrency-per-executor must be at least 1");
    }
    if (maxRetries < 0) {
      throw new RefineryException("synth.endpoint.max-retries must be 0 or more");
    }
  }

  /** Reads {@code synth.endpoint}; the global rate is split over {@code executors} JVMs. */
  public static EndpointSettings from(RefineryConfig config, int executors) {
    RefineryConfig e = config.section("synth.endpoint");
    double rate = e.getDouble("requests-per-second");
    return new EndpointSettings(e.getString("base-url"), e.getString("model"), e.getString("api-key-env"),
        e.getDuration("timeout"), e.getDuration("connect-timeout"), e.getInt("max-retries"),
        e.getDuration("backoff-initial"), e.getDuration("backoff-max"), e.getInt("concurrency-per-executor"),
        rate <= 0 ? 0 : rate / Math.max(1, executors));
  }

  /** The key from the environment variable named in conf, or null when none is named or it is unset. */
  public String apiKey() {
    if (apiKeyEnv == null || apiKeyEnv.isBlank()) {
      return null;
    }
    String v = System.getenv(apiKeyEnv);
    return v == null || v.isBlank() ? null : v;
  }
}
