package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Text in two scripts: the non-Latin one carries the language; no script with a third of the letters is und. */
class MixedScriptTest {
  private final LanguageIdentifier id = new LanguageIdentifier();

  @Test
  void latinNamesInsideAnotherScriptDoNotDecide() {
    // Urdu with more Latin letters (a product name) than Arabic ones, but under 60 %
    LanguageGuess urdu = id.identify("وزیر اعظم نے کہا کہ Samsung Galaxy Exchange");
    assertEquals("ur", urdu.code());
    assertTrue(urdu.score() < 0.6, "scaled by the Arabic script's share");
    assertEquals("hy", id.identify("Բարեւ ձեզ սիրելի New York Times Square").code());
  }

  @Test
  void noDominantScriptIsUndetermined() {
    assertEquals("und", id.identify("abcd αβγδ абвг אבגד").code());
  }
}
