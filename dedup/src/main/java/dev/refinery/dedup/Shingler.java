package dev.refinery.dedup;

import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.TextNormalizer;
import dev.refinery.core.text.WordSplitter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a text into its set of shingle hashes (64-bit): word n-grams for languages written with spaces,
 * character n-grams for Chinese, Japanese, Korean and other scripts without word separators (chosen by the
 * {@code lang} code, else by the share of CJK letters). Text is compared on {@link TextNormalizer#dedupKey}, so
 * case, punctuation and spacing do not matter. A text shorter than one shingle yields one shingle of all its
 * tokens; an empty text yields none.
 */
public final class Shingler implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<String> CHARACTER_LANGS = Set.of("zh", "ja", "ko", "th", "lo", "km", "my", "yue", "wuu");
  private static final long MIX = 0x9E3779B97F4A7C15L;

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
    if (key.isEmpty()) {
      return new long[0];
    }
    long[] out = byCharacters(key, lang) ? characterShingles(key) : wordShingles(key);
    Arrays.sort(out);
    return distinct(out);
  }

  /** True when {@code text} is shingled by characters rather than words. */
  public boolean byCharacters(String normalisedText, String lang) {
    if (lang != null && !lang.isEmpty() && !"und".equals(lang)) {
      String base = lang.toLowerCase(Locale.ROOT).split("[-_]")[0];
      return CHARACTER_LANGS.contains(base);
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
    String[] words = key.split(" ");
    long[] wordHashes = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      wordHashes[i] = Hashing.xxh64(words[i].getBytes(StandardCharsets.UTF_8), 0L);
    }
    int n = Math.min(wordN, wordHashes.length);
    long[] out = new long[wordHashes.length - n + 1];
    for (int start = 0; start < out.length; start++) {
      long h = n;
      for (int j = 0; j < n; j++) {
        h = h * MIX + wordHashes[start + j];
      }
      out[start] = finalMix(h);
    }
    return out;
  }

  private long[] characterShingles(String key) {
    int[] cps = key.codePoints().filter(cp -> cp != ' ').toArray();
    if (cps.length == 0) {
      return new long[0];
    }
    int n = Math.min(charN, cps.length);
    long[] out = new long[cps.length - n + 1];
    for (int start = 0; start < out.length; start++) {
      long h = n ^ 0x5DEECE66DL;
      for (int j = 0; j < n; j++) {
        h = h * MIX + cps[start + j];
      }
      out[start] = finalMix(h);
    }
    return out;
  }

  /** MurmurHash3's 64-bit finaliser: spreads the polynomial combination over all bits. */
  static long finalMix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
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

  /** Exact Jaccard similarity of two sorted, distinct shingle sets. */
  public static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 1.0;
    }
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
    return common / (double) (a.length + b.length - common);
  }
}
