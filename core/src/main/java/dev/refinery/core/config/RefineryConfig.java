package dev.refinery.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.refinery.core.RefineryException;
import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layered configuration: the commented defaults ({@code refinery.conf}, shipped in the jar), then each
 * {@code --conf FILE} in order, then each {@code --set key=value}. Every key a user sets must exist in the
 * defaults, except under an object whose default is empty ({@code {}}), which is an open map (Spark
 * settings, user-defined rules).
 */
public final class RefineryConfig implements Serializable {
  public static final String DEFAULTS_RESOURCE = "refinery.conf";

  /** Keys whose values must never be printed (API keys are read from the environment variable they name). */
  private static final List<String> SECRET_MARKERS = List.of("password", "secret", "token-value", "api-key-value");

  private final String rendered; // Config is not Serializable; executors rebuild it from this text.
  private transient Config config;

  private RefineryConfig(Config config) {
    this.config = config;
    this.rendered = config.root().render(ConfigRenderOptions.concise());
  }

  /** Loads defaults, then the given files, then the overrides ({@code key=value}); validates every key. */
  public static RefineryConfig load(List<String> confFiles, List<String> overrides) {
    Config defaults = defaults();
    Config user = ConfigFactory.empty();
    for (String file : confFiles) {
      File f = new File(file);
      if (!f.isFile()) {
        throw new RefineryException("configuration file not found: " + file);
      }
      Config fileConf;
      try {
        fileConf = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new RefineryException("cannot read configuration " + file + ": " + e.getMessage());
      }
      user = fileConf.withFallback(user);
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new RefineryException("--set expects key=value, got: " + override);
      }
      String key = override.substring(0, eq).trim();
      String value = override.substring(eq + 1).trim();
      Config one;
      try {
        one = ConfigFactory.parseString(key + " = " + quoteIfNeeded(value));
      } catch (ConfigException e) {
        throw new RefineryException("cannot parse --set " + override + ": " + e.getMessage());
      }
      user = one.withFallback(user);
    }
    validateKeys(user, defaults);
    Config merged;
    try {
      merged = user.withFallback(defaults).resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
    } catch (ConfigException e) {
      throw new RefineryException("configuration error: " + e.getMessage());
    }
    return new RefineryConfig(merged);
  }

  /** This configuration with one more known key set, as {@code --set key=value} would (a command's own flag). */
  public RefineryConfig with(String key, String value) {
    Config one = ConfigFactory.parseString(key + " = " + quoteIfNeeded(value));
    validateKeys(one, defaults());
    return new RefineryConfig(one.withFallback(raw()));
  }

  /** The defaults alone. */
  public static RefineryConfig defaultsOnly() {
    return load(List.of(), List.of());
  }

  private static Config defaults() {
    Config d = ConfigFactory.parseResources(RefineryConfig.class.getClassLoader(), DEFAULTS_RESOURCE);
    if (d.isEmpty()) {
      throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
    }
    return d;
  }

  private static String quoteIfNeeded(String value) {
    if (value.startsWith("[") || value.startsWith("{") || value.startsWith("\"")) {
      return value;
    }
    if (value.matches("-?[0-9]+(\\.[0-9]+)?|true|false|null")) {
      return value;
    }
    return ConfigUtil.quoteString(value);
  }

  private static void validateKeys(Config user, Config defaults) {
    List<List<String>> leaves = new ArrayList<>();
    collectLeaves(user.root(), new ArrayList<>(), leaves);
    Set<String> known = null;
    for (List<String> leaf : leaves) {
      if (!isKnown(leaf, defaults)) {
        if (known == null) {
          known = new TreeSet<>();
          collectKnown(defaults.root(), "", known);
        }
        String key = String.join(".", leaf);
        String closest = closest(key, known);
        throw new RefineryException("unknown configuration key '" + key + "'"
            + (closest == null ? "" : "; did you mean '" + closest + "'?"));
      }
    }
  }

  /** Walks the unresolved tree (substitutions such as ${REFINERY_HOME} resolve only after merging). */
  private static void collectLeaves(ConfigObject obj, List<String> prefix, List<List<String>> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      if (e.getValue() instanceof ConfigObject o && !o.isEmpty()) {
        collectLeaves((ConfigObject) e.getValue(), path, out);
      } else {
        out.add(path);
      }
    }
  }

  /** A key is known when the defaults hold it, or an ancestor of it is an empty (open) object. */
  private static boolean isKnown(List<String> parts, Config defaults) {
    if (defaults.hasPathOrNull(ConfigUtil.joinPath(parts))) {
      return true;
    }
    for (int i = parts.size() - 1; i > 0; i--) {
      String parent = ConfigUtil.joinPath(parts.subList(0, i));
      if (defaults.hasPathOrNull(parent)) {
        ConfigValue v = defaults.getValue(parent);
        return v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).isEmpty();
      }
    }
    return false;
  }

  private static void collectKnown(ConfigObject obj, String prefix, Set<String> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().valueType() == ConfigValueType.OBJECT && !((ConfigObject) e.getValue()).isEmpty()) {
        collectKnown((ConfigObject) e.getValue(), path, out);
      } else {
        out.add(path);
      }
    }
  }

  static String closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = levenshtein(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The underlying Typesafe config (rebuilt on executors after deserialisation). */
  public Config raw() {
    if (config == null) {
      config = ConfigFactory.parseString(rendered);
    }
    return config;
  }

  public String getString(String path) {
    return get(path, () -> raw().getString(path));
  }

  public int getInt(String path) {
    return get(path, () -> raw().getInt(path));
  }

  public long getLong(String path) {
    return get(path, () -> raw().getLong(path));
  }

  public double getDouble(String path) {
    return get(path, () -> raw().getDouble(path));
  }

  public boolean getBoolean(String path) {
    return get(path, () -> raw().getBoolean(path));
  }

  public long getBytes(String path) {
    return get(path, () -> raw().getBytes(path));
  }

  public java.time.Duration getDuration(String path) {
    return get(path, () -> raw().getDuration(path));
  }

  public List<String> getStringList(String path) {
    return get(path, () -> raw().getStringList(path));
  }

  public RefineryConfig section(String path) {
    return get(path, () -> new RefineryConfig(raw().getConfig(path)));
  }

  public boolean has(String path) {
    return raw().hasPath(path);
  }

  /** Flattened {@code key -> value} strings under an object path (e.g. Spark settings). */
  public Map<String, String> flatStrings(String path) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (!raw().hasPath(path)) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : raw().getConfig(path).entrySet()) {
      out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
    }
    return out;
  }

  private <T> T get(String path, java.util.function.Supplier<T> getter) {
    try {
      return getter.get();
    } catch (ConfigException.Missing e) {
      throw new RefineryException("configuration key '" + path + "' is missing");
    } catch (ConfigException.WrongType e) {
      throw new RefineryException("configuration key '" + path + "' has the wrong type: " + e.getMessage());
    } catch (ConfigException.BadValue e) {
      throw new RefineryException("configuration key '" + path + "' has a bad value: " + e.getMessage());
    }
  }

  /** The configuration as HOCON, with secret-looking values masked. */
  public String renderMasked() {
    Config masked = raw();
    for (Map.Entry<String, ConfigValue> e : raw().entrySet()) {
      String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
      if (SECRET_MARKERS.stream().anyMatch(k::contains)) {
        masked = masked.withValue(e.getKey(), ConfigValueFactory.fromAnyRef("***"));
      }
    }
    return masked.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  /** Returns all leaf keys of this configuration, sorted. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : raw().entrySet()) {
      keys.add(e.getKey());
    }
    keys.sort(String::compareTo);
    return keys;
  }
}
