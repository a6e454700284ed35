package dev.refinery.synth.cache;

/**
 * What a run asked for and what it paid: requests asked, answered from the cache, sent to the endpoint,
 * failed after all retries, HTTP attempts made, and tokens of the newly paid answers (as the server
 * reported them).
 */
public record LlmUsage(long requested, long cacheHits, long paid, long failed, long attempts, long promptTokens,
    long completionTokens) {
  public static final LlmUsage NONE = new LlmUsage(0, 0, 0, 0, 0, 0, 0);

  public LlmUsage plus(LlmUsage o) {
    return new LlmUsage(requested + o.requested, cacheHits + o.cacheHits, paid + o.paid, failed + o.failed,
        attempts + o.attempts, promptTokens + o.promptTokens, completionTokens + o.completionTokens);
  }

  @Override
  public String toString() {
    return requested + " requests: " + cacheHits + " from cache, " + paid + " paid (" + attempts
        + " HTTP attempts), " + failed + " failed; " + promptTokens + " prompt + " + completionTokens
        + " completion tokens paid";
  }
}
