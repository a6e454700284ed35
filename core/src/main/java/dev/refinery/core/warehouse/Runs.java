package dev.refinery.core.warehouse;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/** The runs a warehouse holds, read from {@code stage_stats}: which stages ran, when, and with how many rows. */
public final class Runs {
  /** One stage of a run. */
  public record StageRun(String stage, Timestamp startedAt, long durationMs, long rowsIn, long rowsOut) {}

  /** One run: its stages in the order they started. */
  public record Run(String runId, List<StageRun> stages) {
    public Timestamp startedAt() {
      return stages.get(0).startedAt();
    }

    /** When the last stage of the run finished. */
    public Timestamp endedAt() {
      return stages.stream().map(s -> new Timestamp(s.startedAt().getTime() + s.durationMs()))
          .max(Timestamp::compareTo).orElseThrow();
    }
  }

  private Runs() {}

  /** Every run with stage_stats rows, the most recently started first. */
  public static List<Run> list(Warehouse warehouse) {
    if (!warehouse.exists(StageStats.TABLE)) {
      return List.of();
    }
    Map<String, List<StageRun>> byRun = new LinkedHashMap<>();
    for (Row r : warehouse.read(StageStats.TABLE).orderBy(col("started_at"), col("stage")).collectAsList()) {
      byRun.computeIfAbsent(r.getAs(Warehouse.RUN_ID), k -> new ArrayList<>()).add(new StageRun(r.getAs("stage"),
          r.getAs("started_at"), r.<Long>getAs("duration_ms"), r.<Long>getAs("rows_in"), r.<Long>getAs("rows_out")));
    }
    List<Run> runs = new ArrayList<>();
    byRun.forEach((id, stages) -> runs.add(new Run(id, List.copyOf(stages))));
    runs.sort((a, b) -> b.endedAt().compareTo(a.endedAt()));
    return runs;
  }

  /** The run whose last stage finished last, if any stage ever ran. */
  public static Optional<String> latest(Warehouse warehouse) {
    return list(warehouse).stream().findFirst().map(Run::runId);
  }
}
