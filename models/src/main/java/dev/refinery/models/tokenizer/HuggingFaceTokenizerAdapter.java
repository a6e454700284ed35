package dev.refinery.models.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Any other {@code tokenizer.json} (WordPiece, SentencePiece-style, normalizers ...) through DJL's
 * binding of the Rust {@code tokenizers} library. Special tokens are never added around the text.
 */
public final class HuggingFaceTokenizerAdapter implements Tokenizer {
  private final HuggingFaceTokenizer hf;
  private final Path source;
  private final Map<String, Integer> specials;
  private final int vocabSize;
  private final Optional<String> eos;
  private final Optional<String> pad;

  /** {@code eos} and {@code pad}: the folder's own names for them (tokenizer_config.json), when it has them. */
  HuggingFaceTokenizerAdapter(Path tokenizerJson, Map<String, Integer> specials, int vocabSize, Optional<String> eos,
      Optional<String> pad) throws IOException {
    this.hf = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("addSpecialTokens", "false", "truncation", "false"));
    this.source = tokenizerJson;
    this.specials = Map.copyOf(specials);
    this.vocabSize = vocabSize;
    this.eos = eos.filter(specials::containsKey);
    // transformers' trainers pad with eos when a model names no pad token
    this.pad = pad.filter(specials::containsKey).or(() -> this.eos);
  }

  @Override
  public int[] encode(String text) {
    long[] ids = hf.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  /** The Rust library always recognises added tokens, so this equals {@link #encode}. */
  @Override
  public int[] encodeOrdinary(String text) {
    return encode(text);
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return hf.decode(l, false);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int eosId() {
    return eos.map(specials::get).orElseGet(() -> firstSpecial(SpecialTokens.EOS, "</s>", "<eos>", "[SEP]"));
  }

  @Override
  public int padId() {
    return pad.map(specials::get)
        .orElseGet(() -> firstSpecial(SpecialTokens.PAD, "<pad>", "[PAD]", SpecialTokens.EOS, "</s>"));
  }

  private int firstSpecial(String... names) {
    for (String n : names) {
      if (specials.containsKey(n)) {
        return specials.get(n);
      }
    }
    throw new IllegalStateException("tokenizer " + source + " has none of the special tokens " + String.join(", ", names));
  }

  @Override
  public OptionalInt specialTokenId(String token) {
    Integer id = specials.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public void save(Path tokenizerJson) throws IOException {
    Files.copy(source, tokenizerJson, StandardCopyOption.REPLACE_EXISTING);
  }
}
