package dev.refinery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.JsonRecords;
import dev.refinery.core.text.LanguageScripts;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text knowledge stages share from core: JSON records, language scripts, the n-gram hasher. */
class SharedTextTest {
  @Test
  void jsonRecordsReadArraysLinesOneValueAndGzip(@TempDir Path dir) throws Exception {
    Path array = Files.writeString(dir.resolve("a.json"), "[{\"q\": \"one\"}, {\"q\": \"two\"}]");
    Path lines = Files.writeString(dir.resolve("b.jsonl"), "{\"q\": \"one\"}\n\n{\"q\": [\"two\", {\"x\": \"three\"}]}\n");
    Path single = Files.writeString(dir.resolve("c.json"), "{\n  \"q\": \"one\"\n}\n");
    Path gz = dir.resolve("d.jsonl.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write("{\"q\": \"zipped\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(2, JsonRecords.read(array).size());
    assertEquals(List.of("two", "three"), JsonRecords.strings(JsonRecords.read(lines).get(1)));
    assertEquals("one", JsonRecords.read(single).get(0).get("q").asText());
    assertEquals("zipped", JsonRecords.read(gz).get(0).get("q").asText());
  }

  @Test
  void oneListOfLanguagesWrittenWithoutSpaces() {
    for (String cjk : List.of("zh", "zh-Hans", "zh_TW", "ZH", "cmn", "yue", "ja", "jpn", "ko")) {
      assertTrue(LanguageScripts.isCjk(cjk) && LanguageScripts.writtenWithoutSpaces(cjk), cjk);
    }
    for (String thai : List.of("th", "tha", "km", "lo", "my")) {
      assertTrue(LanguageScripts.writtenWithoutSpaces(thai) && !LanguageScripts.isCjk(thai), thai);
    }
    for (String spaced : List.of("en", "de-AT", "und", "")) {
      assertFalse(LanguageScripts.writtenWithoutSpaces(spaced), spaced);
    }
    assertFalse(LanguageScripts.writtenWithoutSpaces(null));
  }

  @Test
  void ngramHashesDependOnOrderLengthAndKind() {
    long[] words = {11, 22, 33};
    assertEquals(Hashing.ngram(words, 0, 2), Hashing.ngram(new long[] {11, 22}, 0, 2));
    assertNotEquals(Hashing.ngram(words, 0, 2), Hashing.ngram(words, 1, 2));
    assertNotEquals(Hashing.ngram(new long[] {22, 11}, 0, 2), Hashing.ngram(new long[] {11, 22}, 0, 2));
    assertNotEquals(Hashing.ngram(words, 0, 3), Hashing.ngram(new int[] {11, 22, 33}, 0, 3));
  }
}
