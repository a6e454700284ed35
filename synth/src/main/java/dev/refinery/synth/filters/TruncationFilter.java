package dev.refinery.synth.filters;

/** Drops answers the server cut off at max_tokens (finish_reason = length): they end mid-sentence. */
public final class TruncationFilter implements SynthFilter {
  @Override
  public String reject(Candidate c) {
    return "length".equals(c.finishReason()) ? "truncated" : null;
  }
}
