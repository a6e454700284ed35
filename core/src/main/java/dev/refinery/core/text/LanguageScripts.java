package dev.refinery.core.text;

import java.util.Locale;
import java.util.Set;

/**
 * What a language code says about its writing: Chinese, Japanese and Korean (the CJK signals of quality),
 * and every language written without spaces between words (CJK plus Thai, Lao, Khmer, Burmese: character
 * shingles in dedup). Codes are compared on their primary subtag, lower-cased, so {@code zh-Hans}, {@code zh_TW}
 * and {@code ZH} are Chinese; ISO 639-3 codes and Chinese varieties ({@code cmn}, {@code yue}, {@code wuu}) count too.
 */
public final class LanguageScripts {
  private static final Set<String> CJK = Set.of("zh", "ja", "ko", "zho", "jpn", "kor", "cmn", "yue", "wuu");
  private static final Set<String> OTHER_UNSPACED = Set.of("th", "lo", "km", "my", "tha", "lao", "khm", "mya");

  private LanguageScripts() {}

  /** Chinese, Japanese or Korean. */
  public static boolean isCjk(String lang) {
    return CJK.contains(primary(lang));
  }

  /** Written without spaces between words (CJK, Thai, Lao, Khmer, Burmese). */
  public static boolean writtenWithoutSpaces(String lang) {
    String p = primary(lang);
    return CJK.contains(p) || OTHER_UNSPACED.contains(p);
  }

  private static String primary(String lang) {
    if (lang == null) {
      return "";
    }
    String lower = lang.toLowerCase(Locale.ROOT);
    int cut = 0;
    while (cut < lower.length() && lower.charAt(cut) != '-' && lower.charAt(cut) != '_') {
      cut++;
    }
    return lower.substring(0, cut);
  }
}
