package dev.refinery.quality.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into tokens the way datatrove's English word tokenizer (a blank spaCy English pipeline)
 * does, so that word counts, word lengths and punctuation ratios agree with the reference filters:
 * whitespace separates chunks; each chunk loses prefix punctuation (brackets, quotes, currency) and
 * suffix punctuation (".", ",", quotes, "'s", units after digits) one piece at a time; what remains is
 * split at infixes (hyphens and slashes between letters, ellipses). Common abbreviations ("Mr.", "e.g.")
 * and negated contractions ("don't" -> "do", "n't") are kept or split as spaCy's exceptions do. URLs and
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
  /** spaCy's English exceptions that keep a trailing period. */
  private static final Set<String> ABBREVIATIONS = Set.of("Adm.", "Ak.", "Ala.", "Apr.", "Ariz.", "Ark.",
      "Aug.", "Bros.", "Calif.", "Co.", "Colo.", "Conn.", "Corp.", "D.C.", "Dec.", "Del.", "Dr.", "E.G.",
      "E.g.", "Feb.", "Fla.", "Ga.", "Gen.", "Gov.", "I.E.", "I.e.", "Ia.", "Id.", "Ill.", "Inc.", "Ind.",
      "Jan.", "Jr.", "Jul.", "Jun.", "Kan.", "Kans.", "Ky.", "La.", "Ltd.", "Mar.", "Mass.", "Md.", "Messrs.",
      "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Mr.", "Mrs.", "Ms.", "Mt.", "N.C.", "N.D.", "N.H.", "N.J.",
      "N.M.", "N.Y.", "Neb.", "Nebr.", "Nev.", "Nov.", "Oct.", "Okla.", "Ore.", "Pa.", "Ph.D.", "Prof.",
      "Rep.", "Rev.", "S.C.", "Sen.", "Sep.", "Sept.", "St.", "Tenn.", "Va.", "Wash.", "Wis.", "a.m.", "co.",
      "e.g.", "i.e.", "p.m.", "v.s.", "vs.", "ä.", "ö.", "ü.", "and/or");

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

  private boolean isSpecial(String s) {
    return ABBREVIATIONS.contains(s) || contractionSplit(s) > 0
        || (s.length() == 2 && s.charAt(1) == '.' && Character.isLetter(s.charAt(0))
            && Character.isLowerCase(s.charAt(0)));
  }

  /** Where "don't", "can't", "I'm", "you're", "we've", "they'll", "he'd" split, or 0. */
  private static int contractionSplit(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replace('’', '\'');
    int n = lower.length();
    if (n >= 4 && lower.endsWith("n't") && allLetters(lower, 0, n - 3)) {
      return n - 3;
    }
    for (String c : List.of("'re", "'ve", "'ll", "'m", "'d")) {
      if (n > c.length() && lower.endsWith(c) && allLetters(lower, 0, n - c.length())) {
        return n - c.length();
      }
    }
    return 0;
  }

  private static boolean allLetters(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isLetter(s.charAt(i))) {
        return false;
      }
    }
    return to > from;
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
    int split = contractionSplit(s);
    if (split > 0) { // "can't" -> "ca", "n't" as in spaCy
      out.add(s.substring(0, split));
      out.add(s.substring(split));
      return;
    }
    if (isSpecial(s) || looksLikeUrl(s)) {
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
    if (s.contains("://") || s.startsWith("www.")) {
      return true;
    }
    int at = s.indexOf('@');
    return at > 0 && s.indexOf('.', at) > at + 1;
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
