package dev.refinery.models.generation;

import java.util.List;

/**
 * How to pick each next token.
 *
 * @param temperature 0 means greedy (argmax)
 * @param topK keep only the k most likely tokens (0: all)
 * @param topP keep the smallest set of tokens whose probability reaches p (1: all)
 * @param stop generation ends before any of these strings (not included in the text)
 */
public record SamplingParams(int maxTokens, float temperature, int topK, float topP, List<String> stop, long seed) {
  public SamplingParams {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0");
    }
    if (temperature < 0) {
      throw new IllegalArgumentException("temperature must be >= 0");
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1]");
    }
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  public static SamplingParams greedy(int maxTokens) {
    return new SamplingParams(maxTokens, 0f, 0, 1f, List.of(), 0L);
  }
}
