package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The two norms' own words override the n-gram choice; without them it stands. */
class BosnianCroatianTest {
  @Test
  void normVocabularyDecides() {
    assertEquals("bs", BosnianCroatian.PAIR.decide("hr", "Hiljade ljudi su u januaru posjetile univerzitet tokom sedmice"));
    assertEquals("hr", BosnianCroatian.PAIR.decide("bs", "Tisuće ljudi su u siječnju posjetile sveučilište tijekom tjedna"));
    assertEquals("hr", BosnianCroatian.PAIR.decide("hr", "Ljudi su posjetili grad"));
    assertEquals("bs", BosnianCroatian.PAIR.decide("bs", "Ljudi su posjetili grad"));
  }
}
