package dev.refinery.quality.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits text into tokens the way datatrove's English word tokenizer (a blank spaCy English pipeline)
 * does, so that word counts, word lengths and punctuation ratios agree with the reference filters:
 * whitespace separates chunks; each chunk loses prefix punctuation (brackets, quotes, currency) and
 * suffix punctuation (".", ",", quotes, "'s", units after digits) one piece at a time; what remains is
 * split at infixes (hyphens and slashes between letters, ellipses). Chunks in spaCy's English exception
 * table (abbreviations such as "Mr.", contractions such as "don't" -> "do", "n't", emoticons) become
 * exactly the tokens it lists. URLs and
 * e-mail addresses stay whole. It is a re-implementation, not a port: rare cases differ (see the
 * conformance benchmark).
 */
public final class EnglishWordTokenizer {
  private static final String PREFIX_CHARS = "§%=—–…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪'\"”“`‘´’‚„»«「」『』（）〔〕【】《》〈〉⟦⟧"
      + "$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₵₶₷₸₹₺₻₼₾₿";
  private static final String SUFFIX_CHARS = "…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪'\"”“`‘´’‚„»«「」『』（）〔〕【】《》〈〉⟦⟧—–";
  private static final String CURRENCY = "$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₵₶₷₸₹₺₻₼₾₿";
  /** Characters after which a final "." is split off (besides lower-case letters and digits). */
  private static final String PERIOD_AFTER = "%²-+…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪'\"”“`‘´’‚„»«「」『』（）〔〕【】《》〈〉⟦⟧";
  private static final String QUOTES = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉⟦⟧";
  private static final List<String> UNITS = List.of("km²", "km³", "km", "m²", "m³", "dm²", "dm³", "dm", "cm²",
      "cm³", "cm", "mm²", "mm³", "mm", "ha", "µm", "nm", "yd", "in", "ft", "kg", "mg", "µg", "lb", "oz", "m/s",
      "km/h", "kmh", "mph", "hPa", "Pa", "mbar", "mb", "MB", "kb", "KB", "gb", "GB", "tb", "TB", "m", "g", "t",
      "T", "G", "M", "K", "%");
  /** spaCy's URL_PATTERN (spacy/lang/tokenizer_exceptions.py); its TLD class is approximated by lower-case letters. */
  private static final Pattern URL = Pattern.compile("(?:(?:[\\w+\\-.]{2,})://)?(?:\\S+(?::\\S*)?@)?(?:"
      + "(?!(?:10|127)(?:\\.\\d{1,3}){3})(?!(?:169\\.254|192\\.168)(?:\\.\\d{1,3}){2})"
      + "(?!172\\.(?:1[6-9]|2\\d|3[0-1])(?:\\.\\d{1,3}){2})(?:[1-9]\\d?|1\\d\\d|2[01]\\d|22[0-3])"
      + "(?:\\.(?:1?\\d{1,2}|2[0-4]\\d|25[0-5])){2}(?:\\.(?:[1-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-4]))"
      + "|(?:(?:[A-Za-z0-9\\u00a1-\\uffff][A-Za-z0-9\\u00a1-\\uffff_-]{0,62})?[A-Za-z0-9\\u00a1-\\uffff]\\.)+"
      + "[\\p{Ll}\\p{Lo}]{2,63})(?::\\d{2,5})?(?:[/?#]\\S*)?", Pattern.UNICODE_CHARACTER_CLASS);
  /** The longest exception spelled with punctuation that may be split into separate tokens first. */
  private static final int MAX_SPECIAL_SPAN = 4;

  /** spaCy's English exceptions: a chunk spelled exactly so becomes exactly these tokens. */
  private static final Map<String, List<String>> EXCEPTIONS = loadExceptions();

