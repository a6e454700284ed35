package dev.refinery.quality.pii;

import dev.refinery.core.RefineryException;
import java.io.Serializable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A configured national id format: {@code NAME=regex}, replaced by {@code <ID:NAME>}. */
public record NationalIdPattern(String name, Pattern pattern) implements Serializable {
  /** Parses one {@code quality.pii.national-ids} entry. */
  public static NationalIdPattern parse(String entry) {
    int eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new RefineryException("quality.pii.national-ids entry must be NAME=regex, got: " + entry);
    }
    try {
      return new NationalIdPattern(entry.substring(0, eq).trim(), Pattern.compile(entry.substring(eq + 1)));
    } catch (PatternSyntaxException e) {
      throw new RefineryException("quality.pii.national-ids entry " + entry.substring(0, eq)
          + " has a bad regex: " + e.getDescription());
    }
  }

  public String placeholder() {
    return "<ID:" + name + ">";
  }
}
