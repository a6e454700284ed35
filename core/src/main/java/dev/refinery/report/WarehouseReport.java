package dev.refinery.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.sum;

import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.DataCard.Section;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;

/**
 * The data card of one run of a warehouse: the funnel through every stage and rule, lengths, quality
 * scores, languages and domains, duplicate clusters, mixture shares, training curves and stage timings.
 * A section appears when the tables behind it exist, so the card grows with the pipeline.
 */
public final class WarehouseReport {
  private final Warehouse warehouse;
  private final String runId;

  public WarehouseReport(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
  }

  public String html() {
    DataCard card = new DataCard("Refinery data card: " + warehouse.root() + ", run " + runId);
    card.add(overview());
    if (warehouse.exists(StageStats.TABLE)) {
      card.add(funnel());
      card.add(timings());
    }
    if (warehouse.exists("documents")) {
      card.add(documents());
    }
    if (warehouse.exists("quality_signals")) {
      card.add(quality());
    }
    if (warehouse.exists("dedup_clusters")) {
      card.add(duplicates());
    }
    if (warehouse.exists("mixture")) {
      card.add(mixture());
    }
    if (warehouse.exists("train_metrics")) {
      card.add(training());
    }
    return card.render();
  }

  private Dataset<Row> run(String table) {
    return warehouse.readRun(table, runId);
  }

  private Section overview() {
    List<List<String>> rows = new ArrayList<>();
    for (String t : warehouse.tables()) {
      rows.add(List.of(t, String.valueOf(run(t).count())));
    }
    for (String v : warehouse.views()) {
      rows.add(List.of(v + " (view)", String.valueOf(run(v).count())));
    }
    return new Section("Tables", DataCard.table(List.of("table", "rows in this run"), rows), List.of());
  }

  private List<Row> stageRows() {
    return run(StageStats.TABLE).orderBy("started_at").collectAsList();
  }

  private Section funnel() {
    List<Row> stages = stageRows();
    List<String> names = new ArrayList<>();
    List<Long> in = new ArrayList<>();
    List<Long> out = new ArrayList<>();
    for (Row r : stages) {
      names.add(r.getAs("stage"));
      in.add(r.getAs("rows_in"));
      out.add(r.getAs("rows_out"));
    }
    Chart flow = Chart.bar("Documents through the stages", names).series("rows in", in).series("rows out", out);
    List<Row> drops = run(StageStats.TABLE)
        .select(col("stage"), explode(col("drops")).as(new String[] {"reason", "n"}))
        .orderBy(desc("n")).collectAsList();
    List<Chart> charts = new ArrayList<>(List.of(flow));
    List<List<String>> table = new ArrayList<>();
    if (!drops.isEmpty()) {
      List<String> reasons = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      for (Row r : drops) {
        reasons.add(r.getString(0) + ": " + r.getString(1));
        counts.add(r.getLong(2));
        table.add(List.of(r.getString(0), r.getString(1), String.valueOf(r.getLong(2))));
      }
      charts.add(Chart.horizontalBar("Drops per stage and rule", reasons).series("documents dropped", counts));
    }
    String tokens = tokenFunnel();
    String html = (table.isEmpty() ? "<p class=\"note\">No drops recorded.</p>"
        : DataCard.table(List.of("stage", "dropped because", "documents"), table)) + tokens;
    return new Section("Funnel", html, charts);
  }

