package dev.refinery.synth.text;

import java.lang.Character.UnicodeScript;

/**
 * Which writing system a text is in, by the share of its letters per script: enough to tell whether an
 * answer is in the language the prompt asked for (Chinese answers to Chinese prompts, English to English),
 * without a language-ID model. Languages it cannot tell apart by script are accepted.
 */
public final class ScriptProfile {
  private ScriptProfile() {}

  /** Share of letters (0..1) that belong to the script expected for {@code lang}; 1 for unknown languages. */
  public static double matchShare(String text, String lang) {
    UnicodeScript expected = switch (lang) {
      case "zh", "ja" -> UnicodeScript.HAN;
      case "en", "de", "fr", "es", "it", "pt", "nl" -> UnicodeScript.LATIN;
      case "ru", "uk" -> UnicodeScript.CYRILLIC;
      case "ar" -> UnicodeScript.ARABIC;
      default -> null;
    };
    if (expected == null || text == null) {
      return 1;
    }
    long letters = 0;
    long matching = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetter(cp)) {
        continue;
      }
      letters++;
      UnicodeScript s = UnicodeScript.of(cp);
      if (s == expected || (lang.equals("ja") && (s == UnicodeScript.HIRAGANA || s == UnicodeScript.KATAKANA))) {
        matching++;
      }
    }
    return letters == 0 ? 0 : (double) matching / letters;
  }
}
