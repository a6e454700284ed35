package dev.refinery.quality.signals;

import dev.refinery.quality.text.EnglishWordTokenizer;
import dev.refinery.quality.text.PyStrings;
import java.util.List;

/**
 * One document as the signal families see it: its text and language, and the views several families
 * share (word tokens, length in code points), each computed at most once per document.
 */
public final class DocumentText {
  private final String text;
  private final String url;
  private final String lang;
  private final boolean cjk;
  private final EnglishWordTokenizer tokenizer;
  private List<String> words;
  private int chars = -1;

  public DocumentText(String text, String url, String lang, boolean cjk, EnglishWordTokenizer tokenizer) {
    this.text = text == null ? "" : text;
    this.url = url;
    this.lang = lang;
    this.cjk = cjk;
    this.tokenizer = tokenizer;
  }

  /** A Latin-script document (not CJK), with a fresh tokenizer: for tests and one-off use. */
  public static DocumentText of(String text) {
    return new DocumentText(text, null, "en", false, new EnglishWordTokenizer());
  }

  /** A document in a CJK language. */
  public static DocumentText cjk(String text, String lang) {
    return new DocumentText(text, null, lang, true, new EnglishWordTokenizer());
  }

  public String text() {
    return text;
  }

  public String url() {
    return url;
  }

  public String lang() {
    return lang;
  }

  /** True when the document's language is written without spaces between words (zh, ja, ko, ...). */
  public boolean isCjk() {
    return cjk;
  }

  /** Word tokens as datatrove's English tokenizer makes them. */
  public List<String> words() {
    if (words == null) {
      words = tokenizer.tokenize(text);
    }
    return words;
  }

  /** {@code len(text)} in code points. */
  public int chars() {
    if (chars < 0) {
      chars = PyStrings.len(text);
    }
    return chars;
  }
}
