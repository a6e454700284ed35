package dev.refinery.core.text;

import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words in a way that also works where words are not separated by spaces: every Han,
 * Hiragana and Katakana character (and every Thai, Lao, Khmer, Myanmar character) is a token of its own;
 * elsewhere a word is a maximal run of letters, digits and joining marks (apostrophes and hyphens inside a
 * word keep it whole, as in "don't" and "state-of-the-art"). Punctuation and symbols are not words.
 */
public final class WordSplitter {
  private WordSplitter() {}

  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    int n = text.length();
    int start = -1;
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (isCharacterWord(cp)) {
        if (start >= 0) {
          out.add(text.substring(start, i));
          start = -1;
        }
        out.add(text.substring(i, i + len));
      } else if (isWordChar(cp)) {
        if (start < 0) {
          start = i;
        }
      } else if (start >= 0 && isInnerJoiner(cp) && i + len < n && isWordChar(text.codePointAt(i + len))
          && !isCharacterWord(text.codePointAt(i + len))) {
        // keep going: "don't", "e-mail"
      } else if (start >= 0) {
        out.add(text.substring(start, i));
        start = -1;
      }
      i += len;
    }
    if (start >= 0) {
      out.add(text.substring(start));
    }
    return out;
  }

  /** Number of words, without building the list. */
  public static int count(String text) {
    return words(text).size();
  }

  /** True for scripts written without spaces between words, where each character counts as a token. */
  public static boolean isCharacterWord(int cp) {
    if (!Character.isLetter(cp)) {
      return false;
    }
    UnicodeScript s = UnicodeScript.of(cp);
    return s == UnicodeScript.HAN || s == UnicodeScript.HIRAGANA || s == UnicodeScript.KATAKANA
        || s == UnicodeScript.THAI || s == UnicodeScript.LAO || s == UnicodeScript.KHMER
        || s == UnicodeScript.MYANMAR;
  }

  /** True for a Han, Hiragana, Katakana or Hangul character. */
  public static boolean isCjk(int cp) {
    UnicodeScript s = UnicodeScript.of(cp);
    return s == UnicodeScript.HAN || s == UnicodeScript.HIRAGANA || s == UnicodeScript.KATAKANA
        || s == UnicodeScript.HANGUL;
  }

  private static boolean isWordChar(int cp) {
    int t = Character.getType(cp);
    return Character.isLetterOrDigit(cp) || t == Character.NON_SPACING_MARK
        || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
  }

  private static boolean isInnerJoiner(int cp) {
    return cp == '\'' || cp == '\u2019' || cp == '-' || cp == '\u2010';
  }
}
