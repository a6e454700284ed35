package dev.refinery.ingest.langid;

import java.util.Locale;
import java.util.Set;

/**
 * Oromo (Afaan Oromoo), which lingua has no model for, by its function words: a sentence in which at
 * least two different ones make up a sixth of the words is Oromo. Somali, its Latin-script neighbour
 * with similar spelling, shares none of these.
 */
final class OromoWords {
  private static final Set<String> WORDS = Set.of("fi", "kan", "keessa", "keessatti", "irratti", "irraa", "akka",
      "isaa", "kana", "kanaaf", "sana", "jedhe", "jedhan", "waliin", "wajjin", "yeroo", "garuu", "ta'e", "ta'uu",
      "qabu", "qaba", "jira", "jiru", "hunda", "booda", "dura", "ture", "turan", "akkasumas", "karaa", "ennaa",
      "osoo", "kun", "isaan", "ani", "nu", "keenya", "isa", "ishee", "hin", "ni", "kanneen", "illee", "moo");
  private static final double MIN_SHARE = 1.0 / 6;

  private OromoWords() {}

  static boolean matches(String letters) {
    String[] words = letters.toLowerCase(Locale.ROOT).replace('’', '\'').trim().split("\\s+");
    if (words.length < 3) {
      return false;
    }
    int hits = 0;
    Set<String> distinct = new java.util.HashSet<>();
    for (String w : words) {
      if (WORDS.contains(w)) {
        hits++;
        distinct.add(w);
      }
    }
    return distinct.size() >= 2 && hits >= MIN_SHARE * words.length;
  }
}
