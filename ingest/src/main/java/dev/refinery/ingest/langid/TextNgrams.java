package dev.refinery.ingest.langid;

import java.util.Arrays;
import java.util.Locale;

/**
 * A text as lingua's n-gram scoring sees it (lower case, no punctuation or digits, whitespace runs as one
 * space) with the {@link NgramHash} of every all-letter n-gram of order 1 to {@link #MAX_ORDER}: computed
 * once per text and shared by the trigram first pass ({@link TrigramIndex}) and the 1- to 5-gram re-scoring
 * ({@link HighAccuracyScorer}). No object per n-gram.
 */
final class TextNgrams {
  static final int MAX_ORDER = 5;

  private final int length;
  /** prefixes[i * MAX_ORDER + k - 1]: hash of the k letters from i (0 where they are not all letters). */
  private final long[] prefixes;
  private final int[][] distinct = new int[MAX_ORDER][];
  private final int[][] indexes = new int[MAX_ORDER][];

  TextNgrams(String text) {
    String clean = clean(text);
    length = clean.length();
    prefixes = new long[length * MAX_ORDER];
    for (int i = 0; i < length; i++) {
      long state = NgramHash.START;
      for (int k = 1; k <= MAX_ORDER && i + k <= length && Character.isLetter(clean.charAt(i + k - 1)); k++) {
        state = NgramHash.extend(state, clean.charAt(i + k - 1));
        prefixes[i * MAX_ORDER + k - 1] = NgramHash.finish(state);
      }
    }
  }

  /**
   * Lower case without punctuation ({@code \p{P}}) or numbers ({@code \p{N}}), then every run of ASCII
   * whitespace ({@code \s}) as one space: lingua's three regex replacements in one walk over the text.
   */
  static String clean(String text) {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(lower.length());
    boolean inSpace = false;
    for (int i = 0; i < lower.length(); ) {
      int cp = lower.codePointAt(i);
      i += Character.charCount(cp);
      switch (Character.getType(cp)) {
        case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
            Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
            Character.OTHER_PUNCTUATION, Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER,
            Character.OTHER_NUMBER -> {
          // dropped; whitespace on both sides of it still makes one run
        }
        default -> {
          if (cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x0B || cp == '\f' || cp == '\r') {
            if (!inSpace) {
              b.append(' ');
            }
            inSpace = true;
          } else {
            b.appendCodePoint(cp);
            inSpace = false;
          }
        }
      }
    }
    return b.toString();
  }

  /** The hash of the {@code k} letters from {@code start} ({@code k <= MAX_ORDER}). */
  long hash(int start, int k) {
    return prefixes[start * MAX_ORDER + k - 1];
  }

  /** Start positions of the text's distinct all-letter n-grams of order {@code n}, first occurrences. */
  int[] distinctStarts(int n) {
    index(n);
    return distinct[n - 1];
  }

  /**
   * For every position, the index in {@link #distinctStarts} of the order-{@code n} n-gram starting there, or -1
   * where none does (a non-letter inside it, or the end of the text).
   */
  int[] distinctIndex(int n) {
    index(n);
    return indexes[n - 1];
  }

  private void index(int n) {
    if (distinct[n - 1] != null) {
      return;
    }
    int[] starts = new int[Math.max(0, length - n + 1)];
    int[] index = new int[length];
    // open addressing over the (never zero) hashes of present n-grams, with each one's index
    long[] seen = new long[Integer.highestOneBit(Math.max(4, starts.length)) << 2];
    int[] seenIndex = new int[seen.length];
    int mask = seen.length - 1;
    int count = 0;
    for (int i = 0; i < length; i++) {
      long hash = i + n <= length ? prefixes[i * MAX_ORDER + n - 1] : 0;
      if (hash == 0) {
        index[i] = -1;
        continue;
      }
      int at = (int) (hash >>> 40) & mask;
      while (seen[at] != 0 && seen[at] != hash) {
        at = (at + 1) & mask;
      }
      if (seen[at] == 0) {
        seen[at] = hash;
        seenIndex[at] = count;
        starts[count++] = i;
      }
      index[i] = seenIndex[at];
    }
    distinct[n - 1] = Arrays.copyOf(starts, count);
    indexes[n - 1] = index;
  }
}
