package dev.refinery.mixing.tokens;

import dev.refinery.core.RefineryException;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Exact counts with the models module's tokenizer for a {@code tokenizer.json}: the project's own byte-level
 * BPE and char vocabularies load into pure Java, any other Hugging Face tokenizer through DJL. Corpus text
 * is encoded as ordinary text (special-token strings in it are not special), with no special tokens added:
 * the count is what the document contributes to a packed training stream.
 */
public final class ModelsTokenCounter implements TokenCounter {
  private final Path path;
  private final Tokenizer tokenizer;

  public ModelsTokenCounter(Path tokenizerJson) {
    this.path = tokenizerJson;
    try {
      this.tokenizer = Tokenizers.load(tokenizerJson);
    } catch (IOException | RuntimeException e) {
      throw new RefineryException("mixing.tokens.tokenizer-json: cannot load " + tokenizerJson + ": "
          + e.getMessage());
    }
  }

  @Override
  public long count(String text) {
    return tokenizer.encodeOrdinary(text).length;
  }

  @Override
  public String description() {
    return "tokenizer.json:" + path;
  }
}
