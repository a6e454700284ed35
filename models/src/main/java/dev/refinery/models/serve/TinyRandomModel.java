package dev.refinery.models.serve;

import ai.djl.Device;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.tokenizer.CharTokenizer;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.util.List;

/**
 * A randomly initialised two-layer model with a character tokenizer, for plumbing tests of servers and
 * clients: its text is nonsense, but it runs through exactly the code a trained checkpoint does.
 * Characters outside the alphabet encode as the unknown token. Close {@code generator.model()} when done.
 */
public final class TinyRandomModel {
  /** Printable ASCII and newline. */
  public static final String ASCII;

  static {
    StringBuilder b = new StringBuilder("\n");
    for (char c = 32; c < 127; c++) {
      b.append(c);
    }
    ASCII = b.toString();
  }

  private TinyRandomModel() {}

  /** A small alphabet makes the end-of-text token likely, so answers end before max_tokens. */
  public static Generator create(String alphabet, int contextLength, long seed) {
    CharTokenizer tokenizer = CharTokenizer.train(List.of(alphabet));
    ModelConfig config = ModelConfig.gpt(tokenizer.vocabSize(), contextLength, 2, 2, 32, 0f);
    return new Generator(DecoderModel.create(config, Device.cpu(), seed), tokenizer);
  }
}
