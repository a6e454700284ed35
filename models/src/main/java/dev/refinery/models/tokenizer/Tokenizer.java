package dev.refinery.models.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Text to token ids and back. Implementations are thread-safe. {@link #encode} recognises special
 * tokens written in the text (as Hugging Face tokenizers do); {@link #encodeOrdinary} treats every
 * character as text, which is what untrusted corpus text needs.
 */
public interface Tokenizer {
  int[] encode(String text);

  int[] encodeOrdinary(String text);

  /** Exact inverse of encoding: special tokens are written back as their text. */
  String decode(int[] ids);

  int vocabSize();

  /** Id of {@link SpecialTokens#EOS}. */
  int eosId();

  /** Id of {@link SpecialTokens#PAD}. */
  int padId();

  OptionalInt specialTokenId(String token);

  /** Writes a Hugging Face {@code tokenizer.json} that the {@code tokenizers} library loads. */
  void save(Path tokenizerJson) throws IOException;
}
