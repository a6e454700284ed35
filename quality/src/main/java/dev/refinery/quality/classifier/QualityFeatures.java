package dev.refinery.quality.classifier;

import dev.refinery.core.text.WordSplitter;
import java.util.List;
import java.util.Locale;

/**
 * The text the classifier sees: lower-cased words joined by spaces, where every Han/Kana/Thai character
 * is a word of its own (so the bigram features it gets downstream are CJK "words" as well as Latin word
 * pairs). Only the first {@code maxChars} characters count, which bounds the cost on huge documents.
 */
public final class QualityFeatures {
  private QualityFeatures() {}

  public static String terms(String text, int maxChars) {
    if (text == null) {
      return "";
    }
    String cut = text.length() > maxChars ? text.substring(0, maxChars) : text;
    List<String> words = WordSplitter.words(cut.toLowerCase(Locale.ROOT));
    return String.join(" ", words);
  }
}
