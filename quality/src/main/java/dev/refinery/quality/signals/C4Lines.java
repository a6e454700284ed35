package dev.refinery.quality.signals;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.quality.text.EnglishWordTokenizer;
import dev.refinery.quality.text.PyStrings;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructField;

/**
 * C4 line rules (Raffel et al. 2020) as datatrove's C4QualityFilter applies them line by line: a line is
 * kept when it has no over-long word, ends in terminal punctuation (after removing citation markers),
 * has enough words and mentions neither javascript nor a cookie/terms policy; "lorem ipsum" or a curly
 * brace in a line that got that far condemns the whole page; the kept lines' sentences are counted.
 * The line-level limits are measuring parameters (changing them means recomputing signals); the page
 * decisions (sentences, lorem ipsum, braces) are rules.
 */
public final class C4Lines implements SignalFamily {
  private static final Pattern CITATION = Pattern.compile("\\[\\p{Nd}*]|\\[edit]|\\[citation needed]");
  private static final List<String> POLICY = List.of("terms of use", "privacy policy", "cookie policy",
      "uses cookies", "use of cookies", "use cookies");
  private final int minWordsPerLine;
  private final int maxWordLength;

  public C4Lines(int minWordsPerLine, int maxWordLength) {
    this.minWordsPerLine = minWordsPerLine;
    this.maxWordLength = maxWordLength;
  }

  public record Signals(int lines, int keptLines, int sentences, boolean loremIpsum, boolean curlyBracket,
      int tooLongWordLines, int noTerminalPunctLines, int tooFewWordsLines, int javascriptLines,
      int policyLines) {}

  public Signals measure(DocumentText doc) {
    EnglishWordTokenizer tokenizer = new EnglishWordTokenizer();
    List<String> lines = PyStrings.splitlines(doc.text());
    int kept = 0;
    int sentences = 0;
    boolean lorem = false;
    boolean curly = false;
    int tooLong = 0;
    int noPunct = 0;
    int fewWords = 0;
    int javascript = 0;
    int policy = 0;
    for (String raw : lines) {
      String line = PyStrings.strip(raw);
      List<String> words = PyStrings.splitWhitespace(line);
      if (maxWordLength >= 0 && words.stream().anyMatch(w -> PyStrings.len(w) > maxWordLength)) {
        tooLong++;
        continue;
      }
      if (line.indexOf('[') >= 0) {
        line = CITATION.matcher(line).replaceAll("");
      }
      if (!endsWithTerminal(line) || line.endsWith("...")) {
        noPunct++;
        continue;
      }
      if (words.size() < minWordsPerLine) {
        fewWords++;
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.contains("lorem ipsum")) {
        lorem = true;
      }
      if (lower.contains("javascript")) {
        javascript++;
        continue;
      }
      if (line.indexOf('{') >= 0) {
        curly = true;
      }
      if (POLICY.stream().anyMatch(lower::contains)) {
        policy++;
        continue;
      }
      sentences += Math.max(1, EnglishWordTokenizer.sentences(tokenizer.tokenize(line)));
      kept++;
    }
    return new Signals(lines.size(), kept, sentences, lorem, curly, tooLong, noPunct, fewWords, javascript,
        policy);
  }

  private static boolean endsWithTerminal(String line) {
    if (line.isEmpty()) {
      return false;
    }
    char c = line.charAt(line.length() - 1);
    return c == '.' || c == '?' || c == '!' || c == '"' || c == '\'';
  }

  @Override
  public List<StructField> columns() {
    return List.of(
        createStructField("c4_lines", IntegerType, true),
        createStructField("c4_kept_lines", IntegerType, true),
        createStructField("c4_sentences", IntegerType, true),
        createStructField("c4_lorem_ipsum", BooleanType, true),
        createStructField("c4_curly_bracket", BooleanType, true),
        createStructField("c4_too_long_word_lines", IntegerType, true),
        createStructField("c4_no_terminal_punct_lines", IntegerType, true),
        createStructField("c4_too_few_words_lines", IntegerType, true),
        createStructField("c4_javascript_lines", IntegerType, true),
        createStructField("c4_policy_lines", IntegerType, true));
  }

  @Override
  public Object[] values(DocumentText doc) {
    Signals s = measure(doc);
    return new Object[] {s.lines(), s.keptLines(), s.sentences(), s.loremIpsum(), s.curlyBracket(),
        s.tooLongWordLines(), s.noTerminalPunctLines(), s.tooFewWordsLines(), s.javascriptLines(),
        s.policyLines()};
  }
}
