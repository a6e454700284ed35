package dev.refinery.quality.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values worked out by hand and checked against datatrove 0.10.1's GopherQualityFilter. */
class GopherQualityTest {
  private final GopherQuality gopher = new GopherQuality();

  @Test
  void measuresEveryQualitySignal() {
    // tokens: The cat and the dog . - item one - item two ...  (13; 9 are not pure punctuation)
    GopherQuality.Signals s = gopher.measure(DocumentText.of("The cat and the dog.\n- item one\n- item two..."));
    assertEquals(13, s.words());
    assertEquals(9, s.nonSymbolWords());
    assertEquals(29.0 / 9, s.meanWordLength(), 1e-12);
    assertEquals(0.0, s.hashRatio());
    assertEquals(1.0 / 13, s.ellipsisRatio(), 1e-12);
    assertEquals(2.0 / 3, s.bulletLinesRatio(), 1e-12);
    assertEquals(1.0 / 3, s.ellipsisLinesRatio(), 1e-12);
    assertEquals(9.0 / 13, s.alphaWordsRatio(), 1e-12);
    assertEquals(2, s.stopWords()); // "the" and "and"; "The" is not lower case
  }

  @Test
  void countsHashesAndUnicodeEllipsis() {
    GopherQuality.Signals s = gopher.measure(DocumentText.of("#one #two wait… more"));
    // tokens: # one # two wait … more
    assertEquals(7, s.words());
    assertEquals(2.0 / 7, s.hashRatio(), 1e-12);
    assertEquals(1.0 / 7, s.ellipsisRatio(), 1e-12);
  }

  @Test
  void emptyTextHasZeroRatiosInsteadOfNaN() {
    GopherQuality.Signals s = gopher.measure(DocumentText.of(""));
    assertEquals(0, s.words());
    assertEquals(0.0, s.meanWordLength());
    assertEquals(0.0, s.alphaWordsRatio());
  }
}
