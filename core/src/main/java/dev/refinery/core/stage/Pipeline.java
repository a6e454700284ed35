package dev.refinery.core.stage;

import dev.refinery.core.RefineryException;
import dev.refinery.core.spark.ConsoleProgress;
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

  /** Every stage registered through ServiceLoader, in run order. */
  public static Pipeline discover() {
    List<Stage> found = new ArrayList<>();
    ServiceLoader.load(Stage.class).forEach(found::add);
    found.sort(Comparator.comparingInt(Stage::order).thenComparing(Stage::name));
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
   * when that list is empty.
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

  /** Validates every stage, then runs them in order, appending one stage_stats row per stage. */
  public List<StageStats> run(StageContext ctx, List<Stage> toRun, Consumer<String> log) {
    Set<String> upstream = new LinkedHashSet<>();
    for (Stage s : toRun) {
      s.validate(ctx, Set.copyOf(upstream));
      upstream.add(s.name());
    }
    ctx.warehouse().checkWritable();
    List<StageStats> stats = new ArrayList<>();
    ConsoleProgress progress = ConsoleProgress.attach(ctx.spark(),
        ctx.config().getDuration("pipeline.progress-interval").toMillis());
    try {
      for (Stage s : toRun) {
        log.accept("stage " + s.name() + " ...");
        long t0 = System.currentTimeMillis();
        progress.begin(s.name());
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
        StageStats st = new StageStats(s.name(), new Timestamp(t0), ms, r.rowsIn(), r.rowsOut(), r.drops());
        st.write(ctx.warehouse(), ctx.runId());
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
