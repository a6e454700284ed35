package dev.refinery.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Pipeline;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.warehouse.Runs;
import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.DataCard.Section;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The data card of one run of a warehouse. Core draws what every stage shares (tables, runs, the funnel of
 * rows, drops and counters per stage, words per table, stage timings); each module contributes the sections
 * of its own tables through {@link CardSection}, placed in the data-flow order of the stages.
 */
public final class WarehouseReport {
  private final Warehouse warehouse;
  private final String runId;
  private final List<String> flow;

  /** {@code config} gives the stages' declared tables, which order the sections and the words per table. */
  public WarehouseReport(Warehouse warehouse, String runId, RefineryConfig config) {
    this.warehouse = warehouse;
    this.runId = runId;
    this.flow = tablesInFlowOrder(config);
  }

  /** The tables the registered stages write, in the order of the data flow. */
  private static List<String> tablesInFlowOrder(RefineryConfig config) {
    List<String> tables = new ArrayList<>();
    for (Stage s : Pipeline.inRunOrder(Pipeline.discover().all(), config)) {
      s.outputs(config).stream().sorted().filter(t -> !tables.contains(t)).forEach(tables::add);
    }
    return tables;
  }

  /** Position of a table in the data flow; tables no stage writes (e.g. train_metrics) come last. */
  private int position(String table) {
    int i = flow.indexOf(table);
    return i < 0 ? flow.size() : i;
  }

  public String html() {
    DataCard card = new DataCard("Refinery data card: " + warehouse.root() + ", run " + runId);
    card.add(overview());
    if (warehouse.exists(StageStats.TABLE)) {
      card.add(runs());
      card.add(funnel());
      card.add(timings());
    }
    List<CardSection> sections = new ArrayList<>();
    ServiceLoader.load(CardSection.class).forEach(sections::add);
    sections.sort(Comparator.comparingInt((CardSection s) -> position(s.table())).thenComparing(CardSection::table));
    for (CardSection s : sections) {
      if (warehouse.exists(s.table())) {
        card.add(s.build(warehouse, runId));
      }
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

  private Section runs() {
    SimpleDateFormat time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
    List<List<String>> rows = new ArrayList<>();
    for (Runs.Run r : Runs.list(warehouse)) {
      rows.add(List.of(r.runId() + (r.runId().equals(runId) ? " (this card)" : ""), time.format(r.startedAt()),
          time.format(r.endedAt()), String.join(", ", r.stages().stream().map(Runs.StageRun::stage).toList())));
    }
    return new Section("Runs in this warehouse", DataCard.table(List.of("run", "started", "ended", "stages"), rows)
        + "<p class=\"note\">Another run's card: <code>refinery report --run RUN</code>.</p>", List.of());
  }

  private List<Row> stageRows() {
    return run(StageStats.TABLE).orderBy("started_at").collectAsList();
  }

  private Section funnel() {
    List<String> names = new ArrayList<>();
    List<Long> in = new ArrayList<>();
    List<Long> out = new ArrayList<>();
    for (Row r : stageRows()) {
      names.add(r.getAs("stage"));
      in.add(r.getAs("rows_in"));
      out.add(r.getAs("rows_out"));
    }
    List<Chart> charts = new ArrayList<>();
    charts.add(Chart.bar("Documents through the stages", names).series("rows in", in).series("rows out", out));
    StringBuilder html = new StringBuilder();
    List<List<String>> drops = perStage("drops");
    if (drops.isEmpty()) {
      html.append("<p class=\"note\">No drops recorded.</p>");
    } else {
      html.append(DataCard.table(List.of("stage", "dropped because", "documents"), drops));
      charts.add(Chart.horizontalBar("Drops per stage and rule",
              drops.stream().map(d -> d.get(0) + ": " + d.get(1)).toList())
          .series("documents dropped", drops.stream().map(d -> Long.parseLong(d.get(2))).toList()));
    }
    List<List<String>> counters = perStage("counters");
    if (!counters.isEmpty()) {
      html.append("<h3>Counters (not drops: rows a rule matches, PII found, ...)</h3>")
          .append(DataCard.table(List.of("stage", "counter", "value"), counters));
    }
    html.append(tokenFunnel());
    return new Section("Funnel", html.toString(), charts);
  }

  /** Rows (stage, key, value) of one map column of this run's stage_stats, largest first. */
  private List<List<String>> perStage(String column) {
    Dataset<Row> stats = run(StageStats.TABLE);
    if (!Arrays.asList(stats.columns()).contains(column)) {
      return List.of();
    }
    return stats.select(col("stage"), explode(col(column)).as(new String[] {"key", "n"})).orderBy(desc("n"))
        .collectAsList().stream().map(r -> List.of(r.getString(0), r.getString(1), String.valueOf(r.getLong(2))))
        .toList();
  }

  /** Words (whitespace tokens) per table with a text column, along the flow; model tokens where counted. */
  private String tokenFunnel() {
    List<String> tables = new ArrayList<>(warehouse.tables());
    tables.addAll(warehouse.views());
    tables.sort(Comparator.comparingInt(this::position).thenComparing(t -> t));
    List<List<String>> rows = new ArrayList<>();
    for (String t : tables) {
      Dataset<Row> d = run(t);
      List<String> cols = Arrays.asList(d.columns());
      if (!cols.contains("text") || !cols.contains("doc_id")) {
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
}
