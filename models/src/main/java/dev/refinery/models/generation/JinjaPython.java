package dev.refinery.models.generation;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.SafeString;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Python pieces transformers adds to the Jinja environment of chat templates, for {@link ChatTemplate}:
 * {@code raise_exception(message)}, {@code strftime_now(format)} and the {@code tojson} filter (Python's
 * {@code json.dumps} with {@code ensure_ascii=False}: its separators, escapes and indentation, not Jackson's).
 */
final class JinjaPython {
  private JinjaPython() {}

  /** What {@code raise_exception} throws; its message is the template's own. */
  static final class Raised extends RuntimeException {
    Raised(String message) {
      super(message);
    }
  }

  public static Object raiseException(String message) {
    throw new Raised(message);
  }

  /** The message of a failed render: the template's own when it raised, else the engine's. */
  static String reason(TemplateError e) {
    for (Throwable t = e.getException(); t != null; t = t.getCause()) {
      if (t instanceof Raised r) {
        return r.getMessage();
      }
    }
    String m = e.getMessage();
    int at = m == null ? -1 : m.indexOf(Raised.class.getName() + ": ");
    return at >= 0 ? m.substring(at + Raised.class.getName().length() + 2) : m + " (line " + e.getLineno() + ")";
  }

  /** Python's {@code datetime.now().strftime(format)} for the directives chat templates use. */
  public static String strftimeNow(String format) {
    return strftime(LocalDateTime.now(), format);
  }

  static String strftime(LocalDateTime t, String format) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 == format.length()) {
        b.append(c);
        continue;
      }
      char d = format.charAt(++i);
      switch (d) {
        case 'd' -> b.append(String.format("%02d", t.getDayOfMonth()));
        case 'm' -> b.append(String.format("%02d", t.getMonthValue()));
        case 'Y' -> b.append(t.getYear());
        case 'y' -> b.append(String.format("%02d", t.getYear() % 100));
        case 'b' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'B' -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'A' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'H' -> b.append(String.format("%02d", t.getHour()));
        case 'I' -> b.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
        case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
        case 'M' -> b.append(String.format("%02d", t.getMinute()));
        case 'S' -> b.append(String.format("%02d", t.getSecond()));
        case 'j' -> b.append(String.format("%03d", t.getDayOfYear()));
        case '%' -> b.append('%');
        default -> throw new Raised("strftime_now: unsupported directive %" + d);
      }
    }
    return b.toString();
  }

  /**
   * Jinja binds a test tighter than {@code not} ({@code not x is defined} is {@code not (x is defined)}); Jinjava
   * applies the {@code not} first, so the test is parenthesised here.
   */
  static String testsBindTighterThanNot(String source) {
    return NOT_IS.matcher(source).replaceAll("not ($1 is $2$3$4)");
  }

  private static final Pattern NOT_IS = Pattern.compile(
      "\\bnot\\s+([A-Za-z_][\\w.]*(?:\\[[^\\]]*\\])*)\\s+is\\s+(not\\s+)?([A-Za-z_]\\w*)(\\([^)]*\\))?");

  /** Python's Jinja counts strings as iterable and as sequences (they are); Jinjava does not. */
  static final class PythonContainerTest implements ExpTest {
    private final String name;

    PythonContainerTest(String name) {
      this.name = name;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
      return var instanceof Iterable<?> || var instanceof Map<?, ?> || var instanceof CharSequence
          || var instanceof SafeString || (var != null && var.getClass().isArray());
    }
  }

  /** transformers' {@code tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}. */
  static final class ToJson implements Filter {
    @Override
    public String getName() {
      return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      return filter(var, interpreter, args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
      Object indent = kwargs.getOrDefault("indent", args.length > 1 ? args[1] : null);
      boolean ascii = truthy(kwargs.getOrDefault("ensure_ascii", args.length > 0 ? args[0] : false));
      boolean sort = truthy(kwargs.get("sort_keys"));
      StringBuilder b = new StringBuilder();
      new Dumper(indent == null ? -1 : Integer.parseInt(indent.toString()), ascii, sort).value(var, 0, b);
      return b.toString();
    }

    private static boolean truthy(Object o) {
      return o != null && Boolean.parseBoolean(o.toString());
    }
  }

  /** Python's json.dumps layout: ", " and ": " on one line, or "," and newlines with an indent. */
  private record Dumper(int indent, boolean ascii, boolean sortKeys) {
    void value(Object v, int depth, StringBuilder b) {
      if (v == null) {
        b.append("null");
      } else if (v instanceof Boolean bool) {
        b.append(bool ? "true" : "false");
      } else if (v instanceof Double || v instanceof Float) {
        b.append(pythonFloat(((Number) v).doubleValue()));
      } else if (v instanceof Number n) {
        b.append(n);
      } else if (v instanceof Map<?, ?> m) {
        Map<?, ?> entries = sortKeys ? new TreeMap<>(m) : m;
        b.append('{');
        int i = 0;
        for (Map.Entry<?, ?> e : entries.entrySet()) {
          separator(i++, depth + 1, b);
          string(String.valueOf(e.getKey()), b);
          b.append(": ");
          value(e.getValue(), depth + 1, b);
        }
        close('}', entries.isEmpty(), depth, b);
      } else if (v instanceof Iterable<?> list) {
        boolean empty = !list.iterator().hasNext();
        b.append('[');
        int i = 0;
        for (Object o : list) {
          separator(i++, depth + 1, b);
          value(o, depth + 1, b);
        }
        close(']', empty, depth, b);
      } else {
        string(v.toString(), b);
      }
    }

    private void separator(int i, int depth, StringBuilder b) {
      if (i > 0) {
        b.append(indent < 0 ? ", " : ",");
      }
      if (indent >= 0) {
        b.append('\n').append(" ".repeat(indent * depth));
      }
    }

    private void close(char c, boolean empty, int depth, StringBuilder b) {
      if (indent >= 0 && !empty) {
        b.append('\n').append(" ".repeat(indent * depth));
      }
      b.append(c);
    }

    private void string(String s, StringBuilder b) {
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          case '\b' -> b.append("\\b");
          case '\f' -> b.append("\\f");
          default -> {
            if (c < 0x20 || (ascii && c > 0x7e)) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      b.append('"');
    }

    /** Python's repr of a float: shortest round-trip digits, always with a point or an exponent. */
    private static String pythonFloat(double d) {
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "Infinity" : "-Infinity";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e16) {
        return String.format("%.1f", d);
      }
      String s = Double.toString(d);
      int e = s.indexOf('E');
      if (e < 0) {
        return s;
      }
      int exp = Integer.parseInt(s.substring(e + 1));
      if (exp >= -4 && exp < 16) {
        return new java.math.BigDecimal(s).toPlainString();
      }
      String mantissa = s.substring(0, e).replaceAll("\\.0$", "");
      return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }
  }
}
