package dev.refinery.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.dedup.lines.RepeatedLines;
import dev.refinery.dedup.spark.DuplicateFinder;
import org.junit.jupiter.api.Test;

class MinHashTest {
  private static final String TEXT = "The quick brown fox jumps over the lazy dog while the farmer sleeps "
      + "under the old oak tree and the sun sets slowly behind the distant blue hills of the valley";
  private final Shingler shingler = new Shingler(5, 5, 0.3);
  private final MinHashSigner signer = new MinHashSigner(shingler, 112, 42);

  @Test
  void wordShinglesIgnoreCasePunctuationAndSpacing() {
    long[] a = shingler.shingles(TEXT, "en");
    long[] b = shingler.shingles(TEXT.toUpperCase().replace(" ", "  ,"), "en");
    assertArrayEquals(a, b);
    assertEquals(TEXT.split(" ").length - 4, a.length); // one shingle per 5-word window, all distinct here
  }

  @Test
  void chineseIsShingledByCharacters() {
    String zh = "自然语言处理是人工智能的一个重要方向，研究如何让计算机理解人类语言。";
    assertTrue(shingler.byCharacters(zh, null), "script share decides when lang is unknown");
    assertTrue(shingler.byCharacters("hello", "zh-Hans"), "lang decides when known");
    assertFalse(shingler.byCharacters(TEXT, null));
    long[] s = shingler.shingles(zh, "zh");
    int chars = (int) zh.codePoints().filter(Character::isLetter).count();
    assertEquals(chars - 4, s.length); // character 5-grams, punctuation dropped
    String edited = zh.replace("重要", "关键");
    double est = MinHashSigner.estimateJaccard(signer.sign(zh, "zh"), signer.sign(edited, "zh"));
    double exact = Shingler.jaccard(s, shingler.shingles(edited, "zh"));
    assertTrue(Math.abs(est - exact) < 0.2, "estimate " + est + " vs exact " + exact);
    assertTrue(exact > 0.5 && exact < 1.0);
  }

  @Test
  void shortAndEmptyTextsAreHandled() {
    assertEquals(0, shingler.shingles("", "en").length);
    assertEquals(0, shingler.shingles("  ... !!", "en").length);
    assertEquals(0, signer.sign("").length);
    assertEquals(1, shingler.shingles("only three words", "en").length, "shorter than one shingle: one shingle");
    assertEquals(112, signer.sign("only three words").length);
  }

  @Test
  void signatureEstimatesJaccardAndIsDeterministic() {
    String near = TEXT.replace("lazy", "sleepy");
    long[] a = signer.sign(TEXT);
    assertArrayEquals(a, new MinHashSigner(shingler, 112, 42).sign(TEXT));
    assertNotEquals(a[0], new MinHashSigner(shingler, 112, 7).sign(TEXT)[0]);
    double exact = Shingler.jaccard(shingler.shingles(TEXT, null), shingler.shingles(near, null));
    double est = MinHashSigner.estimateJaccard(a, signer.sign(near));
    assertTrue(Math.abs(exact - est) < 0.15, "estimate " + est + " vs exact " + exact);
    assertTrue(MinHashSigner.estimateJaccard(a, signer.sign("A completely different sentence about "
        + "stock markets, interest rates and the price of copper in the coming year")) < 0.1);
  }

