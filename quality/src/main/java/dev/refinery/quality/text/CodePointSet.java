package dev.refinery.quality.text;

import java.util.Arrays;

/** An immutable set of code points: a bitmap for the BMP below U+3100, a sorted array above it. */
public final class CodePointSet {
  private static final int DENSE_LIMIT = 0x3100;
  private final long[] dense = new long[DENSE_LIMIT / 64];
  private final int[] sparse;

  private CodePointSet(String chars) {
    int[] above = chars.codePoints().filter(cp -> cp >= DENSE_LIMIT).sorted().distinct().toArray();
    chars.codePoints().filter(cp -> cp < DENSE_LIMIT).forEach(cp -> dense[cp >>> 6] |= 1L << cp);
    this.sparse = above;
  }

  public static CodePointSet of(String chars) {
    return new CodePointSet(chars);
  }

  public boolean contains(int cp) {
    if (cp < DENSE_LIMIT) {
      return cp >= 0 && (dense[cp >>> 6] & (1L << cp)) != 0;
    }
    return Arrays.binarySearch(sparse, cp) >= 0;
  }

  /** True when the string ends with a code point of this set. */
  public boolean endsWithAny(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    return contains(Character.codePointBefore(s, n));
  }
}
