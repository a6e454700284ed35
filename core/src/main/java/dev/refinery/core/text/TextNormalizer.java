package dev.refinery.core.text;

import java.text.Normalizer;
import java.util.Locale;

/** Unicode normalisation used before hashing, signal computation and comparison. */
public final class TextNormalizer {
  // The ASCII rows of the Unicode rules below: whitespace or space separator; letter or digit.
  private static final boolean[] ASCII_SPACE = new boolean[0x80];
  private static final boolean[] ASCII_KEPT = new boolean[0x80];

  static {
    for (int c = 0; c < 0x80; c++) {
      ASCII_SPACE[c] = Character.isWhitespace(c) || Character.isSpaceChar(c);
      ASCII_KEPT[c] = Character.isLetterOrDigit(c);
    }
  }

  // Beyond ASCII: space separators (Character.isSpaceChar), and what is kept (letters, digits, marks).
  private static final int SPACE_TYPES = 1 << Character.SPACE_SEPARATOR | 1 << Character.LINE_SEPARATOR
      | 1 << Character.PARAGRAPH_SEPARATOR;
  private static final int KEPT_TYPES = 1 << Character.UPPERCASE_LETTER | 1 << Character.LOWERCASE_LETTER
      | 1 << Character.TITLECASE_LETTER | 1 << Character.MODIFIER_LETTER | 1 << Character.OTHER_LETTER
      | 1 << Character.DECIMAL_DIGIT_NUMBER | 1 << Character.NON_SPACING_MARK | 1 << Character.COMBINING_SPACING_MARK;

  private TextNormalizer() {}

  /** NFKC: full-width Latin and compatibility forms fold to their plain equivalents (Ａ → A, ﬁ → fi). */
  public static String nfkc(String s) {
    return s == null ? null : Normalizer.normalize(s, Normalizer.Form.NFKC);
  }

  /**
   * The key for exact-duplicate detection: NFKC, lower case, punctuation and symbols dropped, runs of
   * whitespace collapsed to one space, trimmed. Two texts that differ only in those respects collide.
   */
  public static String dedupKey(String s) {
    if (s == null) {
      return "";
    }
    // NFKC and lower-casing leave ASCII text as it is but for A-Z, which the loop lowers itself.
    String n = isAscii(s) ? s : nfkc(s).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(n.length());
    boolean space = false;
    for (int i = 0; i < n.length(); ) {
      int cp = n.charAt(i);
      if (cp < 0x80) { // ASCII, most of most corpora: a table instead of Unicode property look-ups
        i++;
        if (ASCII_SPACE[cp]) {
          space = out.length() > 0;
        } else if (ASCII_KEPT[cp]) {
          if (space) {
            out.append(' ');
            space = false;
          }
          out.append(Character.toLowerCase((char) cp));
        }
        continue;
      }
      cp = n.codePointAt(i);
      i += Character.charCount(cp);
      int type = 1 << Character.getType(cp); // one look-up serves all three questions
      if ((type & SPACE_TYPES) != 0) { // beyond ASCII, the whitespace characters are these separators
        space = out.length() > 0;
      } else if ((type & KEPT_TYPES) != 0) {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Removes C0/C1 control characters other than tab and newline, and turns CR LF / CR into LF. */
  public static String stripControls(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          continue;
        }
        out.append('\n');
      } else if (c == '\n' || c == '\t' || !(c < 0x20 || (c >= 0x7F && c <= 0x9F))) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
