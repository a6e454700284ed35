package dev.refinery.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.pemistahl.lingua.api.Language;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables read back from the binary cache are the tables built from lingua's JSON, so language ID gives the same
 * labels and scores with and without it; a damaged file is rebuilt, never used.
 */
class LinguaModelCacheTest {
  /** Lines of ../shared/data/langid's sentence files (one per language, several scripts). */
  private static final List<String> SAMPLE = List.of(
      "Exhibitors are also responsible to comply with all rules and regulations contained in the Exhibitor Manual.",
      "L. Ron Hubbard hat uns die Technologie gegeben, mit der wir alle frei sein können.",
      "Les motifs personnels se rapportent surtout aux changements d'emploi ou de lieu de travail.",
      "Ты делаешь только то, что предполагал делать.",
      "Uczniowie zdają egzaminy z języka polskiego, obcego i wybranych przedmiotów na poziomie podstawowym.",
      "Fra 1600-tallet og opp til 1865 ble gården drevet av leilendinger, mens gårdens eiere var rike byborgere.",
      "11. Lederen underretter løbende bestyrelsen om personaleforholdene i institutionen.",
      "1 - تعيين عبدالله بن عبدالعزيز بن عبدالرحمن آل الشيخ على وظيفة ( وزير مفوض) بوزارة الخارجية.");
  private static final LinguaModelCache NONE = new LinguaModelCache(null);
  @TempDir
  static Path root;
  private static TrigramIndex built;

  @BeforeAll
  static void buildFromJson() {
    built = TrigramIndex.cached(NONE);
  }

  @Test
  void cachedTablesAreTheBuiltOnesAndRankAlike() throws IOException {
    LinguaModelCache cache = new LinguaModelCache(root);
    TrigramIndex first = TrigramIndex.cached(cache); // a miss: built and written
    Path file = only(root, "trigram-index.bin");
    TrigramIndex second = TrigramIndex.cached(new LinguaModelCache(root)); // read from the file
    assertDeepEquals(built.arrays(), first.arrays());
    assertDeepEquals(built.arrays(), second.arrays());
    assertTrue(Files.size(file) > 10L << 20, "the whole index: " + Files.size(file));
    for (String line : SAMPLE) {
      TextNgrams text = new TextNgrams(LanguageIdentifier.lettersOnly(line));
      for (Character.UnicodeScript script : List.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.CYRILLIC,
          Character.UnicodeScript.ARABIC)) {
        assertEquals(built.rank(text, script), second.rank(text, script), line);
      }
    }
    for (Language language : List.of(Language.GERMAN, Language.BOKMAL, Language.DANISH, Language.ARABIC)) {
      NgramTable json = LinguaModelReader.read(language);
      NgramTable cached = NgramModels.cached(new LinguaModelCache(root), language);
      NgramTable reread = NgramModels.cached(new LinguaModelCache(root), language);
      assertArrayEquals(json.slots(), cached.slots(), language.toString());
      assertArrayEquals(json.slots(), reread.slots(), language.toString());
    }
    assertNull(NgramModels.cached(new LinguaModelCache(root), Language.UNKNOWN), "no model, cached as none");
  }

  @Test
  void aDamagedFileIsRebuiltNotRead() throws IOException {
    Path dir = Files.createDirectories(root.resolve("damaged"));
    LinguaModelCache cache = new LinguaModelCache(dir);
    NgramTable german = NgramModels.cached(cache, Language.GERMAN);
    Path file = only(dir, "ngrams-GERMAN.bin");
    long size = Files.size(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // a write cut short
    assertNull(LinguaModelCache.read(file));
    assertArrayEquals(german.slots(), NgramModels.cached(cache, Language.GERMAN).slots());
    assertEquals(size, Files.size(file), "rewritten whole");
    Files.writeString(file, "not a cache file");
    assertArrayEquals(german.slots(), NgramModels.cached(cache, Language.GERMAN).slots());
    assertNotNull(LinguaModelCache.read(file));
  }

  /** The one file called {@code name} under {@code dir} (inside the key's folder); no temporary file left. */
  private static Path only(Path dir, String name) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertTrue(all.stream().noneMatch(p -> p.toString().endsWith(".tmp")), all.toString());
      return all.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }
  }

  private static void assertDeepEquals(long[][] expected, long[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], actual[i], "array " + i);
    }
  }
}