  @Test
  void onePermutationSignaturesEstimateJaccardWithoutBiasAtAnySetSize() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    MinHashSigner s = new MinHashSigner(shingler, 100, 42);
    for (int size : new int[] {3, 40, 150, 2000}) { // far fewer shingles than bins, about as many, far more
      for (double j : new double[] {0.3, 0.8}) {
        double bias = 0;
        double error = 0;
        int trials = 300;
        for (int t = 0; t < trials; t++) {
          int common = (int) Math.round(size * 2 * j / (1 + j));
          long[] a = new long[size];
          long[] b = new long[size];
          for (int i = 0; i < size; i++) {
            a[i] = random.nextLong();
            b[i] = i < common ? a[i] : random.nextLong();
          }
          double exact = common / (double) (2 * size - common);
          double est = MinHashSigner.estimateJaccard(s.sign(a), s.sign(b));
          bias += (est - exact) / trials;
          error += Math.abs(est - exact) / trials;
        }
        assertTrue(Math.abs(bias) < 0.02, "size " + size + " J " + j + ": bias " + bias);
        assertTrue(error < 0.07, "size " + size + " J " + j + ": mean error " + error);
      }
    }
  }

  @Test
  void bandingPutsNearDuplicatesInACommonBucketOnly() {
    LshBanding banding = new LshBanding(14, 8);
    long[] a = signer.sign(TEXT);
    long[] same = signer.sign(TEXT + " ");
    long[] other = signer.sign("Stock markets fell sharply on Monday as investors weighed "
        + "the prospect of higher interest rates and weaker growth in the largest economies");
    assertArrayEquals(a, same);
    for (int b = 0; b < banding.bands(); b++) { // a band is a slice of 8 values: no slice of the other text agrees
      int from = b * banding.rows();
      assertFalse(java.util.Arrays.equals(a, from, from + 8, other, from, from + 8), "band " + b);
    }
    assertEquals(0.72, banding.threshold(), 0.01);
    assertTrue(banding.candidateProbability(0.9) > 0.99);
    assertTrue(banding.candidateProbability(0.3) < 0.01);
  }

  @Test
  void bandsAndRowsDerivedFromThreshold() {
    LshBanding high = LshBanding.forThreshold(0.9, 128);
    LshBanding low = LshBanding.forThreshold(0.5, 128);
    assertTrue(high.signatureLength() <= 128 && low.signatureLength() <= 128);
    assertTrue(high.threshold() > low.threshold(), high + " vs " + low);
    assertEquals(0.9, high.threshold(), 0.08);
    assertEquals(0.5, low.threshold(), 0.08);
  }

  @Test
  void wordHashesAreXxh64OfEachWordsUtf8() {
    String key = "plain café naïve 中文 \uD83D\uDE00smile \uD800lone"; // ASCII, 2-byte, 3-byte, pair, lone surrogate
    String[] words = key.split(" ");
    long[] hashes = Shingler.wordHashes(key);
    assertEquals(words.length, hashes.length);
    for (int i = 0; i < words.length; i++) {
      assertEquals(dev.refinery.core.text.Hashing.xxh64(words[i].getBytes(java.nio.charset.StandardCharsets.UTF_8),
          0L), hashes[i], words[i]);
    }
  }

  @Test
  void containmentFindsAShortTextCopiedIntoALongOne() {
    long[] part = shingler.shingles(TEXT, null);
    long[] whole = shingler.shingles(TEXT + " and then it went on to a long and unrelated story about ships"
        + " sailing across the cold northern sea", null);
    assertEquals(1.0, Shingler.containment(part, whole), 1e-9);
    assertTrue(Shingler.jaccard(part, whole) < 0.7, "Jaccard counts the long text's extra shingles");
    ThetaSketches sketches = new ThetaSketches(1024);
    assertEquals(1.0, ThetaSketches.containment(sketches.sketch(part), sketches.sketch(whole)), 1e-9);
  }

  @Test
  void thetaSketchesEstimateJaccard() {
    long[] a = shingler.shingles(TEXT, null);
    long[] b = shingler.shingles(TEXT.replace("lazy", "sleepy"), null);
    ThetaSketches sketches = new ThetaSketches(1024); // reused: the second sketch must not hold the first set
    assertEquals(Shingler.jaccard(a, b), ThetaSketches.jaccard(sketches.sketch(a), sketches.sketch(b)), 1e-9,
        "small sets are held exactly");
  }

  @Test
  void repeatedLinesAreRemovedByKey() {
    String text = "Home | About\nReal content here.\n\nCOOKIE notice!";
    var keys = RepeatedLines.keys("home about\ncookie notice");
    RepeatedLines.Edit e = RepeatedLines.remove(text, keys);
    assertEquals("Real content here.", e.text());
    assertEquals(2, e.linesRemoved());
    assertEquals(text, RepeatedLines.remove(text, java.util.Set.of()).text());
  }

  @Test
  void urlKeysIgnoreSchemeWwwFragmentAndSlash() {
    assertEquals("example.com/a", DuplicateFinder.urlKey("https://www.Example.com/a/#top"));
    assertEquals("example.com/a", DuplicateFinder.urlKey("http://example.com/a"));
    assertEquals(null, DuplicateFinder.urlKey("  "));
  }
}
