package dev.refinery.ingest.langid;

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
    long h = state;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  static long of(CharSequence ngram) {
    long state = START;
    for (int i = 0; i < ngram.length(); i++) {
      state = extend(state, ngram.charAt(i));
    }
    return finish(state);
  }
}
