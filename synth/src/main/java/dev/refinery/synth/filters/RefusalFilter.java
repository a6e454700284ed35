package dev.refinery.synth.filters;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Drops refusals and assistant boilerplate ("As an AI language model", "我无法") by configured regexes. */
public final class RefusalFilter implements SynthFilter {
  private final List<Pattern> patterns;

  public RefusalFilter(List<String> regexes) {
    this.patterns = regexes.stream().map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE)).toList();
  }

  @Override
  public String reject(Candidate c) {
    String t = c.checkedText().toLowerCase(Locale.ROOT);
    for (Pattern p : patterns) {
      if (p.matcher(t).find()) {
        return "refusal";
      }
    }
    return null;
  }
}