  /** Tokens of {@code text}, without whitespace tokens (datatrove strips them). */
  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int start = -1;
    for (int i = 0; i < n; i++) {
      if (PyStrings.isSpace(text.charAt(i))) {
        if (start >= 0) {
          chunk(text.substring(start, i), out);
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      chunk(text.substring(start), out);
    }
    return out;
  }

  /** Number of sentences spaCy's sentencizer finds in these tokens (at least 1 when there is a token). */
  public static int sentences(List<String> tokens) {
    if (tokens.isEmpty()) {
      return 0;
    }
    int count = 1;
    boolean seenEnd = false;
    for (String t : tokens) {
      boolean isEnd = t.codePointCount(0, t.length()) == 1 && PunctuationSets.SENTENCE_END.contains(t.codePointAt(0));
      if (seenEnd && !isPunct(t) && !isEnd) {
        count++;
        seenEnd = false;
      } else if (isEnd) {
        seenEnd = true;
      }
    }
    return count;
  }

  private static boolean isPunct(String t) {
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      int type = Character.getType(cp);
      boolean p = type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
          || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
          || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
          || type == Character.OTHER_PUNCTUATION;
      if (!p) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return !t.isEmpty();
  }

  private void chunk(String s, List<String> out) {
    int first = out.size();
    split(s, out);
    mergeSpecialSpans(out, first);
  }

  /**
   * spaCy re-joins adjacent tokens of one chunk that spell an exception containing punctuation, such as
   * the emoticon "):" or "''" (its special-case matcher); done here greedily, longest first.
   */
  private static void mergeSpecialSpans(List<String> out, int first) {
    for (int i = first; i < out.size() - 1; i++) {
      for (int len = Math.min(MAX_SPECIAL_SPAN, out.size() - i); len >= 2; len--) {
        List<String> span = out.subList(i, i + len);
        List<String> exception = EXCEPTIONS.get(String.join("", span));
        if (exception != null && !exception.equals(span)) {
          span.clear();
          span.addAll(exception);
          i += exception.size() - 1;
          break;
        }
      }
    }
  }

  private void split(String s, List<String> out) {
    List<String> suffixes = new ArrayList<>();
    String rest = s;
    while (!rest.isEmpty()) {
      if (isSpecial(rest)) {
        break;
      }
      int pre = prefixLength(rest);
      if (pre > 0 && pre < rest.length() && isSpecial(rest.substring(pre))) {
        out.add(rest.substring(0, pre));
        rest = rest.substring(pre);
        break;
      }
      int suf = suffixLength(rest.substring(pre));
      if (suf > 0 && suf < rest.length() && isSpecial(rest.substring(0, rest.length() - suf))) {
        suffixes.add(rest.substring(rest.length() - suf));
        rest = rest.substring(0, rest.length() - suf);
        break;
      }
      if (pre > 0 && suf > 0 && pre + suf <= rest.length()) {
        out.add(rest.substring(0, pre));
        suffixes.add(rest.substring(rest.length() - suf));
        rest = rest.substring(pre, rest.length() - suf);
      } else if (pre > 0) {
        out.add(rest.substring(0, pre));
        rest = rest.substring(pre);
      } else if (suf > 0) {
        suffixes.add(rest.substring(rest.length() - suf));
        rest = rest.substring(0, rest.length() - suf);
      } else {
        break;
      }
    }
    if (!rest.isEmpty()) {
      middle(rest, out);
    }
    for (int i = suffixes.size() - 1; i >= 0; i--) {
      out.add(suffixes.get(i));
    }
  }

  private static boolean isSpecial(String s) {
    return EXCEPTIONS.containsKey(s);
  }

  private static Map<String, List<String>> loadExceptions() {
    Map<String, List<String>> out = new HashMap<>();
    try (InputStream in = EnglishWordTokenizer.class.getResourceAsStream("spacy-en-exceptions.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty() && !line.startsWith("# ")) {
          List<String> parts = List.of(line.split("\t"));
          out.put(parts.get(0), parts.subList(1, parts.size()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("spacy-en-exceptions.tsv missing from the quality jar", e);
    }
    return Map.copyOf(out);
  }

  private static int prefixLength(String s) {
    if (s.startsWith("US$")) {
      return 3;
    }
    if (s.startsWith("C$") || s.startsWith("A$")) {
      return 2;
    }
    if (s.startsWith("..")) {
      int i = 0;
      while (i < s.length() && s.charAt(i) == '.') {
        i++;
      }
      return i;
    }
    int cp = s.codePointAt(0);
    if (cp == '+') {
      return s.length() > 1 && isAsciiDigit(s.charAt(1)) ? 0 : 1;
    }
    if (PREFIX_CHARS.indexOf(cp) >= 0 || isIcon(cp)) {
      return Character.charCount(cp);
    }
    return 0;
  }

  /** Length of the suffix that the leftmost-matching spaCy suffix rule would split off, or 0. */
  private static int suffixLength(String s) {
    int n = s.length();
    if (n == 0) {
      return 0;
    }
    // the leftmost-starting rule wins, so look for runs first: "..." and units after digits
    if (s.charAt(n - 1) == '.') {
      int i = n;
      while (i > 0 && s.charAt(i - 1) == '.') {
        i--;
      }
      if (n - i >= 2) {
        return n - i;
      }
    }
    if (s.endsWith("……")) {
      return 2;
    }
    int best = 0;
    for (String u : UNITS) {
      if (u.length() > best && s.endsWith(u) && n > u.length() && isAsciiDigit(s.charAt(n - u.length() - 1))) {
        best = u.length();
      }
    }
    for (int k = 0; k < CURRENCY.length(); k++) {
      if (s.charAt(n - 1) == CURRENCY.charAt(k) && n > 1 && isAsciiDigit(s.charAt(n - 2))) {
        best = Math.max(best, 1);
      }
    }
    if (n >= 2) {
      String last2 = s.substring(n - 2);
      if (last2.equals("'s") || last2.equals("'S") || last2.equals("’s") || last2.equals("’S")) {
        best = Math.max(best, 2);
      }
    }
    if (best > 0) {
      return best;
    }
    int cp = s.codePointBefore(n);
    if (SUFFIX_CHARS.indexOf(cp) >= 0 || isIcon(cp)) {
      return Character.charCount(cp);
    }
    if (cp == '+' && n > 1 && isAsciiDigit(s.charAt(n - 2))) {
      return 1;
    }
    if (cp == '.' && n > 1) {
      int before = s.codePointBefore(n - 1);
      if (isAsciiDigit(before) || isLowerLike(before) || PERIOD_AFTER.indexOf(before) >= 0) {
        return 1;
      }
      if (n > 2 && isUpperLike(before) && isUpperLike(s.codePointBefore(n - Character.charCount(before) - 1))) {
        return 1;
      }
      if (n > 2 && "FfCcKk".indexOf(before) >= 0 && s.charAt(n - 3) == '°') {
        return 1;
      }
    }
    return 0;
  }

  /** Splits what prefixes and suffixes left at infixes, unless it is an exception or a URL. */
  private void middle(String s, List<String> out) {
    List<String> exception = EXCEPTIONS.get(s);
    if (exception != null) {
      out.addAll(exception);
      return;
    }
    if (looksLikeUrl(s)) {
      out.add(s);
      return;
    }
    int start = 0;
    int n = s.length();
    int i = 0;
    while (i < n) {
      int infix = infixLength(s, i);
      if (infix > 0) {
        if (i > start) {
          out.add(s.substring(start, i));
        }
        out.add(s.substring(i, i + infix));
        i += infix;
        start = i;
      } else {
        i += Character.charCount(s.codePointAt(i));
      }
    }
    if (start < n) {
      out.add(s.substring(start));
    }
  }

  private static int infixLength(String s, int i) {
    int n = s.length();
    char c = s.charAt(i);
    if (c == '.' && i + 1 < n && s.charAt(i + 1) == '.') {
      int j = i;
      while (j < n && s.charAt(j) == '.') {
        j++;
      }
      return j - i;
    }
    int cp = s.codePointAt(i);
    if (cp == '…' || isIcon(cp)) {
      return Character.charCount(cp);
    }
    if (i == 0 || i + 1 >= n) {
      return 0;
    }
    int prev = s.codePointBefore(i);
    int next = s.codePointAt(i + 1);
    if ("+-*^".indexOf(c) >= 0 && isAsciiDigit(prev) && (isAsciiDigit(next) || next == '-')) {
      return 1;
    }
    if (c == '.' && (isLowerLike(prev) || QUOTES.indexOf(prev) >= 0)
        && (isUpperLike(next) || QUOTES.indexOf(next) >= 0)) {
      return 1;
    }
    if (c == ',' && Character.isLetter(prev) && Character.isLetter(next)) {
      return 1;
    }
    if ((Character.isLetter(prev) || isAsciiDigit(prev))) {
      if (s.startsWith("---", i) && i + 3 < n && Character.isLetter(s.codePointAt(i + 3))) {
        return 3;
      }
      if ((s.startsWith("--", i) || s.startsWith("——", i)) && i + 2 < n && Character.isLetter(s.codePointAt(i + 2))) {
        return 2;
      }
      if ("-–—~:<>=/".indexOf(c) >= 0 && Character.isLetter(next)) {
        return 1;
      }
    }
    return 0;
  }

  private static boolean looksLikeUrl(String s) {
    return URL.matcher(s).matches();
  }

  private static boolean isAsciiDigit(int cp) {
    return cp >= '0' && cp <= '9';
  }

  /** spaCy's lower-case class also holds letters of scripts without case. */
  private static boolean isLowerLike(int cp) {
    return Character.isLetter(cp) && !Character.isUpperCase(cp) && !Character.isTitleCase(cp);
  }

  private static boolean isUpperLike(int cp) {
    return Character.isLetter(cp) && !Character.isLowerCase(cp);
  }

  private static boolean isIcon(int cp) {
    return Character.getType(cp) == Character.OTHER_SYMBOL;
  }
}
