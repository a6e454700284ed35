package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one-walk text cleaning of language ID gives exactly what the regex replacements it replaced gave. */
class TextCleaningTest {
  private static final List<String> TEXTS = List.of("", "  Hello, World!  ", "Ça coûte 12,50 € — «très» cher…",
      "a\t\tb\n\u000Bc\f\rd", "x . y , - z", "İstanbul’da 3½ ½ Ⅻ kişi", "emoji 😀 and 𝔘𝔫𝔦 letters",
      "broken \uD800 surrogate", "nbsp\u00A0here\u2003em", "don't  ’quote’ __under_score__", "हिन्दी, भाषा।",
      "日本語の文章です。", "١٢٣ عربي", "   ");

  @Test
  void ngramCleaningMatchesLinguasRegexes() {
    Pattern punctuation = Pattern.compile("\\p{P}");
    Pattern numbers = Pattern.compile("\\p{N}");
    Pattern whitespace = Pattern.compile("\\s+");
    for (String t : TEXTS) {
      String expected = whitespace.matcher(numbers.matcher(punctuation.matcher(t.trim().toLowerCase(Locale.ROOT))
          .replaceAll("")).replaceAll("")).replaceAll(" ");
      assertEquals(expected, TextNgrams.clean(t), t);
    }
  }

  @Test
  void lettersOnlyMatchesItsRegex() {
    Pattern nonLetters = Pattern.compile("[^\\p{L}\\p{M}\\s'’]+");
    for (String t : TEXTS) {
      assertEquals(nonLetters.matcher(t).replaceAll(" "), LanguageIdentifier.lettersOnly(t), t);
    }
  }
}
