package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.pemistahl.lingua.api.Language;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact n-gram tables hold lingua's probabilities, and scoring with them picks the right language. */
class NgramModelsTest {
  @Test
  void tableReturnsStoredLogProbabilitiesAndZeroForAbsentNgrams() {
    long[] hashes = {NgramHash.of("der"), NgramHash.of("e"), NgramHash.of("sch")};
    double[] probabilities = {0.25, 1.0, 1e-9};
    NgramTable table = NgramTable.of(hashes, probabilities, 3);
    assertEquals(Math.log(0.25), table.logProbability(NgramHash.of("der")), 1e-3);
    assertEquals(Math.log(1e-9), table.logProbability(NgramHash.of("sch")), 1e-3);
    // probability 1 (ln p = 0) still reads as present: below zero
    assertTrue(table.logProbability(NgramHash.of("e")) < 0);
    assertEquals(0.0, table.logProbability(NgramHash.of("xyz")));
    assertEquals(0.0, table.logProbability(NgramHash.of("de")));
  }

  @Test
  void readsLinguasGermanModelWithItsOwnFractions() {
    NgramTable german = NgramModels.of(Language.GERMAN);
    // language-models/de/unigrams.json: "4825373/30130920":"e", and "ch" is among the commonest bigrams
    assertEquals(Math.log(4825373.0 / 30130920), german.logProbability(NgramHash.of("e")), 1e-3);
    assertTrue(german.logProbability(NgramHash.of("ch")) < 0);
    assertTrue(german.logProbability(NgramHash.of("schen")) < 0);
    assertEquals(0.0, german.logProbability(NgramHash.of("qqqqq")));
    assertSame(german, NgramModels.of(Language.GERMAN), "read once, then shared");
    assertNull(NgramModels.of(Language.UNKNOWN));
  }

  @Test
  void scoresCloseLanguagesWithAllOrders() {
    Map<Language, Double> nynorsk = HighAccuracyScorer.confidences(
        "Eg trur ikkje at dei kjem heim att før i morgon, for vegen er stengd.", List.of(Language.BOKMAL,
            Language.NYNORSK));
    assertEquals(1.0, nynorsk.get(Language.NYNORSK));
    assertTrue(nynorsk.get(Language.BOKMAL) < 1.0);
    Map<Language, Double> spanish = HighAccuracyScorer.confidences(
        "Los niños jugaban en la plaza mientras sus padres hablaban.", List.of(Language.CATALAN,
            Language.SPANISH, Language.PORTUGUESE));
    assertEquals(1.0, spanish.get(Language.SPANISH));
    assertTrue(spanish.get(Language.CATALAN) < 1.0 && spanish.get(Language.PORTUGUESE) < 1.0);
  }

  @Test
  void identifierUsesTheCompactModelsForLatinText() {
    LanguageIdentifier id = new LanguageIdentifier();
    assertEquals("nn", id.identify("Eg trur ikkje at dei kjem heim att før i morgon, for vegen er stengd.").code());
    assertEquals("es", id.identify("Los niños jugaban en la plaza mientras sus padres hablaban.").code());
    assertTrue(LanguageIdentifier.loadAllModels() > 50L << 20);
  }
}
