package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The two norms' own words override the n-gram choice; without them it stands. */
class BosnianCroatianTest {
  @Test
  void normVocabularyDecides() {
    assertEquals("bs", BosnianCroatian.decide("hr", "Hiljade ljudi su u januaru posjetile univerzitet tokom sedmice"));
    assertEquals("hr", BosnianCroatian.decide("bs", "Tisuće ljudi su u siječnju posjetile sveučilište tijekom tjedna"));
    assertEquals("hr", BosnianCroatian.decide("hr", "Ljudi su posjetili grad"));
    assertEquals("bs", BosnianCroatian.decide("bs", "Ljudi su posjetili grad"));
  }
}
