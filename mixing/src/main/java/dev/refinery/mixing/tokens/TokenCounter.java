package dev.refinery.mixing.tokens;

/** Counts the tokens a trainer will see for a text. One instance per partition; not thread-safe. */
public interface TokenCounter extends AutoCloseable {
  long count(String text);

  /** A short name for logs and reports, e.g. {@code tokenizer.json:/path} or {@code approximate}. */
  String description();

  @Override
  default void close() {}
}