  /** Words (whitespace tokens) per table along the flow, and model tokens where mixing counted them. */
  private String tokenFunnel() {
    List<List<String>> rows = new ArrayList<>();
    for (String t : List.of("documents", "documents_kept", "documents_unique", "mixture")) {
      if (!warehouse.exists(t)) {
        continue;
      }
      Dataset<Row> d = run(t);
      List<String> cols = Arrays.asList(d.columns());
      if (!cols.contains("text")) {
        continue;
      }
      Row r = d.agg(count(lit(1)), sum(org.apache.spark.sql.functions.size(
          org.apache.spark.sql.functions.split(col("text"), "\\s+")))).first();
      String tokens = cols.contains("tokens") ? String.valueOf(d.agg(sum("tokens")).first().get(0)) : "";
      rows.add(List.of(t, String.valueOf(r.getLong(0)), String.valueOf(r.isNullAt(1) ? 0 : r.getLong(1)),
          tokens));
    }
    return rows.isEmpty() ? "" : "<h3>Documents and tokens</h3>"
        + DataCard.table(List.of("table", "documents", "whitespace words", "model tokens"), rows);
  }

  private Section timings() {
    List<String> names = new ArrayList<>();
    List<Double> secs = new ArrayList<>();
    for (Row r : stageRows()) {
      names.add(r.getAs("stage"));
      secs.add(((Long) r.getAs("duration_ms")) / 1000.0);
    }
    return new Section("Stage timing", "", List.of(Chart.bar("Seconds per stage", names).series("seconds", secs)));
  }

  private Section documents() {
    Dataset<Row> docs = run("documents");
    List<Chart> charts = new ArrayList<>();
    charts.add(histogramLog10("Document length (characters, log10 buckets)", docs.select(length(col("text"))
        .cast("double").as("v"))));
    if (Arrays.asList(docs.columns()).contains("lang")) {
      charts.add(categories("Documents per language", docs.groupBy("lang").count(), 20));
    }
    return new Section("Documents", "", charts);
  }

  private Section quality() {
    Dataset<Row> q = run("quality_signals");
    List<Chart> charts = new ArrayList<>();
    for (String c : q.columns()) {
      boolean numeric = q.schema().apply(c).dataType() instanceof NumericType;
      if (numeric && (c.endsWith("_score") || c.endsWith("score"))) {
        charts.add(histogram("Quality score: " + c, q.select(col(c).cast("double").as("v")), 20));
      }
    }
    if (Arrays.asList(q.columns()).contains("drop_rule")) {
      Dataset<Row> rules = q.where(col("drop_rule").isNotNull()).groupBy("drop_rule").count();
      if (rules.count() > 0) {
        charts.add(categories("Documents dropped per quality rule", rules, 30));
      }
    }
    return new Section("Quality", "", charts);
  }

  private Section duplicates() {
    Dataset<Row> d = run("dedup_clusters");
    Dataset<Row> sizes = d.groupBy("cluster_id").count().groupBy(col("count").as("size")).count().orderBy("size");
    List<String> labels = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (Row r : sizes.collectAsList()) {
      labels.add(String.valueOf(r.getLong(0)));
      counts.add(r.getLong(1));
    }
    List<Chart> charts = new ArrayList<>(List.of(
        Chart.bar("Duplicate clusters by size (documents per cluster)", labels).series("clusters", counts).logScale()));
    if (Arrays.asList(d.columns()).contains("method")) {
      charts.add(categories("Documents removed per method", d.where(col("is_duplicate")).groupBy("method").count(),
          10));
    }
    return new Section("Duplicates", "", charts);
  }

