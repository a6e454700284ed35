package dev.refinery.quality.signals;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.quality.text.PunctuationSets;
import dev.refinery.quality.text.PyStrings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.StructField;

/**
 * Gopher quality signals (Rae et al. 2021, table A1), measured as datatrove's GopherQualityFilter does:
 * word counts, mean word length, '#' and ellipsis per word, bullet-start and ellipsis-end line fractions,
 * the fraction of words with a letter, and how many distinct stop words occur.
 */
public final class GopherQuality implements SignalFamily {
  private static final Set<String> STOP_WORDS = Set.of("the", "be", "to", "of", "and", "that", "have", "with");

  /** The measured values; ratios are 0 where their denominator is 0. */
  public record Signals(int words, int nonSymbolWords, double meanWordLength, double hashRatio,
      double ellipsisRatio, double bulletLinesRatio, double ellipsisLinesRatio, double alphaWordsRatio,
      int stopWords) {}

  public Signals measure(DocumentText doc) {
    String text = doc.text();
    List<String> words = doc.words();
    int n = words.size();
    int nonSymbol = 0;
    long nonSymbolChars = 0;
    int alpha = 0;
    Set<String> stops = new HashSet<>();
    for (String w : words) {
      if (!allPunctuation(w)) {
        nonSymbol++;
        nonSymbolChars += PyStrings.len(w);
      }
      if (PyStrings.hasAlpha(w)) {
        alpha++;
      }
      if (STOP_WORDS.contains(w)) {
        stops.add(w);
      }
    }
    List<String> lines = PyStrings.splitlines(text);
    int bullets = 0;
    int ellipsisEnds = 0;
    for (String line : lines) {
      String l = PyStrings.lstrip(line);
      if (l.startsWith("•") || l.startsWith("-")) {
        bullets++;
      }
      String r = PyStrings.rstrip(line);
      if (r.endsWith("...") || r.endsWith("…")) {
        ellipsisEnds++;
      }
    }
    int ellipses = PyStrings.count(text, "...") + PyStrings.count(text, '…');
    return new Signals(n, nonSymbol, ratio(nonSymbolChars, nonSymbol), ratio(PyStrings.count(text, '#'), n),
        ratio(ellipses, n), ratio(bullets, lines.size()), ratio(ellipsisEnds, lines.size()), ratio(alpha, n),
        stops.size());
  }

  private static boolean allPunctuation(String w) {
    for (int i = 0; i < w.length(); ) {
      int cp = w.codePointAt(i);
      if (!PunctuationSets.PUNCTUATION.contains(cp)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  static double ratio(double num, double den) {
    return den == 0 ? 0.0 : num / den;
  }

  @Override
  public List<StructField> columns() {
    return List.of(
        createStructField("gopher_words", IntegerType, true),
        createStructField("gopher_non_symbol_words", IntegerType, true),
        createStructField("gopher_mean_word_length", DoubleType, true),
        createStructField("gopher_hash_ratio", DoubleType, true),
        createStructField("gopher_ellipsis_ratio", DoubleType, true),
        createStructField("gopher_bullet_lines_ratio", DoubleType, true),
        createStructField("gopher_ellipsis_lines_ratio", DoubleType, true),
        createStructField("gopher_alpha_words_ratio", DoubleType, true),
        createStructField("gopher_stop_words", IntegerType, true));
  }

  @Override
  public Object[] values(DocumentText doc) {
    Signals s = measure(doc);
    return new Object[] {s.words(), s.nonSymbolWords(), s.meanWordLength(), s.hashRatio(), s.ellipsisRatio(),
        s.bulletLinesRatio(), s.ellipsisLinesRatio(), s.alphaWordsRatio(), s.stopWords()};
  }
}
