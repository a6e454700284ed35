package dev.refinery.quality.text;

/**
 * Polynomial prefix hashes of a string (mod the Mersenne prime 2^61-1), so that any substring gets a
 * 64-bit fingerprint in O(1). N-gram repetition signals compare millions of n-grams per large document;
 * hashing substrings avoids building each n-gram as a String. A modulus of 2^61-1 (rather than 2^64)
 * keeps collisions at about 1 in 2^61 per pair, also for adversarial inputs such as Thue-Morse strings.
 */
public final class SubstringHashes {
  private static final long MOD = (1L << 61) - 1;
  private static final long BASE = 1_000_003L;
  private final long[] prefix;
  private final long[] power;

  public SubstringHashes(CharSequence s) {
    int n = s.length();
    prefix = new long[n + 1];
    power = new long[n + 1];
    power[0] = 1;
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = mod(mulMod(prefix[i], BASE) + s.charAt(i) + 1);
      power[i + 1] = mulMod(power[i], BASE);
    }
  }

  /** Fingerprint of {@code s[from, to)}, mixed with its length. */
  public long hash(int from, int to) {
    long h = mod(prefix[to] - mulMod(prefix[from], power[to - from]) + MOD);
    return h * 31 + (to - from);
  }

  private static long mulMod(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    // (hi * 2^64 + lo) mod (2^61 - 1)
    long low61 = lo & MOD;
    long rest = (lo >>> 61) | (hi << 3);
    return mod(low61 + rest);
  }

  private static long mod(long x) {
    long r = (x & MOD) + (x >>> 61);
    return r >= MOD ? r - MOD : r;
  }
}
