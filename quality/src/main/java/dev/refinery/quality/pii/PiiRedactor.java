package dev.refinery.quality.pii;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in text and replaces each finding with a typed placeholder: e-mail addresses,
 * configured national id formats, credit-card numbers (13-19 digits that pass the Luhn check), IPv6 and
 * IPv4 addresses, and phone numbers. Types run in that order, so a card or id number is never mistaken
 * for a phone number. Candidates are found with regular expressions and then validated in code.
 */
public final class PiiRedactor implements Serializable {
  private static final Pattern EMAIL = Pattern.compile(
      "(?<![\\w.+-])[\\w.+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}(?![\\w-])",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final Pattern IPV6 = Pattern.compile(
      "(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\\d{1,3}(?:\\.\\d{1,3}){3})?(?![\\w:]|\\.\\w)");
  private static final Pattern IPV4 = Pattern.compile(
      "(?<![\\w.])(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}(?![\\w]|\\.\\d)");
  private static final Pattern PHONE = Pattern.compile(
      "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]\\d{2,4}){1,4}(?![\\w])"
          + "|(?<![\\w+])\\+\\d{8,15}(?!\\w)");
  private static final int MIN_PHONE_DIGITS = 9;
  private static final int MAX_PHONE_DIGITS = 15;

  private final Set<PiiType> types;
  private final List<NationalIdPattern> nationalIds;

  public PiiRedactor(Set<PiiType> types, List<NationalIdPattern> nationalIds) {
    this.types = types.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(types);
    this.nationalIds = List.copyOf(nationalIds);
  }

  /** The redacted text and how many findings of each type it replaced. */
  public record Redaction(String text, Map<PiiType, Integer> counts) {
    public int count(PiiType t) {
      return counts.getOrDefault(t, 0);
    }

    public boolean changed() {
      return counts.values().stream().anyMatch(c -> c > 0);
    }
  }

  public Redaction redact(String text) {
    Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
    String out = text;
    if (types.contains(PiiType.EMAIL) && out.indexOf('@') >= 0) {
      out = replace(out, EMAIL, PiiType.EMAIL, PiiType.EMAIL.placeholder(), counts);
    }
    if (types.contains(PiiType.NATIONAL_ID)) {
      for (NationalIdPattern id : nationalIds) {
        out = replace(out, id.pattern(), PiiType.NATIONAL_ID, id.placeholder(), counts);
      }
    }
    if (types.contains(PiiType.CREDIT_CARD)) {
      out = replace(out, CARD, PiiType.CREDIT_CARD, PiiType.CREDIT_CARD.placeholder(), counts);
    }
    if (types.contains(PiiType.IPV6) && out.indexOf(':') >= 0) {
      out = replace(out, IPV6, PiiType.IPV6, PiiType.IPV6.placeholder(), counts);
    }
    if (types.contains(PiiType.IPV4)) {
      out = replace(out, IPV4, PiiType.IPV4, PiiType.IPV4.placeholder(), counts);
    }
    if (types.contains(PiiType.PHONE)) {
      out = replace(out, PHONE, PiiType.PHONE, PiiType.PHONE.placeholder(), counts);
    }
    return new Redaction(out, counts);
  }

  private static String replace(String text, Pattern p, PiiType type, String placeholder,
      Map<PiiType, Integer> counts) {
    Matcher m = p.matcher(text);
    StringBuilder b = null;
    int last = 0;
    int found = 0;
    while (m.find()) {
      if (!valid(type, m.group())) {
        continue;
      }
      if (b == null) {
        b = new StringBuilder(text.length());
      }
      b.append(text, last, m.start()).append(placeholder);
      last = m.end();
      found++;
    }
    if (b == null) {
      return text;
    }
    counts.merge(type, found, Integer::sum);
    return b.append(text, last, text.length()).toString();
  }

  private static boolean valid(PiiType type, String s) {
    return switch (type) {
      case CREDIT_CARD -> luhn(s.replaceAll("[ -]", ""));
      case IPV6 -> isIpv6(s);
      case PHONE -> {
        int digits = (int) s.chars().filter(Character::isDigit).count();
        yield digits >= MIN_PHONE_DIGITS && digits <= MAX_PHONE_DIGITS;
      }
      default -> true;
    };
  }

  /** The Luhn checksum that every payment card number satisfies. */
  public static boolean luhn(String digits) {
    if (digits.length() < 13 || digits.length() > 19) {
      return false;
    }
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** RFC 4291 text forms: eight groups, or fewer with one "::", optionally ending in dotted IPv4. */
  static boolean isIpv6(String s) {
    int groupsAllowed = 8;
    String body = s;
    if (s.indexOf('.') >= 0) {
      int lastColon = s.lastIndexOf(':');
      if (!IPV4.matcher(s.substring(lastColon + 1)).matches()) {
        return false;
      }
      groupsAllowed = 6;
      body = s.substring(0, lastColon + 1);
      if (!body.endsWith("::")) {
        body = body.substring(0, body.length() - 1);
      }
    }
    int dbl = body.indexOf("::");
    if (dbl >= 0 && body.indexOf("::", dbl + 1) >= 0) {
      return false;
    }
    int head = groups(dbl >= 0 ? body.substring(0, dbl) : body);
    int tail = dbl >= 0 ? groups(body.substring(dbl + 2)) : 0;
    if (head < 0 || tail < 0 || head + tail == 0 && groupsAllowed == 8) {
      return false;
    }
    return dbl >= 0 ? head + tail < groupsAllowed : head == groupsAllowed;
  }

  /** Number of 1-4 digit hex groups separated by single colons, or -1 when malformed. */
  private static int groups(String part) {
    if (part.isEmpty()) {
      return 0;
    }
    String[] pieces = part.split(":", -1);
    for (String p : pieces) {
      if (p.isEmpty() || p.length() > 4) {
        return -1;
      }
    }
    return pieces.length;
  }
}
