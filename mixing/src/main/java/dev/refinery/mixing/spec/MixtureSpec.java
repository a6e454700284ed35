package dev.refinery.mixing.spec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The mixture asked for ({@code mixing.sources} and {@code mixing.spec.*}), checked: every problem is one
 * {@link RefineryException} that names the key and says what to change.
 */
public record MixtureSpec(List<SourceSpec> sources, Method method, List<String> groupBy, List<CellTarget> shares,
    double temperature, double maxEpochs, long budgetTokens, long seed) {
  public static final List<String> CELL_COLUMNS = List.of("domain", "lang", "source");
  /** Shares must add up to 1 within this tolerance. */
  public static final double SHARE_SUM_TOLERANCE = 1e-6;

  private static final Set<String> SOURCE_FIELDS =
      Set.of("name", "table", "filter", "text", "url", "lang", "domain", "all-runs");

  public MixtureSpec {
    sources = List.copyOf(sources);
    groupBy = List.copyOf(groupBy);
    shares = List.copyOf(shares);
  }

  public static MixtureSpec from(RefineryConfig config) {
    List<SourceSpec> sources = sources(config);
    String m = config.getString("mixing.spec.method").trim().toUpperCase(Locale.ROOT);
    Method method;
    try {
      method = Method.valueOf(m);
    } catch (IllegalArgumentException e) {
      throw new RefineryException("mixing.spec.method = \"" + config.getString("mixing.spec.method")
          + "\" is unknown; use \"shares\", \"temperature\" or \"unimax\"");
    }
    List<String> groupBy = config.getStringList("mixing.spec.group-by");
    if (groupBy.isEmpty() || !CELL_COLUMNS.containsAll(groupBy) || new HashSet<>(groupBy).size() != groupBy.size()) {
      throw new RefineryException("mixing.spec.group-by = " + groupBy
          + " must list distinct columns among " + CELL_COLUMNS);
    }
    double temperature = config.getDouble("mixing.spec.temperature");
    if (!(temperature > 0)) {
      throw new RefineryException("mixing.spec.temperature must be > 0, got " + temperature);
    }
    double maxEpochs = config.getDouble("mixing.spec.max-epochs");
    if (!(maxEpochs >= 1)) {
      throw new RefineryException("mixing.spec.max-epochs must be >= 1 (1 = never repeat), got " + maxEpochs);
    }
    long budget = config.getLong("mixing.spec.budget-tokens");
    if (budget < 0) {
      throw new RefineryException("mixing.spec.budget-tokens must be >= 0 (0 = all available), got " + budget);
    }
    List<CellTarget> shares = shares(config, groupBy);
    if (method == Method.SHARES) {
      if (shares.isEmpty()) {
        throw new RefineryException("mixing.spec.method = \"shares\" needs mixing.spec.shares, e.g. "
            + "[{" + String.join(" = \"...\", ", groupBy) + " = \"...\", share = 1.0}]");
      }
      double sum = shares.stream().mapToDouble(CellTarget::share).sum();
      if (Math.abs(sum - 1.0) > SHARE_SUM_TOLERANCE) {
        throw new RefineryException(String.format(Locale.ROOT,
            "mixing.spec.shares add up to %.6f; they must add up to 1", sum));
      }
    } else if (!shares.isEmpty()) {
      throw new RefineryException("mixing.spec.shares is only used with method = \"shares\" (method is \""
          + method.name().toLowerCase(Locale.ROOT) + "\"); remove it or change the method");
    }
    return new MixtureSpec(sources, method, groupBy, shares, temperature, maxEpochs, budget,
        config.getLong("mixing.spec.seed"));
  }

  private static List<SourceSpec> sources(RefineryConfig config) {
    List<? extends Config> list;
    try {
      list = config.raw().getConfigList("mixing.sources");
    } catch (ConfigException e) {
      throw new RefineryException("mixing.sources must be a list of {name, table, ...}: " + e.getMessage());
    }
    if (list.isEmpty()) {
      throw new RefineryException("mixing.sources is empty; name at least one table, e.g. "
          + "[{name = \"web\", table = \"documents_unique\"}]");
    }
    List<SourceSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Config c = list.get(i);
      String where = "mixing.sources[" + i + "]";
      for (String key : c.root().keySet()) {
        if (!SOURCE_FIELDS.contains(key)) {
          throw new RefineryException(where + " has unknown field '" + key + "'; fields are " + SOURCE_FIELDS);
        }
      }
      String table = string(c, "table", "");
      if (table.isBlank()) {
        throw new RefineryException(where + " needs a table (a warehouse table or view name)");
      }
      String name = string(c, "name", table);
      if (!names.add(name)) {
        throw new RefineryException(where + ".name = \"" + name + "\" is used twice; source names must be unique");
      }
      boolean allRuns;
      try {
        allRuns = c.hasPath("all-runs") && c.getBoolean("all-runs");
      } catch (ConfigException e) {
        throw new RefineryException(where + ".all-runs must be true or false");
      }
      out.add(new SourceSpec(name, table, string(c, "filter", ""), string(c, "text", "text"),
          string(c, "url", "url"), string(c, "lang", "lang"), string(c, "domain", ""), allRuns));
    }
    return out;
  }

  private static List<CellTarget> shares(RefineryConfig config, List<String> groupBy) {
    List<? extends Config> list;
    try {
      list = config.raw().getConfigList("mixing.spec.shares");
    } catch (ConfigException e) {
      throw new RefineryException("mixing.spec.shares must be a list of {" + String.join(", ", groupBy)
          + ", share}: " + e.getMessage());
    }
    List<CellTarget> out = new ArrayList<>();
    Set<List<String>> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Config c = list.get(i);
      String where = "mixing.spec.shares[" + i + "]";
      for (String key : c.root().keySet()) {
        if (!key.equals("share") && !groupBy.contains(key)) {
          throw new RefineryException(where + " has field '" + key + "', which is not in mixing.spec.group-by "
              + groupBy + " (nor 'share')");
        }
      }
      List<String> cell = new ArrayList<>();
      for (String col : groupBy) {
        String v = string(c, col, "");
        if (v.isBlank()) {
          throw new RefineryException(where + " needs a value for '" + col + "' (mixing.spec.group-by = " + groupBy + ")");
        }
        cell.add(v);
      }
      double share;
      try {
        share = c.getDouble("share");
      } catch (ConfigException e) {
        throw new RefineryException(where + " needs share = a number between 0 and 1");
      }
      if (!(share >= 0 && share <= 1)) {
        throw new RefineryException(where + ".share = " + share + " must be between 0 and 1");
      }
      if (!seen.add(cell)) {
        throw new RefineryException(where + " names cell " + cell + " a second time");
      }
      out.add(new CellTarget(cell, share));
    }
    return out;
  }

  private static String string(Config c, String key, String dflt) {
    if (!c.hasPath(key)) {
      return dflt;
    }
    try {
      return c.getString(key);
    } catch (ConfigException e) {
      throw new RefineryException("mixing: field '" + key + "' must be a string: " + e.getMessage());
    }
  }
}
