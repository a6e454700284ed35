package dev.refinery.quality.rules;

/**
 * One decision rule: a name (recorded as {@code drop_rule}), the preset it came from, and a SQL predicate
 * over {@code quality_signals} columns that is true when the document must be dropped. {@code appliesTo}
 * is the preset's predicate choosing the documents the rule is about (for example by language).
 */
public record Rule(String name, String preset, String appliesTo, String dropWhen) {
  /** The SQL that is true exactly when this rule drops a row (null signals never drop). */
  public String sql() {
    return "((" + appliesTo + ") AND (" + dropWhen + "))";
  }
}
