package dev.refinery.train.tokens;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes as tokens 0..255 and end-of-text as 256: needs no training and no vocabulary file, so any
 * text shards with it (the tokenizer of ByT5-style byte models).
 */
public final class ByteTokenizer implements TextTokenizer {
  public static final int EOS = 256;

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = bytes[i] & 0xFF;
    }
    return ids;
  }

  @Override
  public int eosId() {
    return EOS;
  }

  @Override
  public int vocabSize() {
    return 257;
  }
}
