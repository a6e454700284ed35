package dev.refinery.ingest.langid;

import java.util.Locale;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Two close languages told apart by words that mark each of them (function words, standard vocabulary): the
 * n-gram models' choice stands unless the other language's marker words outnumber its own. {@code extra}
 * adds evidence for the first language that is not a whole word (a spelling only it uses).
 */
record MarkerWords(String first, Set<String> firstWords, String second, Set<String> secondWords,
    ToIntFunction<String> extra) {

  MarkerWords(String first, Set<String> firstWords, String second, Set<String> secondWords) {
    this(first, firstWords, second, secondWords, lower -> 0);
  }

  /** Whether the models' choice is one of the two. */
  boolean covers(String modelChoice) {
    return first.equals(modelChoice) || second.equals(modelChoice);
  }

  /** {@code first} or {@code second} for text the models put in either. */
  String decide(String modelChoice, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    int a = extra.applyAsInt(lower);
    int b = 0;
    for (String w : lower.split("[^\\p{L}]+")) {
      if (firstWords.contains(w)) {
        a++;
      } else if (secondWords.contains(w)) {
        b++;
      }
    }
    if (a > b) {
      return first;
    }
    return b > a ? second : modelChoice;
  }
}
