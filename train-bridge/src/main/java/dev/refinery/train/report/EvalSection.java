package dev.refinery.train.report;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.CardSection;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.train.eval.EvalResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The card's "Evaluation" section: the run's {@code eval_results} ({@code refinery eval}, or an ablation
 * variant's scores under the variant's run id), every row in a table, and two bar charts: bits per byte by domain
 * and language for each model and task that measured it (lower is better), and the task scores (acc, acc_norm,
 * win_rate; higher is better). An ablation's comparison of its variants is the "Data ablation" section's.
 */
public final class EvalSection implements CardSection {
  private static final List<String> SCORES = List.of("acc", "acc_norm", "win_rate");

  @Override
  public String table() {
    return EvalResult.TABLE;
  }

  @Override
  public DataCard.Section build(Warehouse warehouse, String runId) {
    List<Row> rows = warehouse.readRun(EvalResult.TABLE, runId)
        .select("model", "task", "metric", "domain", "language", "value", "n")
        .orderBy(col("model"), col("task"), col("domain"), col("language"), col("metric")).collectAsList();
    if (rows.isEmpty()) {
      return new DataCard.Section("Evaluation", "<p class=\"note\">No evaluation results for this run.</p>", List.of());
    }
    List<List<String>> cells = new ArrayList<>();
    // series (model, task) -> cell (domain / language) -> bits per byte; (model, task) -> score -> value
    Map<String, Map<String, Double>> bitsPerByte = new TreeMap<>();
    Map<String, Map<String, Double>> scores = new TreeMap<>();
    Set<String> breakdown = new LinkedHashSet<>(List.of(EvalResult.ALL + " / " + EvalResult.ALL));
    for (Row r : rows) {
      String series = r.getString(0) + " " + r.getString(1);
      String cell = r.getString(3) + " / " + r.getString(4);
      double value = r.getDouble(5);
      cells.add(List.of(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
          String.format("%.4f", value), String.valueOf(r.getLong(6))));
      if (r.getString(2).equals("bits_per_byte")) {
        breakdown.add(cell);
        bitsPerByte.computeIfAbsent(series, k -> new TreeMap<>()).put(cell, value);
      } else if (SCORES.contains(r.getString(2)) && cell.equals(EvalResult.ALL + " / " + EvalResult.ALL)) {
        scores.computeIfAbsent(series, k -> new TreeMap<>()).put(r.getString(2), value);
      }
    }
    List<Chart> charts = new ArrayList<>();
    if (!bitsPerByte.isEmpty()) {
      List<String> labels = List.copyOf(breakdown);
      Chart c = Chart.bar("Bits per byte by domain / language (lower is better)", labels);
      bitsPerByte.forEach((series, values) -> c.series(series, labels.stream().map(values::get).toList()));
      charts.add(c);
    }
    if (!scores.isEmpty()) {
      List<String> labels = List.copyOf(scores.keySet());
      Chart c = Chart.bar("Task scores (higher is better)", labels);
      for (String metric : SCORES) {
        if (scores.values().stream().anyMatch(m -> m.containsKey(metric))) {
          c.series(metric, labels.stream().map(series -> scores.get(series).get(metric)).toList());
        }
      }
      charts.add(c);
    }
    String html = DataCard.table(List.of("model", "task", "metric", "domain", "language", "value", "n"), cells);
    return new DataCard.Section("Evaluation", html, charts);
  }
}
