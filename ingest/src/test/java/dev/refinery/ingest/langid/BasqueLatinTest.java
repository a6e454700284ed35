package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Function words and the tx/tz affricates override the n-gram choice between Basque and Latin. */
class BasqueLatinTest {
  @Test
  void functionWordsDecide() {
    assertEquals("eu", BasqueLatin.decide("la", "Gizona etorri da eta ez du ezer esan"));
    assertEquals("eu", BasqueLatin.decide("la", "Etxe berria"));
    assertEquals("la", BasqueLatin.decide("eu", "Gallia est omnis divisa in partes tres"));
    assertEquals("la", BasqueLatin.decide("la", "Roma aeterna"));
  }
}
