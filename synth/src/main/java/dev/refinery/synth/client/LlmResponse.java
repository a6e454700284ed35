package dev.refinery.synth.client;

import java.io.Serializable;

/**
 * What came back for one request: the text and why generation stopped ({@code stop}, {@code length} =
 * truncated), token usage as reported by the server (-1 when it reports none), how many attempts it took,
 * and the error when every attempt failed ({@code text} is then null).
 */
public record LlmResponse(String text, String finishReason, long promptTokens, long completionTokens,
    int attempts, long latencyMs, String error) implements Serializable {

  public static LlmResponse failed(String error, int attempts, long latencyMs) {
    return new LlmResponse(null, null, -1, -1, attempts, latencyMs, error);
  }

  public boolean ok() {
    return error == null;
  }

  public boolean truncated() {
    return "length".equals(finishReason);
  }
}
