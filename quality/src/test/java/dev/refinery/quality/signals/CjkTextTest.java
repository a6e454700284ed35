package dev.refinery.quality.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CjkTextTest {
  private final CjkText cjk = new CjkText();

  @Test
  void measuresScriptShareAndLineLength() {
    // 16 non-space characters, 12 of them Han (punctuation and Latin are not); lines of 7 and 10 characters
    CjkText.Signals s = cjk.measure(DocumentText.cjk("今天天气很好。\nOK 我们去公园吧！", "zh"));
    assertEquals(16, s.nonSpaceChars());
    assertEquals(12.0 / 16, s.cjkCharRatio(), 1e-12);
    assertEquals(2, s.lines());
    assertEquals(8.5, s.meanLineLength(), 1e-12);
    assertEquals(0.0, s.dup13gramRatio());
  }

  @Test
  void countsRepeated13CharacterWindows() {
    String unit = "一二三四五六七八九十甲乙丙"; // 13 distinct characters
    CjkText.Signals s = cjk.measure(DocumentText.cjk(unit + unit + "\n" + unit, "zh"));
    // 39 characters, 27 windows; from position 13 on every window repeats one seen before
    assertEquals(14.0 / 27, s.dup13gramRatio(), 1e-12);
  }

  @Test
  void kanaAndHangulCountAsCjk() {
    assertEquals(1.0, cjk.measure(DocumentText.cjk("ひらがなカタカナ한국어", "ja")).cjkCharRatio(), 1e-12);
  }

  @Test
  void appliesOnlyToCjkDocuments() {
    assertEquals(false, cjk.appliesTo(DocumentText.of("english")));
    assertEquals(true, cjk.appliesTo(DocumentText.cjk("中文", "zh")));
  }
}
