package dev.refinery.quality.blocklist;

import dev.refinery.core.text.WordSplitter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Words and phrases of one language that mark a document as unwanted (abuse, spam). In languages written
 * with spaces an entry matches whole words (case-insensitive); in CJK an entry matches as a substring,
 * since words are not delimited there. Counts every occurrence.
 */
public final class WordBlockList implements Serializable {
  private final Set<String> words;
  private final List<String> phrases;

  private WordBlockList(Set<String> words, List<String> phrases) {
    this.words = words;
    this.phrases = phrases;
  }

  public static WordBlockList parse(List<String> lines) {
    Set<String> words = new HashSet<>();
    List<String> phrases = new ArrayList<>();
    for (String line : lines) {
      String w = stripComment(line).toLowerCase(Locale.ROOT);
      if (w.isEmpty()) {
        continue;
      }
      List<String> parts = WordSplitter.words(w);
      if (parts.size() == 1 && parts.get(0).equals(w)) {
        words.add(w);
      } else {
        phrases.add(w);
      }
    }
    return new WordBlockList(Set.copyOf(words), List.copyOf(phrases));
  }

  static String stripComment(String line) {
    int hash = line.indexOf('#');
    return (hash >= 0 ? line.substring(0, hash) : line).trim();
  }

  /** Occurrences of listed entries in the text. */
  public int count(String text, boolean cjk) {
    if (text == null || (words.isEmpty() && phrases.isEmpty())) {
      return 0;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    int n = 0;
    if (cjk) {
      for (String w : words) {
        n += occurrences(lower, w);
      }
    } else if (!words.isEmpty()) {
      for (String w : WordSplitter.words(lower)) {
        if (words.contains(w)) {
          n++;
        }
      }
    }
    for (String p : phrases) {
      n += occurrences(lower, p);
    }
    return n;
  }

  private static int occurrences(String text, String s) {
    int c = 0;
    for (int i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length())) {
      c++;
    }
    return c;
  }
}
