package dev.refinery.synth.client;

import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.util.List;

/** Sampling parameters of one request; part of the cache key, so changing them pays for new answers. */
public record Sampling(double temperature, double topP, int maxTokens, List<String> stop) implements Serializable {
  public Sampling {
    stop = List.copyOf(stop);
  }

  /** Reads {@code temperature}, {@code top-p}, {@code max-tokens} from a config section. */
  public static Sampling from(RefineryConfig section) {
    return new Sampling(section.getDouble("temperature"), section.getDouble("top-p"),
        section.getInt("max-tokens"), List.of());
  }

  public Sampling withTemperature(double t) {
    return new Sampling(t, topP, maxTokens, stop);
  }

  public Sampling withStop(List<String> s) {
    return new Sampling(temperature, topP, maxTokens, s);
  }
}
