package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Function words and the tx/tz affricates override the n-gram choice between Basque and Latin. */
class BasqueLatinTest {
  @Test
  void functionWordsDecide() {
    assertEquals("eu", BasqueLatin.PAIR.decide("la", "Gizona etorri da eta ez du ezer esan"));
    assertEquals("eu", BasqueLatin.PAIR.decide("la", "Etxe berria"));
    assertEquals("la", BasqueLatin.PAIR.decide("eu", "Gallia est omnis divisa in partes tres"));
    assertEquals("la", BasqueLatin.PAIR.decide("la", "Roma aeterna"));
  }
}