  private Section mixture() {
    Dataset<Row> m = run("mixture");
    List<String> cols = Arrays.asList(m.columns());
    List<Chart> charts = new ArrayList<>();
    String weight = cols.contains("tokens") ? "tokens" : null;
    for (String dim : List.of("domain", "lang")) {
      if (cols.contains(dim)) {
        Dataset<Row> g = weight == null ? m.groupBy(dim).count()
            : m.groupBy(dim).agg(sum(weight).as("count"));
        charts.add(shares("Mixture share by " + dim + (weight == null ? " (documents)" : " (tokens)"), g));
      }
    }
    String html = "";
    if (warehouse.exists("mixture_report")) {
      Dataset<Row> rep = run("mixture_report").drop("run_id");
      List<String> header = Arrays.asList(rep.columns());
      List<List<String>> rows = new ArrayList<>();
      for (Row r : rep.limit(200).collectAsList()) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          cells.add(String.valueOf(r.get(i)));
        }
        rows.add(cells);
      }
      html = "<h3>Target versus achieved</h3>" + DataCard.table(header, rows);
    }
    return new Section("Mixture", html, charts);
  }

  private Section training() {
    Dataset<Row> t = warehouse.read("train_metrics");
    List<String> cols = Arrays.asList(t.columns());
    List<Chart> charts = new ArrayList<>();
    if (cols.contains("step")) {
      List<String> series = new ArrayList<>();
      for (String c : cols) {
        if (c.contains("loss") && t.schema().apply(c).dataType() instanceof NumericType) {
          series.add(c);
        }
      }
      if (!series.isEmpty()) {
        Dataset<Row> byStep = t.groupBy("step").agg(avg(series.get(0)).as(series.get(0)),
            series.stream().skip(1).map(s -> avg(s).as(s)).toArray(org.apache.spark.sql.Column[]::new))
            .orderBy("step");
        List<Row> rows = byStep.collectAsList();
        List<String> labels = rows.stream().map(r -> String.valueOf(r.get(0))).toList();
        Chart c = Chart.line("Training curves", labels);
        for (int i = 0; i < series.size(); i++) {
          final int k = i + 1;
          c.series(series.get(i), rows.stream().map(r -> r.isNullAt(k) ? null : (Number) r.getDouble(k)).toList());
        }
        charts.add(c);
      }
    }
    return new Section("Training", charts.isEmpty() ? "<p class=\"note\">No loss columns found.</p>" : "", charts);
  }

  private static Chart categories(String title, Dataset<Row> grouped, int top) {
    List<Row> rows = grouped.orderBy(desc("count")).limit(top).collectAsList();
    List<String> labels = rows.stream().map(r -> String.valueOf(r.get(0))).toList();
    List<Long> counts = rows.stream().map(r -> ((Number) r.get(1)).longValue()).toList();
    return Chart.bar(title, labels).series("documents", counts);
  }

  private static Chart shares(String title, Dataset<Row> grouped) {
    List<Row> rows = grouped.orderBy(desc("count")).limit(12).collectAsList();
    return Chart.doughnut(title, rows.stream().map(r -> String.valueOf(r.get(0))).toList())
        .series("share", rows.stream().map(r -> ((Number) r.get(1)).longValue()).toList());
  }

  private static Chart histogramLog10(String title, Dataset<Row> values) {
    List<Row> rows = values.where(col("v").gt(0)).groupBy(floor(log10(col("v")).multiply(4)).as("b")).count()
        .orderBy("b").collectAsList();
    List<String> labels = rows.stream().map(r -> String.format("≥%.0f", Math.pow(10, r.getLong(0) / 4.0))).toList();
    return Chart.bar(title, labels).series("documents", rows.stream().map(r -> r.getLong(1)).toList());
  }

  private static Chart histogram(String title, Dataset<Row> values, int buckets) {
    Row mm = values.agg(org.apache.spark.sql.functions.min("v"), org.apache.spark.sql.functions.max("v")).first();
    if (mm.isNullAt(0)) {
      return Chart.bar(title, List.of()).series("documents", List.of());
    }
    double lo = mm.getDouble(0);
    double width = Math.max(1e-9, (mm.getDouble(1) - lo) / buckets);
    List<Row> rows = values.where(col("v").isNotNull())
        .groupBy(org.apache.spark.sql.functions.least(floor(col("v").minus(lo).divide(width)), lit(buckets - 1))
            .as("b")).count().orderBy("b").collectAsList();
    List<String> labels = rows.stream().map(r -> String.format("%.3g", lo + r.getLong(0) * width)).toList();
    return Chart.bar(title, labels).series("documents", rows.stream().map(r -> r.getLong(1)).toList());
  }
}
