package dev.refinery.train.eval;

import com.typesafe.config.Config;
import dev.refinery.core.RefineryException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One evaluation task of {@code eval.tasks}: its keys are those of {@code eval.task-defaults}, which fill in what
 * a task leaves out; an unknown key or kind is an error.
 */
public record EvalTask(String name, Kind kind, String file, String shardsRun, int numFewshot, String targetDelimiter,
    String fewshotDelimiter, long seed, Norm norm) implements Serializable {

  /** What a task measures. */
  public enum Kind {
    /** Perplexity and bits per byte of the texts of a JSONL file ({"text", optional "domain", "language"}). */
    PERPLEXITY,
    /** Perplexity and bits per byte of a run's validation shards. */
    VALIDATION,
    /** Multiple choice by log-likelihood, acc and acc_norm, from a JSONL file of {query, choices, gold}. */
    CHOICE;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What acc_norm divides a choice's log-likelihood by. */
  public enum Norm {
    /** Characters of the choice, as lm-evaluation-harness's acc_norm (len of the Python string). */
    CHARS,
    /** UTF-8 bytes of the choice. */
    BYTES,
    /** Tokens of the continuation. */
    TOKENS
  }

  /** {@code task} over {@code defaults}, checked. */
  public static EvalTask from(String name, Config task, Config defaults) {
    Set<String> unknown = new TreeSet<>(task.root().keySet());
    unknown.removeAll(defaults.root().keySet());
    if (!unknown.isEmpty()) {
      throw new RefineryException("eval.tasks." + name + ": unknown key '" + unknown.iterator().next()
          + "'; a task takes " + new TreeSet<>(defaults.root().keySet()));
    }
    Config c = task.withFallback(defaults);
    Kind kind = parse(Kind.class, c.getString("kind"), "eval.tasks." + name + ".kind");
    Norm norm = parse(Norm.class, c.getString("norm"), "eval.tasks." + name + ".norm");
    EvalTask t = new EvalTask(name, kind, c.getString("file"), c.getString("shards-run"), c.getInt("num-fewshot"),
        c.getString("target-delimiter"), c.getString("fewshot-delimiter"), c.getLong("seed"), norm);
    if (kind != Kind.VALIDATION && t.file.isEmpty()) {
      throw new RefineryException("eval.tasks." + name + ": a " + kind.id() + " task needs a file");
    }
    if (t.numFewshot < 0) {
      throw new RefineryException("eval.tasks." + name + ".num-fewshot must be 0 or more");
    }
    return t;
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, String key) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RefineryException(key + " is '" + value + "'; one of "
          + Arrays.stream(type.getEnumConstants()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
    }
  }
}
