package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.Language;

/**
 * Lingua's 1- to 5-gram models as {@link NgramTable}s, one per language, shared by every
 * {@link LanguageIdentifier} in the JVM (Spark builds one identifier per partition). A language's table
 * is read the first time it is asked for, once, whichever thread asks (from {@link LinguaModelCache} when
 * an earlier JVM wrote it there); languages never asked for (those decided by script, or never a candidate)
 * cost nothing.
 */
final class NgramModels {
  private static final Language[] LANGUAGES = Language.values();
  private static final Holder[] HOLDERS = new Holder[LANGUAGES.length];

  static {
    for (int i = 0; i < HOLDERS.length; i++) {
      HOLDERS[i] = new Holder(LANGUAGES[i]);
    }
  }

  private NgramModels() {}

  /** {@code language}'s table, or {@code null} when lingua ships no model for it. */
  static NgramTable of(Language language) {
    return HOLDERS[language.ordinal()].get();
  }

  /** Bytes held by the tables loaded so far. */
  static long loadedBytes() {
    long sum = 0;
    for (Holder h : HOLDERS) {
      sum += h.loadedBytes();
    }
    return sum;
  }

  /**
   * {@code language}'s table through {@code cache} (built from lingua's JSON on a miss), or {@code null} when
   * lingua ships no model for it.
   */
  static NgramTable cached(LinguaModelCache cache, Language language) {
    long[][] slots = cache.load("ngrams-" + language.name(), () -> {
      NgramTable table = LinguaModelReader.read(language);
      return table == null ? new long[0][] : new long[][] {table.slots()};
    });
    return slots.length == 0 ? null : NgramTable.ofSlots(slots[0]);
  }

  private static final class Holder {
    private final Language language;
    private volatile boolean loaded;
    private NgramTable table;

    Holder(Language language) {
      this.language = language;
    }

    NgramTable get() {
      if (!loaded) {
        synchronized (this) {
          if (!loaded) {
            table = language == Language.UNKNOWN ? null : cached(LinguaModelCache.DEFAULT, language);
            loaded = true;
          }
        }
      }
      return table;
    }

    long loadedBytes() {
      return loaded && table != null ? table.bytes() : 0;
    }
  }
}
