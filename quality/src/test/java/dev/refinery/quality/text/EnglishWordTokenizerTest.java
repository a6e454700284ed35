package dev.refinery.quality.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Token lists copied from datatrove's English word tokenizer (spaCy 3.8 blank "en") on the same text. */
class EnglishWordTokenizerTest {
  private final EnglishWordTokenizer tokenizer = new EnglishWordTokenizer();

  @Test
  void matchesSpacyOnPunctuationContractionsAbbreviationsAndUrls() {
    String text = "Hello, world! Don't e-mail me at x@y.com (U.S.) Mr. Smith's 10km $5 ... ok. I'm sure you're "
        + "right; it's 3.5% off -- the well-known \"quote\" [1] and/or http://example.com/a?b=c.";
    assertEquals(List.of("Hello", ",", "world", "!", "Do", "n't", "e", "-", "mail", "me", "at", "x@y.com", "(",
        "U.S.", ")", "Mr.", "Smith", "'s", "10", "km", "$", "5", "...", "ok", ".", "I", "'m", "sure", "you", "'re",
        "right", ";", "it", "'s", "3.5", "%", "off", "--", "the", "well", "-", "known", "\"", "quote", "\"", "[", "1",
        "]", "and/or", "http://example.com/a?b=c", "."), tokenizer.tokenize(text));
  }

  @Test
  void bulletsAndEllipsesBecomeTheirOwnTokens() {
    assertEquals(List.of("The", "cat", "and", "the", "dog", ".", "-", "item", "one", "-", "item", "two", "..."),
        tokenizer.tokenize("The cat and the dog.\n- item one\n- item two..."));
  }

  @Test
  void countsSentencesLikeSpacysSentencizer() {
    assertEquals(3, EnglishWordTokenizer.sentences(tokenizer.tokenize("One here. Two there! Three?")));
    assertEquals(1, EnglishWordTokenizer.sentences(tokenizer.tokenize("Mr. Smith went to Washington.")));
    assertEquals(2, EnglishWordTokenizer.sentences(tokenizer.tokenize("He said \"stop.\" Then left.")));
    assertEquals(0, EnglishWordTokenizer.sentences(List.of()));
  }

  @Test
  void emptyAndWhitespaceOnlyTextHaveNoTokens() {
    assertEquals(List.of(), tokenizer.tokenize(""));
    assertEquals(List.of(), tokenizer.tokenize(" \n\t\u00a0 "));
  }
}
