package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.pemistahl.lingua.api.Language;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kazakh and Vietnamese need their own letters; without them the next candidates decide. */
class RequiredLettersTest {
  private static final List<Language> CANDIDATES = List.of(Language.KAZAKH, Language.UKRAINIAN,
      Language.VIETNAMESE, Language.YORUBA);

  @Test
  void rulesOutKazakhAndVietnameseWithoutTheirLetters() {
    // Ukrainian: neither Kazakh letters nor Vietnamese marks
    assertEquals(List.of(Language.UKRAINIAN, Language.YORUBA),
        RequiredLetters.filter("Він сказав, що місто було дуже гарне", CANDIDATES));
    // Kazakh letters keep Kazakh
    assertEquals(List.of(Language.KAZAKH, Language.UKRAINIAN, Language.YORUBA),
        RequiredLetters.filter("Қазақстан Республикасының астанасы", CANDIDATES));
    // Vietnamese circumflex, horn, đ (precomposed here, decomposed by the check) keep Vietnamese
    assertEquals(List.of(Language.UKRAINIAN, Language.VIETNAMESE, Language.YORUBA),
        RequiredLetters.filter("Tôi không biết anh ấy ở đâu cả", CANDIDATES));
    // Yoruba's dots below and tones are not Vietnamese marks
    assertEquals(List.of(Language.UKRAINIAN, Language.YORUBA),
        RequiredLetters.filter("Ọmọ náà lọ sí ilé ìwé lánàá", CANDIDATES));
    // too short to judge
    assertEquals(CANDIDATES, RequiredLetters.filter("Він", CANDIDATES));
  }

  @Test
  void identifierSkipsKazakhForUkrainian() {
    assertEquals("uk", new LanguageIdentifier().identify("Він сказав, що місто було дуже гарне і тихе").code());
  }
}
