package dev.refinery.mixing.tokens;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * How tokens are counted ({@code mixing.tokens.*}): shipped to executors, where each partition opens its
 * own {@link TokenCounter}.
 */
public record TokenCounting(String tokenizerJson, double charsPerToken) implements Serializable {
  public static TokenCounting from(RefineryConfig config) {
    String path = config.getString("mixing.tokens.tokenizer-json").trim();
    double cpt = config.getDouble("mixing.tokens.chars-per-token");
    if (!(cpt > 0)) {
      throw new RefineryException("mixing.tokens.chars-per-token must be positive, got " + cpt);
    }
    if (!path.isEmpty() && !new File(path).isFile()) {
      throw new RefineryException("mixing.tokens.tokenizer-json = " + path
          + " is not a file; give the path of a Hugging Face tokenizer.json, or \"\" to approximate");
    }
    return new TokenCounting(path, cpt);
  }

  public TokenCounter open() {
    return tokenizerJson.isEmpty() ? new ApproximateTokenCounter(charsPerToken)
        : new ModelsTokenCounter(Path.of(tokenizerJson));
  }
}
