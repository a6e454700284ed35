package dev.refinery.models.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenizer regex (contractions, letters, digits, punctuation runs, whitespace), the split
 * Hugging Face's ByteLevel pre-tokenizer applies with {@code use_regex: true}. Unicode classes so
 * that Chinese and non-breaking spaces split as they do in Rust.
 */
public final class PreTokenizer {
  private static final Pattern GPT2 =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private PreTokenizer() {}

  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = GPT2.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        out.add(text.substring(last, m.start()));
      }
      out.add(m.group());
      last = m.end();
    }
    if (last < text.length()) {
      out.add(text.substring(last));
    }
    return out;
  }
}
