package dev.refinery.train.tokens;

import dev.refinery.core.RefineryException;
import java.io.Serializable;

/**
 * Which tokenizer to open, as a small serialisable value shipped to executors (a tokenizer itself is
 * opened once per partition there). {@code name} is {@code bytes}.
 */
public record TokenizerSpec(String name) implements Serializable {
  public static final String BYTES = "bytes";

  public TokenizerSpec {
    if (!BYTES.equals(name)) {
      throw new RefineryException("train.shards.tokenizer = '" + name + "' is not supported; use \"bytes\"");
    }
  }

  public TextTokenizer open() {
    return new ByteTokenizer();
  }
}
