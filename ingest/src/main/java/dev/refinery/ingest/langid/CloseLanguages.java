package dev.refinery.ingest.langid;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * A second opinion for languages that lingua's low-accuracy models confuse with a close neighbour
 * (the Norwegians and Danish, Czech/Slovak, Hindi/Marathi, Afrikaans/Dutch): OpenNLP's 103-language
 * maximum-entropy detector, restricted to the group. Bosnian/Croatian/Serbian, Ukrainian/Russian,
 * Malay/Indonesian, Catalan/Spanish and Macedonian/Bulgarian are no longer groups: lingua's 1- to 5-gram
 * scoring separates them better than OpenNLP (6, 1.4, 2.8, 0.4 and 0.4 points more summed accuracy).
 */
final class CloseLanguages {
  private static final List<Set<String>> GROUPS = List.of(Set.of("nb", "nn", "da"), Set.of("cs", "sk"),
      Set.of("hi", "mr"), Set.of("af", "nl"));
  /** OpenNLP's ISO 639-3 codes for the group members. */
  private static final Map<String, String> ISO3_TO_1 = Map.ofEntries(Map.entry("msa", "ms"), Map.entry("ind", "id"),
      Map.entry("bos", "bs"), Map.entry("hrv", "hr"), Map.entry("srp", "sr"), Map.entry("nob", "nb"),
      Map.entry("nno", "nn"), Map.entry("dan", "da"), Map.entry("ces", "cs"), Map.entry("slk", "sk"),
      Map.entry("hin", "hi"), Map.entry("mar", "mr"), Map.entry("cat", "ca"), Map.entry("spa", "es"),
      Map.entry("afr", "af"), Map.entry("nld", "nl"), Map.entry("mkd", "mk"), Map.entry("bul", "bg"),
      Map.entry("ukr", "uk"), Map.entry("rus", "ru"));

  private final LanguageDetectorME detector = new LanguageDetectorME(Model.INSTANCE);

  /**
   * OpenNLP's model, read once per JVM (reading it is a second of CPU; Spark builds an identifier per
   * partition): the model is immutable, each {@link CloseLanguages} has its own detector over it.
   */
  private static final class Model {
    static final LanguageDetectorModel INSTANCE = read();

    private static LanguageDetectorModel read() {
      try (InputStream in = CloseLanguages.class.getResourceAsStream("/langdetect-183.bin")) {
        if (in == null) {
          throw new IllegalStateException("langdetect-183.bin (opennlp-models-langdetect) is not on the classpath");
        }
        return new LanguageDetectorModel(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** OpenNLP's own best guess as an ISO 639-1 code where one exists (for text lingua could not place). */
  String fallback(String text) {
    Language best = detector.predictLanguage(text);
    String iso3 = best.getLang();
    String iso1 = ISO3_TO_1.get(iso3);
    if (iso1 != null) {
      return iso1;
    }
    for (String code : java.util.Locale.getISOLanguages()) {
      if (new java.util.Locale(code).getISO3Language().equals(iso3)) {
        return code;
      }
    }
    return iso3;
  }

  /** The group member OpenNLP prefers for {@code text}, or {@code linguaChoice} if it is in no group. */
  String decide(String linguaChoice, String text) {
    Set<String> group = null;
    for (Set<String> g : GROUPS) {
      if (g.contains(linguaChoice)) {
        group = g;
      }
    }
    if (group == null) {
      return linguaChoice;
    }
    for (Language l : detector.predictLanguages(text)) {
      String code = ISO3_TO_1.get(l.getLang());
      if (code != null && group.contains(code)) {
        return code;
      }
    }
    return linguaChoice;
  }
}
