package dev.refinery.quality.rules;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.quality.SignalPass;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * The decision rules of a run, in the order they are checked: the rules of each preset named by
 * {@code quality.presets} (each preset lists rule names from {@code quality.rules} and says which
 * documents it applies to), then {@code quality.custom-rules} by name. The first rule that holds gives
 * {@code drop_rule}; a document no rule drops is kept. Documents that could not be measured are dropped
 * with their {@code measure_error} before any rule.
 */
public final class QualityRules {
  private final List<Rule> rules;

  public QualityRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static QualityRules fromConfig(RefineryConfig config) {
    Map<String, String> defined = config.flatStrings("quality.rules");
    Map<String, String> custom = new TreeMap<>(config.flatStrings("quality.custom-rules"));
    List<Rule> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String preset : config.getStringList("quality.presets")) {
      String base = "quality.preset." + preset;
      if (!config.has(base + ".rules")) {
        throw new RefineryException("quality.presets names unknown preset '" + preset + "'; known presets: "
            + String.join(", ", config.raw().getConfig("quality.preset").root().keySet()));
      }
      String appliesTo = config.getString(base + ".applies-to");
      for (String name : config.getStringList(base + ".rules")) {
        String sql = defined.containsKey(name) ? defined.get(name) : custom.get(name);
        if (sql == null) {
          throw new RefineryException(base + ".rules names rule '" + name
              + "', which is neither in quality.rules nor in quality.custom-rules");
        }
        if (names.add(name)) {
          out.add(new Rule(name, preset, appliesTo, sql));
        }
      }
    }
    for (Map.Entry<String, String> e : custom.entrySet()) {
      if (names.add(e.getKey())) {
        out.add(new Rule(e.getKey(), "custom", "true", e.getValue()));
      }
    }
    return new QualityRules(out);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Only the rules of one preset, in order. */
  public QualityRules preset(String preset) {
    return new QualityRules(rules.stream().filter(r -> r.preset().equals(preset)).toList());
  }

  /** SQL giving the name of the first rule that drops the row, or NULL when it is kept. */
  public String dropRuleSql() {
    StringBuilder b = new StringBuilder("CASE WHEN " + SignalPass.MEASURE_ERROR + " IS NOT NULL THEN "
        + SignalPass.MEASURE_ERROR);
    for (Rule r : rules) {
      b.append(" WHEN ").append(r.sql()).append(" THEN '").append(r.name().replace("'", "''")).append('\'');
    }
    return b.append(" ELSE NULL END").toString();
  }

  public Column dropRule() {
    try {
      return functions.expr(dropRuleSql());
    } catch (Exception e) { // parse errors; Spark's exceptions are unchecked in Java's eyes
      throw new RefineryException("a quality rule is not valid SQL: " + firstLine(e.getMessage())
          + "; check quality.rules, quality.custom-rules and quality.preset.*.applies-to");
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
