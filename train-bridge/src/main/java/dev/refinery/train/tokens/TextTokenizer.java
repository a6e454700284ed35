package dev.refinery.train.tokens;

/**
 * What the shard writer needs from a tokenizer: corpus text to ids (special tokens in the text are treated
 * as plain text, since corpus text is untrusted), the end-of-text id put between documents, and the
 * vocabulary size that decides the shard's token width.
 */
public interface TextTokenizer {
  int[] encode(String text);

  int eosId();

  int vocabSize();
}
