package dev.refinery.train.report;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.CardSection;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.train.trainer.TrainJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * The card's "Training" section from the long {@code train_metrics} rows the trainers write (one row per
 * trainer, step and metric): per trainer, the loss curves (every metric named {@code *loss}, e.g.
 * {@code train_loss} and {@code val_loss}) and tokens per second, by step.
 */
public final class TrainingSection implements CardSection {
  static final String TOKENS_PER_S = "tokens_per_s";

  @Override
  public String table() {
    return TrainJobs.METRICS_TABLE;
  }

  @Override
  public DataCard.Section build(Warehouse warehouse, String runId) {
    // trainer -> metric -> step -> value
    Map<String, Map<String, TreeMap<Long, Double>>> curves = new TreeMap<>();
    for (Row r : warehouse.readRun(TrainJobs.METRICS_TABLE, runId)
        .where(col(TrainJobs.METRIC).endsWith("loss").or(col(TrainJobs.METRIC).equalTo(TOKENS_PER_S)))
        .select(TrainJobs.TRAINER, TrainJobs.METRIC, TrainJobs.STEP, TrainJobs.VALUE).collectAsList()) {
      if (!r.isNullAt(3)) {
        curves.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).computeIfAbsent(r.getString(1),
            k -> new TreeMap<>()).put(r.getLong(2), r.getDouble(3));
      }
    }
    List<Chart> charts = new ArrayList<>();
    curves.forEach((trainer, metrics) -> {
      Map<String, TreeMap<Long, Double>> losses = new TreeMap<>(metrics);
      TreeMap<Long, Double> speed = losses.remove(TOKENS_PER_S);
      if (!losses.isEmpty()) {
        charts.add(curve("Loss by step: " + trainer, losses));
      }
      if (speed != null) {
        charts.add(curve("Tokens per second by step: " + trainer, Map.of(TOKENS_PER_S, speed)));
      }
    });
    return new DataCard.Section("Training", charts.isEmpty()
        ? "<p class=\"note\">No loss or tokens_per_s rows in train_metrics for this run.</p>" : "", charts);
  }

  /** A line chart over the union of the steps; a series has no point at steps it was not measured at. */
  private static Chart curve(String title, Map<String, TreeMap<Long, Double>> series) {
    TreeSet<Long> steps = new TreeSet<>();
    series.values().forEach(s -> steps.addAll(s.keySet()));
    Chart c = Chart.line(title, steps.stream().map(String::valueOf).toList()).spanGaps();
    series.forEach((name, values) -> c.series(name, steps.stream().map(values::get).toList()));
    return c;
  }
}
