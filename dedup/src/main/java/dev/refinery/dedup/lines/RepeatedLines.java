package dev.refinery.dedup.lines;

import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.TextNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Line-level dedup as in CCNet: each line is keyed by the hash of its normalised form; lines whose key occurs
 * in too many documents (boilerplate, navigation, cookie notices) are removed. Lines without letters or digits
 * have no key and are kept as they are.
 */
public final class RepeatedLines {
  private RepeatedLines() {}

  /** The distinct line keys of a text. */
  public static Set<Long> keys(String text) {
    Set<Long> out = new LinkedHashSet<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n", -1)) {
      Long k = key(line);
      if (k != null) {
        out.add(k);
      }
    }
    return out;
  }

  /** The text without the lines whose key is in {@code remove}, and how many lines went. */
  public static Edit remove(String text, Set<Long> remove) {
    StringBuilder out = new StringBuilder(text.length());
    int removed = 0;
    for (String line : text.split("\n", -1)) {
      Long k = key(line);
      if (k != null && remove.contains(k)) {
        removed++;
        continue;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(line);
    }
    return new Edit(removed == 0 ? text : out.toString().strip(), removed);
  }

  /** A text after line removal. */
  public record Edit(String text, int linesRemoved) {}

  private static Long key(String line) {
    String k = TextNormalizer.dedupKey(line);
    return k.isEmpty() ? null : Hashing.xxh64(k.getBytes(StandardCharsets.UTF_8), 0x11AEL);
  }
}
