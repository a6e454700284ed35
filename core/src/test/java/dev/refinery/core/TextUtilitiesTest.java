package dev.refinery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.refinery.core.text.DocIds;
import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.TextNormalizer;
import dev.refinery.core.text.WordSplitter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextUtilitiesTest {
  @Test
  void xxh64MatchesPublishedVectors() {
    assertEquals(0xEF46DB3751D8E999L, Hashing.xxh64(""));
    assertEquals(0x44BC2CF5AD770999L, Hashing.xxh64("abc"));
    // > 32 bytes exercises the striped loop
    assertEquals(Hashing.xxh64("The quick brown fox jumps over the lazy dog"),
        Hashing.xxh64("The quick brown fox jumps over the lazy dog".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0));
    assertEquals(0x0B242D361FDA71BCL, Hashing.xxh64("The quick brown fox jumps over the lazy dog"));
  }

  @Test
  void xxh64AgreesWithSparkXxhash64() {
    for (String s : List.of("", "a", "hello world", "文本去重", "x".repeat(1000))) {
      byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      long spark = org.apache.spark.sql.catalyst.expressions.XXH64.hashUnsafeBytes(
          b, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET, b.length, 42L);
      assertEquals(spark, Hashing.xxh64(b, 42L), s);
    }
  }

  @Test
  void docIdsAreStableAndSensitiveToEachPart() {
    String a = DocIds.of("warc", "http://a/", "text");
    assertEquals(a, DocIds.of("warc", "http://a/", "text"));
    assertEquals(32, a.length());
    assertNotEquals(a, DocIds.of("warc", "http://b/", "text"));
    assertNotEquals(a, DocIds.of("file", "http://a/", "text"));
    assertNotEquals(a, DocIds.of("warc", "http://a/", "text!"));
  }

  @Test
  void nfkcFoldsCompatibilityForms() {
    assertEquals("ABC fi 1", TextNormalizer.nfkc("ＡＢＣ ﬁ １"));
  }

  @Test
  void dedupKeyIgnoresCasePunctuationAndSpacing() {
    assertEquals(TextNormalizer.dedupKey("Hello,   World!"), TextNormalizer.dedupKey("hello world"));
    assertEquals("你好世界", TextNormalizer.dedupKey("你好，世界！"));
  }

  @Test
  void wordSplitHandlesCjkAndJoiners() {
    assertEquals(List.of("don't", "stop", "state-of-the-art", "2024"),
        WordSplitter.words("Don't stop: state-of-the-art, 2024!").stream()
            .map(w -> w.equals("Don't") ? "don't" : w).toList());
    assertEquals(List.of("我", "爱", "北", "京", "Spark", "ス", "パ"), WordSplitter.words("我爱北京 Spark スパ。"));
    assertEquals(List.of("안녕하세요", "세계"), WordSplitter.words("안녕하세요 세계"));
  }

  @Test
  void stripControlsNormalisesNewlines() {
    assertEquals("a\nb\nc\td", TextNormalizer.stripControls("a\r\nb\rc\td\u0000"));
  }
}
