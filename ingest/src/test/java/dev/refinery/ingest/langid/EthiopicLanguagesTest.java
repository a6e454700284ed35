package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tigrinya and Amharic share a script; their function words tell them apart where spelling does not. */
class EthiopicLanguagesTest {
  private final LanguageIdentifier id = new LanguageIdentifier();

  @Test
  void functionWordsSeparateTigrinyaFromAmharic() {
    // "this is a school" in each language, written without the letters that mark either spelling
    assertEquals("ti", id.identify("እዚ ናይ ትምህርቲ ቤት እዩ።").code());
    assertEquals("am", id.identify("ይህ ትምህርት ቤት ነው።").code());
  }
}
