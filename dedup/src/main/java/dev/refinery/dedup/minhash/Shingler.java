package dev.refinery.dedup.minhash;

import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.LanguageScripts;
import dev.refinery.core.text.TextNormalizer;
import dev.refinery.core.text.WordSplitter;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns a text into its set of shingle hashes (64-bit): word n-grams for languages written with spaces,
 * character n-grams for Chinese, Japanese, Korean and other scripts without word separators (chosen by the
 * {@code lang} code, else by the share of CJK letters). Text is compared on {@link TextNormalizer#dedupKey}, so
 * case, punctuation and spacing do not matter. A text shorter than one shingle yields one shingle of all its
 * tokens; an empty text yields none.
 */
public final class Shingler implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int wordN;
  private final int charN;
  private final double cjkShare;

  /**
   * @param wordN words per shingle (5 as in datatrove)
   * @param charN characters per shingle in character mode
   * @param cjkShare share of CJK letters above which a text of unknown language is shingled by characters
   */
  public Shingler(int wordN, int charN, double cjkShare) {
    if (wordN < 1 || charN < 1) {
      throw new IllegalArgumentException("shingle sizes must be >= 1");
    }
    this.wordN = wordN;
    this.charN = charN;
    this.cjkShare = cjkShare;
  }

  /** Sorted, distinct shingle hashes; empty for a text with no letters or digits. */
  public long[] shingles(String text, String lang) {
    return shinglesOfKey(TextNormalizer.dedupKey(text), lang);
  }

  /** {@link #shingles} of a text already normalised by {@link TextNormalizer#dedupKey}. */
  public long[] shinglesOfKey(String key, String lang) {
    long[] out = hashesOfKey(key, lang);
    Arrays.sort(out);
    return distinct(out);
  }

  /**
   * The shingle hashes of a normalised text in text order, repeats included: all that MinHash and sketches
   * need (they ignore order and repeats), without the sort.
   */
  public long[] hashesOfKey(String key, String lang) {
    if (key.isEmpty()) {
      return new long[0];
    }
    return byCharacters(key, lang) ? characterShingles(key) : wordShingles(key);
  }

  /** True when {@code text} is shingled by characters rather than words. */
  public boolean byCharacters(String normalisedText, String lang) {
    if (lang != null && !lang.isEmpty() && !"und".equals(lang)) {
      return LanguageScripts.writtenWithoutSpaces(lang);
    }
    int letters = 0;
    int characterWords = 0;
    for (int i = 0; i < normalisedText.length(); ) {
      int cp = normalisedText.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        letters++;
        if (WordSplitter.isCjk(cp) || WordSplitter.isCharacterWord(cp)) {
          characterWords++;
        }
      }
    }
    return letters > 0 && characterWords >= cjkShare * letters;
  }

  private long[] wordShingles(String key) {
    long[] wordHashes = wordHashes(key);
    int n = Math.min(wordN, wordHashes.length);
    long[] out = new long[wordHashes.length - n + 1];
    for (int start = 0; start < out.length; start++) {
      out[start] = Hashing.ngram(wordHashes, start, n);
    }
    return out;
  }

  /**
   * xxh64 of each space-separated word's UTF-8 bytes, encoded into one buffer per text rather than a string
   * and a byte array per word (the same values as hashing {@code word.getBytes(UTF_8)}).
   */
  static long[] wordHashes(String key) {
    int words = 1;
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == ' ') {
        words++;
      }
    }
    long[] out = new long[words];
    byte[] buf = new byte[64];
    int w = 0;
    int start = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i == key.length() || key.charAt(i) == ' ') {
        if (buf.length < 3 * (i - start)) {
          buf = new byte[3 * (i - start)]; // a UTF-16 unit is at most 3 UTF-8 bytes (a pair: 4 for 2)
        }
        out[w++] = Hashing.xxh64(buf, 0, utf8(key, start, i, buf), 0L);
        start = i + 1;
      }
    }
    return out;
  }

  /** Writes key[from, to) as UTF-8 into buf; returns the byte count. Surrogate pairs are well formed here. */
  private static int utf8(String key, int from, int to, byte[] buf) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = key.charAt(i);
      if (c < 0x80) {
        buf[n++] = (byte) c;
      } else if (c < 0x800) {
        buf[n++] = (byte) (0xC0 | c >> 6);
        buf[n++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(key.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, key.charAt(++i));
        buf[n++] = (byte) (0xF0 | cp >> 18);
        buf[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
        buf[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
        buf[n++] = (byte) (0x80 | cp & 0x3F);
      } else if (Character.isSurrogate(c)) {
        buf[n++] = '?'; // what String.getBytes(UTF_8) writes for a lone surrogate
      } else {
        buf[n++] = (byte) (0xE0 | c >> 12);
        buf[n++] = (byte) (0x80 | c >> 6 & 0x3F);
        buf[n++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return n;
  }

  private long[] characterShingles(String key) {
    int[] cps = key.codePoints().filter(cp -> cp != ' ').toArray();
    if (cps.length == 0) {
      return new long[0];
    }
    int n = Math.min(charN, cps.length);
    long[] out = new long[cps.length - n + 1];
    for (int start = 0; start < out.length; start++) {
      out[start] = Hashing.ngram(cps, start, n);
    }
    return out;
  }

  private static long[] distinct(long[] sorted) {
    if (sorted.length < 2) {
      return sorted;
    }
    int w = 1;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] != sorted[w - 1]) {
        sorted[w++] = sorted[i];
      }
    }
    return w == sorted.length ? sorted : Arrays.copyOf(sorted, w);
  }

  /** A shingle set as bytes (8 per shingle, big-endian), for a binary column. */
  public static byte[] pack(long[] shingles) {
    ByteBuffer b = ByteBuffer.allocate(8 * shingles.length);
    b.asLongBuffer().put(shingles);
    return b.array();
  }

  /** The shingle set of {@link #pack}'s bytes. */
  public static long[] unpack(byte[] packed) {
    long[] out = new long[packed.length / 8];
    ByteBuffer.wrap(packed).asLongBuffer().get(out);
    return out;
  }

  /** Exact Jaccard similarity of two sorted, distinct shingle sets. */
  public static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 1.0;
    }
    int common = common(a, b);
    return common / (double) (a.length + b.length - common);
  }

  /** Exact share of the smaller sorted, distinct shingle set that is also in the other. */
  public static double containment(long[] a, long[] b) {
    int smaller = Math.min(a.length, b.length);
    return smaller == 0 ? (a.length == b.length ? 1.0 : 0.0) : common(a, b) / (double) smaller;
  }

  private static int common(long[] a, long[] b) {
    int i = 0;
    int j = 0;
    int common = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return common;
  }
}
