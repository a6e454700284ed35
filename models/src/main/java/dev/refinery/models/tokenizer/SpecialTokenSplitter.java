package dev.refinery.models.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cuts text at special tokens (longest match first, as Hugging Face's added vocabulary does) so the
 * pieces between them are encoded as ordinary text.
 */
final class SpecialTokenSplitter {
  /** A piece of text: either a special token's id, or ordinary text (id -1). */
  record Piece(String text, int specialId) {}

  private final Map<String, Integer> specials;
  private final Pattern pattern;

  SpecialTokenSplitter(Map<String, Integer> specials) {
    this.specials = Map.copyOf(specials);
    this.pattern =
        specials.isEmpty()
            ? null
            : Pattern.compile(
                specials.keySet().stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote)
                    .collect(Collectors.joining("|")));
  }

  List<Piece> split(String text) {
    List<Piece> out = new ArrayList<>();
    if (pattern == null) {
      out.add(new Piece(text, -1));
      return out;
    }
    Matcher m = pattern.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        out.add(new Piece(text.substring(last, m.start()), -1));
      }
      out.add(new Piece(m.group(), specials.get(m.group())));
      last = m.end();
    }
    if (last < text.length()) {
      out.add(new Piece(text.substring(last), -1));
    }
    return out;
  }
}
