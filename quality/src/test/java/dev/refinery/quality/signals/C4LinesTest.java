package dev.refinery.quality.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Line outcomes checked against datatrove 0.10.1's C4QualityFilter (it keeps the same 4 lines, 5 sentences). */
class C4LinesTest {
  private final C4Lines c4 = new C4Lines(3, 1000);

  @Test
  void classifiesEveryLineAndCountsSentencesOfKeptLines() {
    String text = "This is the first good line of text.\nNo punctuation here\nToo short.\n"
        + "Please enable JavaScript to view this page.\nThis site uses cookies to improve things.\n"
        + "A citation at the end of this line [1]\nAnother fine sentence. And a second one in the same line!\n"
        + "The third kept line is right here.\nThe fourth kept line is also here.";
    C4Lines.Signals s = c4.measure(DocumentText.of(text));
    assertEquals(9, s.lines());
    assertEquals(4, s.keptLines());
    assertEquals(5, s.sentences());
    assertEquals(2, s.noTerminalPunctLines()); // the citation is removed before the punctuation check
    assertEquals(1, s.tooFewWordsLines());
    assertEquals(1, s.javascriptLines());
    assertEquals(1, s.policyLines());
    assertEquals(0, s.tooLongWordLines());
    assertFalse(s.loremIpsum());
    assertFalse(s.curlyBracket());
  }

  @Test
  void flagsLoremIpsumAndCurlyBracesOnlyInLinesThatPassTheLineRules() {
    assertTrue(c4.measure(DocumentText.of("Some code looks like this { x }.\nAnd it is fine.")).curlyBracket());
    assertFalse(c4.measure(DocumentText.of("a { b")).curlyBracket()); // no terminal punctuation: line dropped
    assertTrue(c4.measure(DocumentText.of("Lorem ipsum dolor sit amet.")).loremIpsum());
  }

  @Test
  void dropsLinesWithOverlongWords() {
    C4Lines.Signals s = c4.measure(DocumentText.of("x".repeat(1001) + " is a long word."));
    assertEquals(1, s.tooLongWordLines());
    assertEquals(0, s.keptLines());
  }
}
