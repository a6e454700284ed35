package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.Language;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * Languages whose own letters are so frequent that a sentence without any of them is not theirs, though
 * the n-gram models may still prefer them: Kazakh without ә ғ қ ң ө ұ ү һ (Ukrainian and Russian text was
 * taken for Kazakh), Vietnamese without a breve, circumflex, horn or đ (Yoruba's dotted vowels and tones
 * look Vietnamese to the models).
 */
final class RequiredLetters {
  private static final int MIN_LETTERS = 20;
  private static final String KAZAKH = "әғқңөұүһ";
  private static final String VIETNAMESE_MARKS = "\u0306\u0302\u031B";

  private RequiredLetters() {}

  /** {@code candidates} without the languages ruled out for {@code text}. */
  static List<Language> filter(String text, List<Language> candidates) {
    boolean askKazakh = candidates.contains(Language.KAZAKH);
    boolean askVietnamese = candidates.contains(Language.VIETNAMESE);
    if (!askKazakh && !askVietnamese || text.codePointCount(0, text.length()) < MIN_LETTERS) {
      return candidates;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    boolean kazakh = askKazakh && containsAny(lower, KAZAKH);
    boolean vietnamese = askVietnamese && (lower.indexOf('đ') >= 0
        || containsAny(Normalizer.normalize(lower, Normalizer.Form.NFD), VIETNAMESE_MARKS));
    return candidates.stream()
        .filter(l -> (l != Language.KAZAKH || kazakh) && (l != Language.VIETNAMESE || vietnamese)).toList();
  }

  private static boolean containsAny(String text, String letters) {
    for (int i = 0; i < letters.length(); i++) {
      if (text.indexOf(letters.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
