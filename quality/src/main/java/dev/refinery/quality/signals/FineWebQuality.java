package dev.refinery.quality.signals;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.quality.text.PunctuationSets;
import dev.refinery.quality.text.PyStrings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * FineWeb quality signals (Penedo et al. 2024) as datatrove's FineWebQualityFilter measures them over
 * the non-blank "\n"-separated lines: the share ending in terminal punctuation, the share of short lines,
 * characters in duplicated lines per character, and newlines per word.
 */
public final class FineWebQuality implements SignalFamily {
  private final int shortLineLength;

  public FineWebQuality(int shortLineLength) {
    this.shortLineLength = shortLineLength;
  }

  public record Signals(int nonEmptyLines, double linePunctRatio, double shortLineRatio, double charDupRatio,
      double newlineRatio) {}

  public Signals measure(DocumentText doc) {
    String text = doc.text();
    List<String> lines = new ArrayList<>();
    for (String line : PyStrings.split(text, '\n')) {
      if (!PyStrings.isBlank(line)) {
        lines.add(line);
      }
    }
    int punct = 0;
    int shortLines = 0;
    for (String line : lines) {
      if (PunctuationSets.TERMINAL.endsWithAny(line)) {
        punct++;
      }
      if (PyStrings.len(line) <= shortLineLength) {
        shortLines++;
      }
    }
    long newlines = PyStrings.count(text, '\n');
    double dup = GopherQuality.ratio(GopherRepetition.duplicates(lines)[1], doc.chars() - newlines);
    return new Signals(lines.size(), GopherQuality.ratio(punct, lines.size()),
        GopherQuality.ratio(shortLines, lines.size()), dup, GopherQuality.ratio(newlines, doc.words().size()));
  }

  @Override
  public List<StructField> columns() {
    return List.of(
        createStructField("fineweb_nonempty_lines", IntegerType, true),
        createStructField("fineweb_line_punct_ratio", DoubleType, true),
        createStructField("fineweb_short_line_ratio", DoubleType, true),
        createStructField("fineweb_char_dup_ratio", DoubleType, true),
        createStructField("fineweb_newline_ratio", DoubleType, true));
  }

  @Override
  public Object[] values(DocumentText doc) {
    Signals s = measure(doc);
    return new Object[] {s.nonEmptyLines(), s.linePunctRatio(), s.shortLineRatio(), s.charDupRatio(),
        s.newlineRatio()};
  }
}
