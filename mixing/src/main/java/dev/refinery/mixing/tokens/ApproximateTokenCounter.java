package dev.refinery.mixing.tokens;

import dev.refinery.core.text.WordSplitter;

/**
 * Token estimate when no tokenizer is configured: each CJK/Thai character is one token (as in most BPE
 * vocabularies trained on such text); any other word is max(1, round(length / charsPerToken)) tokens: common
 * words are one token and long ones split, as in BPE (about 1.3 tokens per English word at 4 characters per
 * token). Punctuation is not counted.
 */
public final class ApproximateTokenCounter implements TokenCounter {
  private final double charsPerToken;

  public ApproximateTokenCounter(double charsPerToken) {
    if (!(charsPerToken > 0)) {
      throw new IllegalArgumentException("chars-per-token must be positive: " + charsPerToken);
    }
    this.charsPerToken = charsPerToken;
  }

  @Override
  public long count(String text) {
    long tokens = 0;
    for (String w : WordSplitter.words(text)) {
      int chars = w.codePointCount(0, w.length());
      tokens += Math.max(1, Math.round(chars / charsPerToken));
    }
    return tokens;
  }

  @Override
  public String description() {
    return "approximate (" + charsPerToken + " chars per token)";
  }
}
