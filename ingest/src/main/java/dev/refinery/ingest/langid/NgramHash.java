package dev.refinery.ingest.langid;

import dev.refinery.core.text.Hashing;

/**
 * The 64-bit hash under which {@link NgramTable} stores an n-gram. Built one character at a time, so the
 * hashes of all prefixes of an n-gram (lingua's back-off order) come out of one pass over it.
 */
final class NgramHash {
  static final long START = 0x243F6A8885A308D3L;

  private NgramHash() {}

  /** The running state after one more character. */
  static long extend(long state, char c) {
    return (state ^ c) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
  }

  /** The hash of the characters that led to {@code state} (murmur3's final mix). */
  static long finish(long state) {
    return Hashing.fmix64(state);
  }

  static long of(CharSequence ngram) {
    long state = START;
    for (int i = 0; i < ngram.length(); i++) {
      state = extend(state, ngram.charAt(i));
    }
    return finish(state);
  }
}
