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

  @Test
  void lettersAndAffixesSeparateThemWithoutFunctionWords() {
    // ቐ and ኸ are Tigrinya letters; -ታት plural, ብ- prefix and -i noun endings are Tigrinya grammar
    assertEquals("ti", EthiopicLanguages.decide("ሰራሕተኛታት ብቐጻሊ ክኸዱ"));
    assertEquals("ti", id.identify("ህዝቢ ብዙሕ ጸገማት ኣለዎ").code());
    // -ዎች plural, የ- "of", -ዋል perfect and the ሠ/ፀ spellings are Amharic
    assertEquals("am", EthiopicLanguages.decide("የሠራተኞች ሰዎች ተሰብስበዋል"));
    assertEquals("am", id.identify("የኢትዮጵያ ሕዝብ ብዙ ችግሮች አሉበት").code());
  }
}
