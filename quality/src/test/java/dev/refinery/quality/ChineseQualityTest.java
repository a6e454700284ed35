package dev.refinery.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.quality.signals.CjkText;
import dev.refinery.quality.signals.DocumentText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CJK signals on ChineseWebText's own clean and dirty examples: the clean ones are long single-line
 * articles, the dirty ones lists of short headlines, which the mean-line-length rule
 * separates for some of them.
 */
class ChineseQualityTest {
  private final CjkText cjk = new CjkText();

  @Test
  void cleanExamplesHaveLongLinesAndDirtyOnesShortLines() {
    List<String> clean = ChineseWebTextExamples.texts("clean");
    List<String> dirty = ChineseWebTextExamples.texts("dirty");
    assertEquals(10, clean.size());
    assertEquals(10, dirty.size());
    for (String t : clean) {
      CjkText.Signals s = cjk.measure(DocumentText.cjk(t, "zh"));
      assertTrue(s.cjkCharRatio() > 0.3, "clean text is mostly Chinese: " + s);
      assertTrue(s.meanLineLength() >= 10, "clean text has long lines: " + s);
    }
    long shortLined = dirty.stream().map(t -> cjk.measure(DocumentText.cjk(t, "zh")))
        .filter(s -> s.meanLineLength() < 10 || s.cjkCharRatio() < 0.3 || s.dup13gramRatio() > 0.5).count();
    // two of the ten are headline lists; the rest need the learned classifier (QualityStageTest)
    assertEquals(2, shortLined);
  }
}
