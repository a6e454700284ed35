package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.pemistahl.lingua.api.Language;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inverted trigram table scores every language of a script as the per-language tables do, in one walk. */
class TrigramIndexTest {
  private static final String GERMAN = "Die Kinder spielten im Garten, während ihre Eltern über das Wetter sprachen.";

  @Test
  void ranksTheLanguagesOfTheScriptWithLinguasBackOff() {
    TextNgrams text = new TextNgrams(GERMAN);
    List<Map.Entry<Language, Double>> ranked = TrigramIndex.get().rank(text, Character.UnicodeScript.LATIN);
    assertEquals(Language.GERMAN, ranked.get(0).getKey());
    assertEquals(1.0, ranked.get(0).getValue());
    assertTrue(ranked.size() > 30, "every Latin-script language with a known n-gram: " + ranked.size());
    assertTrue(ranked.stream().noneMatch(e -> e.getKey() == Language.RUSSIAN || e.getKey() == Language.ARABIC));
    // the same sums from each language's own table: trigram, else its bigram prefix, else its first letter
    double german = backOffSum(text, Language.GERMAN);
    for (Map.Entry<Language, Double> e : ranked.subList(1, 6)) {
      assertEquals(german / backOffSum(text, e.getKey()), e.getValue(), 1e-3, e.getKey().toString());
    }
  }

  @Test
  void otherScriptsHaveTheirOwnLanguages() {
    List<Map.Entry<Language, Double>> ranked = TrigramIndex.get().rank(
        new TextNgrams("Він сказав, що місто було дуже гарне і тихе"), Character.UnicodeScript.CYRILLIC);
    assertEquals(Language.UKRAINIAN, ranked.get(0).getKey());
    assertTrue(ranked.stream().allMatch(e -> List.of(Language.UKRAINIAN, Language.RUSSIAN, Language.BELARUSIAN,
        Language.BULGARIAN, Language.MACEDONIAN, Language.SERBIAN, Language.KAZAKH, Language.MONGOLIAN)
        .contains(e.getKey())), ranked.toString());
    assertTrue(TrigramIndex.get().rank(new TextNgrams("abc"), Character.UnicodeScript.RUNIC).isEmpty());
  }

  @Test
  void longTextsAreDecidedByTheTrigramPassOrAmongTheCloseLanguages() {
    LanguageIdentifier langid = new LanguageIdentifier(10, 0.25, 500);
    String german = (GERMAN + " Am Abend gingen alle zusammen in die Stadt, um im neuen Restaurant am Marktplatz zu "
        + "essen. Der Koch erzählte von seiner Reise durch Italien und von den Gerichten, die er dort gelernt hatte. "
        + "Später fuhren sie mit der Straßenbahn nach Hause, müde, aber zufrieden mit dem schönen Tag. "
        + "Morgen wollen die Großeltern kommen, deshalb muss die Wohnung noch gründlich aufgeräumt werden.");
    assertTrue(new TextNgrams(german).distinctStarts(3).length >= 150, "a long text");
    LanguageGuess guess = langid.identify(german);
    assertEquals("de", guess.code());
    assertEquals(1.0, guess.score(), 1e-9, "a clear trigram winner is certain");
    // Bokmål and Danish are close on trigrams: re-scored, then the close-language decider
    String bokmal = ("Regjeringen har bestemt at alle skoler skal holde stengt i to uker etter påske. Statsministeren sa "
        + "på pressekonferansen i går at det ikke er aktuelt å åpne igjen før smittetallene går ned. Foreldrene "
        + "må selv sørge for at barna får undervisning hjemme, og kommunene skal hjelpe dem som trenger det. "
        + "Mange lærere sier at de er bekymret for elever som ikke har datamaskin eller rolig plass å jobbe. "
        + "Fylkeskommunen vurderer derfor å låne ut nettbrett til familier med dårlig økonomi.");
    assertTrue(new TextNgrams(bokmal).distinctStarts(3).length >= 150, "a long text");
    assertEquals("nb", langid.identify(bokmal).code());
  }

  private static double backOffSum(TextNgrams text, Language language) {
    NgramTable table = NgramModels.of(language);
    double sum = 0;
    for (int i : text.distinctStarts(3)) {
      for (int k = 3; k >= 1; k--) {
        double lp = table.logProbability(text.hash(i, k));
        if (lp < 0) {
          sum += lp;
          break;
        }
      }
    }
    return sum;
  }
}
