package dev.refinery.quality.signals;

import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.quality.text.PyStrings;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * mC4 paragraph shape as datatrove's C4ParagraphFilter measures it: how many "\n"-separated lines a page
 * has and how long its third-longest line is (a page needs three lines of 200+ characters).
 */
public final class C4Paragraphs implements SignalFamily {
  public record Signals(int lines, int thirdLongestLine) {}

  public Signals measure(DocumentText doc) {
    List<String> lines = PyStrings.split(doc.text(), '\n');
    int first = 0;
    int second = 0;
    int third = 0;
    for (String line : lines) {
      int len = PyStrings.len(line);
      if (len > first) {
        third = second;
        second = first;
        first = len;
      } else if (len > second) {
        third = second;
        second = len;
      } else if (len > third) {
        third = len;
      }
    }
    return new Signals(lines.size(), lines.size() < 3 ? 0 : third);
  }

  @Override
  public List<StructField> columns() {
    return List.of(
        createStructField("c4_para_lines", IntegerType, true),
        createStructField("c4_para_third_longest", IntegerType, true));
  }

  @Override
  public Object[] values(DocumentText doc) {
    Signals s = measure(doc);
    return new Object[] {s.lines(), s.thirdLongestLine()};
  }
}
