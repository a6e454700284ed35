package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.Language;

/**
 * Lingua's 1- to 5-gram models as {@link NgramTable}s, one per language, shared by every
 * {@link LanguageIdentifier} in the JVM (Spark builds one identifier per partition). A language's table
 * is read the first time it is asked for, once, whichever thread asks; languages never asked for (those
 * decided by script, or never a candidate) cost nothing.
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
            table = language == Language.UNKNOWN ? null : LinguaModelReader.read(language);
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
