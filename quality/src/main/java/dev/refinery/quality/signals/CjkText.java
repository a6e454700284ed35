package dev.refinery.quality.signals;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.core.text.WordSplitter;
import dev.refinery.quality.text.LongCounts;
import dev.refinery.quality.text.PyStrings;
import dev.refinery.quality.text.SubstringHashes;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * Signals for Chinese, Japanese and Korean, where words are not separated by spaces, after the
 * ChineseWebText preprocessing rules (Chen et al. 2023): the share of CJK characters among
 * non-whitespace characters, the mean length of non-blank lines, and 13-gram character repetition
 * (the share of 13-character windows, whitespace removed, that already occurred earlier in the text).
 */
public final class CjkText implements SignalFamily {
  public static final int REPETITION_N = 13;

  public record Signals(int nonSpaceChars, double cjkCharRatio, int lines, double meanLineLength,
      double dup13gramRatio) {}

  public Signals measure(DocumentText doc) {
    String text = doc.text();
    StringBuilder compact = new StringBuilder(text.length());
    int cjk = 0;
    int nonSpace = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (!PyStrings.isSpace(cp)) {
        nonSpace++;
        compact.appendCodePoint(cp);
        if (WordSplitter.isCjk(cp)) {
          cjk++;
        }
      }
      i += Character.charCount(cp);
    }
    int lines = 0;
    long lineChars = 0;
    for (String line : PyStrings.splitlines(text)) {
      String s = PyStrings.strip(line);
      if (!s.isEmpty()) {
        lines++;
        lineChars += PyStrings.len(s);
      }
    }
    return new Signals(nonSpace, GopherQuality.ratio(cjk, nonSpace), lines, GopherQuality.ratio(lineChars, lines),
        repeatedWindows(compact));
  }

  /** Share of 13-code-point windows equal to an earlier window. */
  private static double repeatedWindows(StringBuilder s) {
    int[] offsets = s.codePoints().toArray();
    int n = offsets.length;
    int windows = n - REPETITION_N + 1;
    if (windows <= 0) {
      return 0.0;
    }
    // char offsets of each code point, to hash windows of code points
    int[] at = new int[n + 1];
    for (int i = 0, pos = 0; i < n; i++) {
      at[i] = pos;
      pos += Character.charCount(offsets[i]);
      at[i + 1] = pos;
    }
    SubstringHashes hashes = new SubstringHashes(s);
    LongCounts seen = new LongCounts(windows);
    int repeated = 0;
    for (int i = 0; i < windows; i++) {
      if (seen.seenBefore(hashes.hash(at[i], at[i + REPETITION_N]))) {
        repeated++;
      }
    }
    return (double) repeated / windows;
  }

  @Override
  public List<StructField> columns() {
    return List.of(
        createStructField("cjk_non_space_chars", IntegerType, true),
        createStructField("cjk_char_ratio", DoubleType, true),
        createStructField("cjk_lines", IntegerType, true),
        createStructField("cjk_mean_line_length", DoubleType, true),
        createStructField("cjk_dup_13gram_ratio", DoubleType, true));
  }

  @Override
  public boolean appliesTo(DocumentText doc) {
    return doc.isCjk();
  }

  @Override
  public Object[] values(DocumentText doc) {
    Signals s = measure(doc);
    return new Object[] {s.nonSpaceChars(), s.cjkCharRatio(), s.lines(), s.meanLineLength(), s.dup13gramRatio()};
  }
}
