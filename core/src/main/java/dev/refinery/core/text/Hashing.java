package dev.refinery.core.text;

import java.nio.charset.StandardCharsets;

/**
 * 64-bit XXH64 (the same function as Spark's {@code xxhash64} and Python's {@code xxhash.xxh64}), so hashes
 * computed here, in SQL and in reference tools agree.
 */
public final class Hashing {
  private static final long NGRAM_MIX = 0x9E3779B97F4A7C15L;
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private Hashing() {}

  public static long xxh64(String s) {
    return xxh64(s.getBytes(StandardCharsets.UTF_8), 0L);
  }

  public static long xxh64(String s, long seed) {
    return xxh64(s.getBytes(StandardCharsets.UTF_8), seed);
  }

  public static long xxh64(byte[] data, long seed) {
    return xxh64(data, 0, data.length, seed);
  }

  public static long xxh64(byte[] b, int off, int len, long seed) {
    int end = off + len;
    int p = off;
    long h;
    if (len >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      int limit = end - 32;
      do {
        v1 = round(v1, le64(b, p));
        v2 = round(v2, le64(b, p + 8));
        v3 = round(v3, le64(b, p + 16));
        v4 = round(v4, le64(b, p + 24));
        p += 32;
      } while (p <= limit);
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += len;
    while (p + 8 <= end) {
      h ^= round(0, le64(b, p));
      h = Long.rotateLeft(h, 27) * P1 + P4;
      p += 8;
    }
    if (p + 4 <= end) {
      h ^= (le32(b, p) & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      p += 4;
    }
    while (p < end) {
      h ^= (b[p] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      p++;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long merge(long acc, long val) {
    acc ^= round(0, val);
    return acc * P1 + P4;
  }

  private static long le64(byte[] b, int i) {
    return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
        | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
  }

  private static int le32(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
  }

  /** MurmurHash3's 64-bit finaliser (fmix64): spreads a cheaply combined state over all 64 bits. */
  public static long fmix64(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }

  /**
   * The hash of the n-gram {@code tokens[start, start + len)} of token hashes: a polynomial fold finished by
   * {@link #fmix64}. The one n-gram hasher of the project: dedup's word shingles (stored MinHash signatures),
   * the decontamination index and synth's near-duplicate shingles all use it.
   */
  public static long ngram(long[] tokens, int start, int len) {
    long h = len;
    for (int j = 0; j < len; j++) {
      h = h * NGRAM_MIX + tokens[start + j];
    }
    return fmix64(h);
  }

  /** {@link #ngram} of code points (character shingles), seeded apart from word n-grams of the same length. */
  public static long ngram(int[] codePoints, int start, int len) {
    long h = len ^ 0x5DEECE66DL;
    for (int j = 0; j < len; j++) {
      h = h * NGRAM_MIX + codePoints[start + j];
    }
    return fmix64(h);
  }

  /** 16 lower-case hex digits. */
  public static String hex(long h) {
    String s = Long.toHexString(h);
    return "0".repeat(16 - s.length()) + s;
  }
}
