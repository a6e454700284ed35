package dev.refinery.core.stage;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.ConsoleProgress;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.StageStats;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;

/** Finds the registered stages and runs a sequence of them: validate all first, then run each, then record. */
public final class Pipeline {
  private final Map<String, Stage> stages;

  private Pipeline(Map<String, Stage> stages) {
    this.stages = stages;
  }

  /** Every stage registered through ServiceLoader, by name. */
  public static Pipeline discover() {
    List<Stage> found = new ArrayList<>();
    ServiceLoader.load(Stage.class).forEach(found::add);
    found.sort(Comparator.comparing(Stage::name));
    Map<String, Stage> byName = new LinkedHashMap<>();
    for (Stage s : found) {
      byName.put(s.name(), s);
    }
    return new Pipeline(byName);
  }

  public List<Stage> all() {
    return List.copyOf(stages.values());
  }

  public Stage get(String name) {
    return stages.get(name);
  }

  /**
   * The stages of a full run: the configured list ({@code pipeline.stages}), or every registered stage
   * when that list is empty; {@link #run} puts them in data-flow order.
   */
  public List<Stage> selected(List<String> names) {
    if (names.isEmpty()) {
      return all();
    }
    List<Stage> out = new ArrayList<>();
    for (String n : names) {
      Stage s = stages.get(n);
      if (s == null) {
        throw new RefineryException("pipeline.stages names unknown stage '" + n + "'; registered stages: "
            + String.join(", ", stages.keySet()));
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Stages in data-flow order: a stage that writes a table runs before every stage that reads it; stages
   * the declarations do not order keep their order in {@code stages}.
   */
  public static List<Stage> inRunOrder(List<Stage> stages, RefineryConfig config) {
    List<Stage> pending = new ArrayList<>(stages);
    List<Stage> ordered = new ArrayList<>();
    while (!pending.isEmpty()) {
      Stage next = null;
      for (Stage candidate : pending) {
        if (pending.stream().noneMatch(other -> other != candidate && feeds(other, candidate, config))) {
          next = candidate;
          break;
        }
      }
      if (next == null) {
        throw new RefineryException("stages " + String.join(", ", pending.stream().map(Stage::name).toList())
            + " read each other's tables in a cycle; change their inputs so that one of them runs first");
      }
      ordered.add(next);
      pending.remove(next);
    }
    return ordered;
  }

  private static boolean feeds(Stage writer, Stage reader, RefineryConfig config) {
    Set<String> written = writer.outputs(config);
    return reader.inputs(config).stream().anyMatch(t -> written.contains(t) && !reader.outputs(config).contains(t));
  }

  /**
   * Every input of every stage must be in the warehouse already or be written by a stage that runs before
   * it; otherwise the message names the registered stages that write it.
   */
  void checkInputs(StageContext ctx, List<Stage> ordered) {
    Set<String> upstream = new LinkedHashSet<>();
    for (Stage s : ordered) {
      for (String table : s.inputs(ctx.config())) {
        if (!upstream.contains(table) && !ctx.warehouse().exists(table)) {
          List<String> writers = stages.values().stream()
              .filter(w -> w != s && w.outputs(ctx.config()).contains(table)).map(Stage::name).toList();
          throw new RefineryException("stage " + s.name() + " reads table '" + table + "', which is not in warehouse "
              + ctx.warehouse().root() + (writers.isEmpty() ? "; no registered stage writes it"
                  : " and stage " + String.join(" or ", writers) + " (which writes it) does not run before "
                      + s.name() + " in this run")
              + "; run the stage that writes it first, or set " + s.name() + "'s input to an existing table");
        }
      }
      upstream.addAll(s.outputs(ctx.config()));
    }
  }

  /**
   * Puts the stages in data-flow order, checks their inputs and validates every one, then runs them,
   * appending one stage_stats row per stage.
   */
  public List<StageStats> run(StageContext ctx, List<Stage> stages, Consumer<String> log) {
    List<Stage> toRun = inRunOrder(stages, ctx.config());
    checkInputs(ctx, toRun);
    for (Stage s : toRun) {
      s.validate(ctx);
    }
    ctx.warehouse().checkWritable();
    List<StageStats> stats = new ArrayList<>();
    // stages this run id recorded before (a re-run replaces their rows; a new stage's row is a plain append)
    Set<String> recorded = StageStats.recorded(ctx.warehouse(), ctx.runId());
    ConsoleProgress progress = ConsoleProgress.attach(ctx.spark(),
        ctx.config().getDuration("pipeline.progress-interval").toMillis());
    try {
      for (Stage s : toRun) {
        log.accept("stage " + s.name() + " ...");
        long t0 = System.currentTimeMillis();
        progress.begin(s.name());
        SparkSessions.sizeToCluster(ctx.spark(), ctx.config());
        // Spark's UI, event log and history server then name each job after its pipeline stage
        ctx.spark().sparkContext().setJobDescription("refinery " + s.name());
        StageResult r;
        StageContext stageCtx = new StageContext(ctx.spark(), ctx.config(), ctx.warehouse()
            .withWriteHook(table -> Failpoints.at(ctx.config(), s.name() + ".write." + table)), ctx.runId());
        try {
          Failpoints.at(ctx.config(), s.name() + ".start");
          r = s.run(stageCtx);
          Failpoints.at(ctx.config(), s.name() + ".commit");
        } finally {
          progress.end();
          ctx.spark().sparkContext().setJobDescription(null);
        }
        long ms = System.currentTimeMillis() - t0;
        StageStats st = new StageStats(s.name(), new Timestamp(t0), ms, r.rowsIn(), r.rowsOut(), r.drops(),
            r.counters());
        st.write(ctx.warehouse(), ctx.runId(), !recorded.add(s.name()));
        stats.add(st);
        log.accept(String.format("stage %s done in %.1f s: %d in, %d out", s.name(), ms / 1000.0, r.rowsIn(),
            r.rowsOut()));
      }
    } finally {
      ctx.spark().sparkContext().removeSparkListener(progress);
    }
    return stats;
  }
}
