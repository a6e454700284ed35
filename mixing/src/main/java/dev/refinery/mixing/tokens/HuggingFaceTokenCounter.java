package dev.refinery.mixing.tokens;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.refinery.core.RefineryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Exact counts with a Hugging Face {@code tokenizer.json} (DJL's binding of the Rust tokenizers library,
 * whose native library ships inside the DJL jar). No special tokens, no truncation: the count is what the
 * document contributes to a packed training stream.
 */
public final class HuggingFaceTokenCounter implements TokenCounter {
  private final Path path;
  private final HuggingFaceTokenizer tokenizer;

  public HuggingFaceTokenCounter(Path tokenizerJson) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new RefineryException("mixing.tokens.tokenizer-json: no file at " + tokenizerJson);
    }
    this.path = tokenizerJson;
    try {
      this.tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson)
          .optAddSpecialTokens(false)
          .optTruncation(false)
          .optPadding(false)
          .build();
    } catch (IOException | RuntimeException e) {
      throw new RefineryException("mixing.tokens.tokenizer-json: cannot load " + tokenizerJson + ": "
          + e.getMessage());
    }
  }

  @Override
  public long count(String text) {
    return tokenizer.encode(text, false, false).getIds().length;
  }

  @Override
  public String description() {
    return "tokenizer.json:" + path;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
