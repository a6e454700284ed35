package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Oromo by function words and suffixes, without taking its neighbours for it. */
class OromoWordsTest {
  @Test
  void findsOromoByFunctionWordsAndSuffixes() {
    // "The regional government said that it would finish this work."
    assertTrue(OromoWords.matches("Mootummaan naannoo Oromiyaa hojii kana akka xumuru jedhe"));
    // suffixes only: locative -tti, plural -oota, perfect -niiru
    assertTrue(OromoWords.matches("barattoota magaalattii gaafataniiru"));
    // one Oromo word is enough in a short text with no Somali word, not with one
    assertTrue(OromoWords.matches("Rakkoo guddaa"));
    assertFalse(OromoWords.matches("Rakkoo guddaa ayaa"));
    assertEquals("om", new LanguageIdentifier().identify("Namoonni hedduun gara Finfinnee deemaniiru.").code());
  }

  @Test
  void leavesSomaliShonaAndDiacriticTextAlone() {
    // Somali function words (ayaa, in, ay) outweigh the shared double vowels
    assertFalse(OromoWords.matches("Dowladda Soomaaliya ayaa sheegtay in ay shaqada dhameystiri doonto"));
    // Shona writes ch and ny as Oromo does
    assertFalse(OromoWords.matches("Ndinoda kuenda kumusha kwedu nechinyorwa chitsva"));
    // letters outside Qubee
    assertFalse(OromoWords.matches("fi kan akka hyvää päivää"));
    // Yoruba's ni, fi, kan without Oromo's doubled long vowels
    assertFalse(OromoWords.matches("o ni ki a fi kan si ile"));
    assertEquals("so", new LanguageIdentifier().identify("Dowladda Soomaaliya ayaa sheegtay in ay shaqada "
        + "dhameystiri doonto.").code());
  }
}
