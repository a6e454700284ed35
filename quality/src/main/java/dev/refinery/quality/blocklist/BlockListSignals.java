package dev.refinery.quality.blocklist;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.quality.signals.DocumentText;
import dev.refinery.quality.signals.SignalFamily;
import dev.refinery.quality.text.PyStrings;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;

/**
 * Block-list signals: whether the document's URL is on the domain block list, and how many entries of
 * its language's word list it contains (in total and per non-blank line, the ChineseWebText
 * "sensitive words per line" measure). Documents of a language without a list count 0.
 */
public final class BlockListSignals implements SignalFamily {
  private final DomainBlockList domains;
  private final Map<String, WordBlockList> wordsByLang;

  public BlockListSignals(DomainBlockList domains, Map<String, WordBlockList> wordsByLang) {
    this.domains = domains;
    this.wordsByLang = Map.copyOf(wordsByLang);
  }

  @Override
  public List<StructField> columns() {
    return List.of(
        createStructField("url_blocked", BooleanType, true),
        createStructField("blocked_words", IntegerType, true),
        createStructField("blocked_words_per_line", DoubleType, true));
  }

  @Override
  public boolean appliesTo(DocumentText doc) {
    return true;
  }

  @Override
  public Object[] values(DocumentText doc) {
    boolean blocked = !domains.isEmpty() && domains.blocks(doc.url());
    WordBlockList words = doc.lang() == null ? null : wordsByLang.get(doc.lang());
    int count = words == null ? 0 : words.count(doc.text(), doc.isCjk());
    int lines = 0;
    if (count > 0) {
      for (String line : PyStrings.splitlines(doc.text())) {
        if (!PyStrings.isBlank(line)) {
          lines++;
        }
      }
    }
    return new Object[] {blocked, count, lines == 0 ? 0.0 : (double) count / lines};
  }
}
