package dev.refinery.quality.signals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values from datatrove 0.10.1's find_duplicates / find_top_duplicate / find_all_duplicate. */
class GopherRepetitionTest {
  private final GopherRepetition rep = new GopherRepetition();

  @Test
  void measuresDuplicateParagraphsLinesAndNgrams() {
    String text = "Buy now. Buy now.\n\nBuy now. Buy now.\nSee you soon!\n\nBuy now. Buy now.";
    double len = 69;
    GopherRepetition.Signals s = rep.measure(DocumentText.of(text));
    assertEquals(1.0 / 3, s.dupParaFrac(), 1e-12);
    assertEquals(17 / len, s.dupParaCharFrac(), 1e-12);
    assertEquals(2.0 / 4, s.dupLineFrac(), 1e-12);
    assertEquals(34 / len, s.dupLineCharFrac(), 1e-12);
    // "Buy now" x6 = 42; "Buy now ." x6 = 54; "Buy now . Buy" x4 = 52
    assertArrayEquals(new double[] {42 / len, 54 / len, 52 / len}, s.topNgramFrac(), 1e-12);
    assertArrayEquals(new double[] {26 / len, 28 / len, 17 / len, 20 / len, 21 / len, 0.0}, s.dupNgramFrac(),
        1e-12);
  }

  @Test
  void concatenatedNgramsWithTheSameLettersCountAsRepeats() {
    // datatrove joins 5-grams without a separator: "ab c d e f" and "a bc d e f" are the same n-gram
    GopherRepetition.NgramText t = new GopherRepetition.NgramText(
        java.util.List.of("ab", "c", "d", "e", "f", "a", "bc", "d", "e", "f"), "");
    assertEquals(6, GopherRepetition.duplicatedNgramChars(t, 5));
  }

  @Test
  void noNgramsInShortText() {
    GopherRepetition.Signals s = rep.measure(DocumentText.of("word"));
    assertArrayEquals(new double[] {0, 0, 0}, s.topNgramFrac());
  }
}
