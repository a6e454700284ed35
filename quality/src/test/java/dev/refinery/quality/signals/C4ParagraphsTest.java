package dev.refinery.quality.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class C4ParagraphsTest {
  private final C4Paragraphs paragraphs = new C4Paragraphs();

  @Test
  void thirdLongestLine() {
    String text = "a".repeat(300) + "\n" + "b".repeat(10) + "\n" + "c".repeat(250) + "\n" + "d".repeat(200);
    assertEquals(new C4Paragraphs.Signals(4, 200), paragraphs.measure(DocumentText.of(text)));
  }

  @Test
  void fewerThanThreeLinesHaveNoThirdLine() {
    assertEquals(new C4Paragraphs.Signals(2, 0), paragraphs.measure(DocumentText.of("x".repeat(500) + "\ny")));
  }
}
