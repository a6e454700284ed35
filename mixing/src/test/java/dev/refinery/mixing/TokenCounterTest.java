package dev.refinery.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.RefineryException;
import dev.refinery.mixing.tokens.ApproximateTokenCounter;
import dev.refinery.mixing.tokens.ModelsTokenCounter;
import dev.refinery.mixing.tokens.TokenCounter;
import dev.refinery.mixing.tokens.TokenCounting;
import dev.refinery.models.tokenizer.CharTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCounterTest {
  private static Path tokenizerJson() throws Exception {
    return Path.of(TokenCounterTest.class.getResource("/word-level-tokenizer.json").toURI());
  }

  @Test
  void approximateCountsCjkCharactersAndSplitsLongWords() {
    TokenCounter c = new ApproximateTokenCounter(4.0);
    assertEquals(3, c.count("The cat sat."));                 // three short words, punctuation not counted
    assertEquals(5, c.count("internationalization"));         // round(20 chars / 4)
  }

  @Test
  void approximateCjk() {
    TokenCounter c = new ApproximateTokenCounter(4.0);
    assertEquals(4, c.count("我爱北京"));
    assertEquals(6, c.count("我爱北京 hello world"));
    assertEquals(0, c.count("... !!!"));
  }

  @Test
  void huggingFaceTokenizerJsonCountsItsTokens() throws Exception {
    try (TokenCounter c = new ModelsTokenCounter(tokenizerJson())) {
      assertEquals(6, c.count("The cat sat on the mat"));
      assertEquals(7, c.count("The cat sat on the mat."));
      assertEquals(2, c.count("unknown words")); // each an [UNK] token
      assertTrue(c.description().startsWith("tokenizer.json:"));
    }
  }

  @Test
  void charTokenizerSavedByTheModelsModuleCountsCharacters(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    CharTokenizer.train(List.of("abc cab")).save(file);
    try (TokenCounter c = new TokenCounting(file.toString(), 4.0).open()) {
      assertEquals(6, c.count("a bc a")); // one token per character, spaces included
    }
  }

  @Test
  void configuredCountingOpensTheTokenizerOrTheApproximation() throws Exception {
    try (TokenCounter hf = new TokenCounting(tokenizerJson().toString(), 4.0).open();
        TokenCounter approx = new TokenCounting("", 4.0).open()) {
      assertEquals(7, hf.count("the cat sat on the mat ."));
      assertEquals(6, approx.count("the cat sat on the mat ."));
    }
  }

  @Test
  void missingTokenizerFileIsAConfigurationError() {
    assertThrows(RefineryException.class, () -> new ModelsTokenCounter(Path.of("/nonexistent/tokenizer.json")));
  }
}
