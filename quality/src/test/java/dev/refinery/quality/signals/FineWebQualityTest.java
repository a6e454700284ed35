package dev.refinery.quality.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-checked FineWeb signals (datatrove 0.10.1 drops this text for short_line_ratio, 0.75 > 0.67). */
class FineWebQualityTest {
  private final FineWebQuality fineweb = new FineWebQuality(30);

  @Test
  void measuresLineShapeDuplicationAndNewlines() {
    String text = "Hello there, friend.\nshort\n\nshort\nA much longer line that certainly exceeds thirty characters!";
    FineWebQuality.Signals s = fineweb.measure(DocumentText.of(text));
    assertEquals(4, s.nonEmptyLines());
    assertEquals(2.0 / 4, s.linePunctRatio(), 1e-12);
    assertEquals(3.0 / 4, s.shortLineRatio(), 1e-12);
    assertEquals(5.0 / 90, s.charDupRatio(), 1e-12); // the second "short" over 90 non-newline characters
    assertEquals(4.0 / 17, s.newlineRatio(), 1e-12);
  }

  @Test
  void terminalPunctuationOfOtherScriptsCounts() {
    FineWebQuality.Signals s = fineweb.measure(DocumentText.of("这是一个句子。\n另一行没有标点"));
    assertEquals(0.5, s.linePunctRatio(), 1e-12);
  }

  @Test
  void blankTextHasNoLines() {
    assertEquals(0, fineweb.measure(DocumentText.of(" \n \n")).nonEmptyLines());
  }
}
