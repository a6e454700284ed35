package dev.refinery.ingest.langid;

import java.util.Set;

/**
 * Basque or Latin, which the n-gram models confuse on short sentences (both are vowel-rich with few
 * diacritics), by their commonest function words: Basque eta "and", da/dira/du/zen/zuen "is/was/has",
 * ez "not", bat "one", ere "also", ... against Latin et, est, in, ad, cum, sed, ut, quod, qui, ...
 * Latin never writes tx or tz, the Basque affricates (etxe, hitz). The model's choice stands unless the
 * other language's evidence outnumbers its own.
 */
final class BasqueLatin {
  private static final Set<String> BASQUE = Set.of("eta", "da", "dira", "du", "dute", "zen", "ziren", "zuen",
      "zuten", "ez", "bat", "ere", "hau", "hori", "hura", "baina", "edo", "izan", "egin", "dago", "daude",
      "beste", "bere", "baita", "baino", "oso", "gero", "orain", "dela", "zela", "duela", "zuela", "euskal",
      "euskara", "dituzte", "ditu", "zaio", "behar", "arte", "ondoren", "bezala", "bi", "hiru", "urte",
      "urtean", "gisa", "ba", "nahiz", "nola", "zer", "nor", "zein", "honek", "horrek");
  private static final Set<String> LATIN = Set.of("et", "est", "in", "ad", "cum", "sed", "ut", "quod", "qui",
      "quae", "quam", "sunt", "erat", "esse", "ab", "ex", "de", "per", "atque", "ac", "enim", "autem", "etiam",
      "nec", "neque", "vel", "aut", "sicut", "post", "ante", "inter", "sub", "super", "eius", "suum", "sua",
      "hoc", "haec", "hic", "ille", "illa", "fuit", "tamen", "nam", "ubi");

  /** Latin never writes tx or tz, the Basque affricates (etxe, hitz): one more point for Basque. */
  static final MarkerWords PAIR = new MarkerWords("eu", BASQUE, "la", LATIN,
      lower -> lower.contains("tx") || lower.contains("tz") ? 1 : 0);

  private BasqueLatin() {}
}
