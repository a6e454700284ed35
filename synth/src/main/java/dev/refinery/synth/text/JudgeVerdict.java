package dev.refinery.synth.text;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A judge's score (1-10) and rationale, read robustly from free text: "Score: 7", "Rating: 8/10",
 * "[[6]]", "评分：9", "**Score**: 7.5" (rounded). The LAST labelled score wins (judges often restate it at the
 * end); without a label, a lone "N/10" counts. Anything else is unparseable (empty).
 */
public record JudgeVerdict(int score, String rationale) {
  private static final Pattern LABELLED = Pattern.compile(
      "(?i)(?:score|rating|grade|评分|得分|分数)\\s*\\**\\s*[:：=]?\\s*\\**\\s*\\[{0,2}\\s*(\\d{1,2}(?:\\.\\d+)?)"
          + "\\s*\\]{0,2}\\s*(?:/\\s*10|分)?");
  private static final Pattern BRACKETED = Pattern.compile("\\[\\[\\s*(\\d{1,2}(?:\\.\\d+)?)\\s*\\]\\]");
  private static final Pattern OUT_OF_TEN = Pattern.compile("(\\d{1,2}(?:\\.\\d+)?)\\s*/\\s*10\\b");
  private static final Pattern RATIONALE_LABEL =
      Pattern.compile("(?is)(?:rationale|reason(?:ing)?|explanation|理由|解释)\\s*\\**\\s*[:：]\\s*(.*)");

  public static Optional<JudgeVerdict> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Integer score = last(LABELLED, text);
    if (score == null) {
      score = last(BRACKETED, text);
    }
    if (score == null) {
      score = last(OUT_OF_TEN, text);
    }
    if (score == null || score < 1 || score > 10) {
      return Optional.empty();
    }
    return Optional.of(new JudgeVerdict(score, rationale(text)));
  }

  private static Integer last(Pattern p, String text) {
    Matcher m = p.matcher(text);
    Integer found = null;
    while (m.find()) {
      found = (int) Math.round(Double.parseDouble(m.group(1)));
    }
    return found;
  }

  /** Text after a "Rationale:" label up to the score line, else the whole answer without score lines. */
  private static String rationale(String text) {
    Matcher m = RATIONALE_LABEL.matcher(text);
    String body = m.find() ? m.group(1) : text;
    String cleaned = LABELLED.matcher(body).replaceAll("").replaceAll("\\[\\[\\s*\\d+\\s*\\]\\]", "").trim();
    return cleaned.length() > 2000 ? cleaned.substring(0, 2000) : cleaned;
  }
}
