package dev.refinery.quality.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's string semantics where the reference filters depend on them: lengths in code points,
 * {@code str.isspace}, {@code strip}, {@code split()}, {@code splitlines()}, {@code count}. Using Java's
 * own (UTF-16 lengths, a narrower whitespace set) would shift ratios on non-ASCII text.
 */
public final class PyStrings {
  private PyStrings() {}

  /** {@code len(s)}: code points. */
  public static int len(CharSequence s) {
    return Character.codePointCount(s, 0, s.length());
  }

  /** {@code str.isspace()} for one code point (Unicode White_Space plus the separators Python adds). */
  public static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
  }

  public static String strip(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isSpace(s.charAt(a))) {
      a++;
    }
    while (b > a && isSpace(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }

  public static String lstrip(String s) {
    int a = 0;
    while (a < s.length() && isSpace(s.charAt(a))) {
      a++;
    }
    return s.substring(a);
  }

  public static String rstrip(String s) {
    int b = s.length();
    while (b > 0 && isSpace(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(0, b);
  }

  /** True when {@code strip()} would leave nothing. */
  public static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isSpace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code str.split()}: runs of whitespace separate, no empty parts. */
  public static List<String> splitWhitespace(String s) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < s.length(); i++) {
      if (isSpace(s.charAt(i))) {
        if (start >= 0) {
          out.add(s.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** {@code str.splitlines()}: \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029; no trailing empty line. */
  public static List<String> splitlines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (isLineBreak(c)) {
        out.add(s.substring(start, i));
        if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      out.add(s.substring(start));
    }
    return out;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
        || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  /** {@code s.split(sep)} for a one-character separator (empty parts kept). */
  public static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == sep) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** {@code re.split(sep + "{min,}", s)}: runs of at least {@code min} separators split. */
  public static List<String> splitRuns(String s, char sep, int min) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    int n = s.length();
    while (i < n) {
      if (s.charAt(i) == sep) {
        int j = i;
        while (j < n && s.charAt(j) == sep) {
          j++;
        }
        if (j - i >= min) {
          out.add(s.substring(start, i));
          start = j;
        }
        i = j;
      } else {
        i++;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** {@code s.count(sub)}: non-overlapping occurrences. */
  public static int count(String s, String sub) {
    int c = 0;
    int i = s.indexOf(sub);
    while (i >= 0) {
      c++;
      i = s.indexOf(sub, i + sub.length());
    }
    return c;
  }

  public static int count(String s, char ch) {
    int c = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ch) {
        c++;
      }
    }
    return c;
  }

  /** {@code any(c.isalpha() for c in s)}. */
  public static boolean hasAlpha(String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (Character.isLetter(cp)) {
        return true;
      }
      i += Character.charCount(cp);
    }
    return false;
  }
}
