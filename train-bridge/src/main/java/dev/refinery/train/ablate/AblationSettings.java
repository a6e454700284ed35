package dev.refinery.train.ablate;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.text.Hashing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/** The {@code ablate.*} settings, checked before anything runs. */
public record AblationSettings(String name, List<Variant> variants, List<String> common, List<String> stages,
    int parallelism, long tokens, String tokenizer, int sequenceLength, int layers, int heads, int width,
    int batchSize, double learningRate, long seed, int cores) {

  /** One data variant: its name and its {@code key=value} overrides of the pipeline. */
  public record Variant(String name, List<String> set) {}

  private static final String NAME_PATTERN = "[A-Za-z0-9_-]+";

  public static AblationSettings from(RefineryConfig c) {
    String name = c.getString("ablate.name");
    if (!name.matches(NAME_PATTERN)) {
      throw new RefineryException("ablate.name '" + name + "' must be letters, digits, '-' or '_'");
    }
    List<Variant> variants = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Config v : variantConfigs(c)) {
      for (String key : v.root().keySet()) {
        if (!key.equals("name") && !key.equals("set")) {
          throw new RefineryException("ablate.variants: unknown key '" + key + "' (a variant has name and set)");
        }
      }
      String vn;
      List<String> set;
      try {
        vn = v.getString("name");
        set = v.hasPath("set") ? v.getStringList("set") : List.of();
      } catch (ConfigException e) {
        throw new RefineryException("ablate.variants: " + e.getMessage()
            + "; a variant is {name = \"...\", set = [\"key=value\", ...]}");
      }
      if (!vn.matches(NAME_PATTERN) || !seen.add(vn)) {
        throw new RefineryException("ablate.variants: variant name '" + vn
            + "' must be unique and made of letters, digits, '-' or '_'");
      }
      variants.add(new Variant(vn, List.copyOf(set)));
    }
    if (variants.isEmpty()) {
      throw new RefineryException("ablate.variants is empty; give at least one {name = \"...\", set = [...]}");
    }
    AblationSettings s = new AblationSettings(name, List.copyOf(variants), c.getStringList("ablate.set"),
        c.getStringList("ablate.stages"), c.getInt("ablate.parallelism"), c.getLong("ablate.train.tokens"),
        c.getString("ablate.train.tokenizer"), c.getInt("ablate.train.sequence-length"),
        c.getInt("ablate.train.layers"), c.getInt("ablate.train.heads"), c.getInt("ablate.train.width"),
        c.getInt("ablate.train.batch-size"), c.getDouble("ablate.train.learning-rate"), c.getLong("ablate.train.seed"),
        c.getInt("ablate.train.cores"));
    if (s.tokens < 1 || s.sequenceLength < 2 || s.layers < 1 || s.heads < 1 || s.batchSize < 1 || s.cores < 1
        || s.parallelism < 0) {
      throw new RefineryException("ablate.train.tokens, layers, heads, batch-size and cores must be positive, "
          + "sequence-length at least 2 and ablate.parallelism 0 or more");
    }
    return s;
  }

  private static List<? extends Config> variantConfigs(RefineryConfig c) {
    try {
      return c.raw().getConfigList("ablate.variants");
    } catch (ConfigException e) {
      throw new RefineryException("ablate.variants must be a list of {name = \"...\", set = [...]}: " + e.getMessage());
    }
  }

  /** Optimizer steps that train on at least the token budget. */
  public long steps() {
    long perStep = (long) batchSize * (sequenceLength - 1);
    return (tokens + perStep - 1) / perStep;
  }

  /** The run id of a variant's tables, shards and checkpoints. */
  public String runId(Variant v) {
    return name + "-" + v.name();
  }

  /**
   * The {@code key=value} overrides that decide a variant's data, in order (later wins): the ablation's common
   * ones, the variant's own, its run id and the shards' tokenizer and sequence length (the same for all).
   */
  public List<String> dataOverrides(Variant v, String tokenizerPath) {
    List<String> out = new ArrayList<>(common);
    out.addAll(v.set());
    out.addAll(List.of(
        "run.id=" + runId(v),
        "train.shards.tokenizer=" + tokenizerPath,
        "train.shards.sequence-length=" + sequenceLength));
    return out;
  }

  /** The {@code train.*} overrides that make every variant train the same model on its own run's shards. */
  public List<String> modelOverrides(String checkpointDir) {
    long steps = steps();
    return List.of(
        "train.shards-run=",
        "train.tasks=1",
        "train.model.layers=" + layers,
        "train.model.heads=" + heads,
        "train.model.width=" + width,
        "train.batch-size=" + batchSize,
        "train.accumulation=1",
        "train.max-steps=" + steps,
        "train.lr.peak=" + learningRate,
        "train.lr.min=" + learningRate / 10,
        "train.lr.warmup-steps=" + Math.max(1, steps / 10),
        "train.lr.decay-steps=0",
        "train.eval-every=" + steps,
        "train.checkpoint-every=" + Math.max(1, steps / 4),
        "train.checkpoint-dir=" + checkpointDir,
        // the checkpoint folder belongs to these settings alone, so whatever it holds is this variant's progress
        "train.resume=true",
        "train.seed=" + seed,
        "train.torch-threads=" + cores);
  }

  /**
   * A fingerprint of what decides a variant's data: its overrides, the stages and {@code base} (the rest of the
   * configuration, rendered). Pipeline progress is kept per data fingerprint, so a changed model or evaluation
   * does not run the pipeline again.
   */
  public String dataFingerprint(Variant v, String base) {
    return hash(String.join("\n", dataOverrides(v, tokenizer)) + "\nstages=" + stages + "\n" + base);
  }

  /**
   * A fingerprint of everything that decides a variant's result: its data, the model, the budget and the
   * evaluation ({@code evaluation}, rendered). A result row with the same fingerprint means the variant is done.
   */
  public String fingerprint(Variant v, String base, String evaluation) {
    return hash(dataFingerprint(v, base) + "\n" + String.join("\n", modelOverrides("")) + "\n" + evaluation);
  }

  private static String hash(String s) {
    return Hashing.hex(Hashing.xxh64(s, 0));
  }
}
