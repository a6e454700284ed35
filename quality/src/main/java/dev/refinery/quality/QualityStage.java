package dev.refinery.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.Document;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Failpoints;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.quality.classifier.QualityClassifier;
import dev.refinery.quality.pii.PiiType;
import dev.refinery.quality.rules.QualityRules;
import dev.refinery.quality.rules.Rule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The quality stage: one pass over each document of {@code quality.input} computes every signal
 * ({@link SignalPass}) into {@code quality_signals}, then the named rules of {@link QualityRules} decide
 * {@code kept} and {@code drop_rule}. With {@code quality.decide-only = true} it keeps the stored
 * signals of the run and only re-applies the rules. Defines the view {@code documents_kept}.
 */
public final class QualityStage implements Stage {
  public static final String TABLE = "quality_signals";
  public static final String VIEW = "documents_kept";
  public static final String NAME = "quality";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "quality signals in one pass (Gopher, C4, FineWeb, CJK, PII, block lists, classifier), "
        + "named SQL rules decide kept/drop_rule; writes quality_signals and the view documents_kept";
  }

  /** The documents measured ({@code quality.input}), or with {@code decide-only} the stored signals. */
  @Override
  public Set<String> inputs(RefineryConfig config) {
    return Set.of(config.getBoolean("quality.decide-only") ? TABLE : config.getString("quality.input"));
  }

  @Override
  public Set<String> outputs(RefineryConfig config) {
    return Set.of(TABLE, VIEW);
  }

  @Override
  public void validate(StageContext ctx) {
    RefineryConfig config = ctx.config();
    if (config.getBoolean("quality.decide-only") && !ctx.warehouse().exists(TABLE)) {
      throw new RefineryException("quality.decide-only = true needs stored signals, but " + TABLE
          + " does not exist; run the quality stage once without decide-only first");
    }
    SignalPass pass = SignalPass.fromConfig(config, lines(ctx.spark()));
    checkRules(ctx.spark(), QualityRules.fromConfig(config), pass.schema());
    String model = config.getString("quality.classifier.model");
    if (!model.isBlank() && !QualityClassifier.exists(ctx.spark(), model)) {
      throw new RefineryException("quality.classifier.model " + model
          + " does not exist; train one with `refinery quality-train` or set it to \"\"");
    }
  }

  /** Resolves every rule against the signal columns now, so a typo fails before anything is written. */
  private static void checkRules(SparkSession spark, QualityRules rules, StructType signals) {
    Dataset<Row> empty = spark.createDataFrame(List.of(), signals);
    for (Rule r : rules.rules()) {
      try {
        empty.select(expr(r.sql())); // analysed when the Dataset is made: nothing needs to run
      } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
        throw new RefineryException("quality rule '" + r.name() + "' (" + r.dropWhen() + ") is not valid: "
            + firstLine(e.getMessage()) + "; fix it in quality.rules / quality.custom-rules");
      }
    }
  }

  @Override
  public StageResult run(StageContext ctx) {
    RefineryConfig config = ctx.config();
    Warehouse wh = ctx.warehouse();
    QualityRules rules = QualityRules.fromConfig(config);
    String input = config.getString("quality.input");
    boolean decideOnly = config.getBoolean("quality.decide-only");
    // the input read once: its rows to measure and its columns for the view (each read replays its Delta log)
    Dataset<Row> documents = decideOnly && !wh.exists(input) ? null : wh.read(input);
    Dataset<Row> signals;
    if (decideOnly) {
      signals = wh.readRun(TABLE, ctx.runId()).drop("kept", "drop_rule", Warehouse.RUN_ID);
      // materialise (on the executors) before overwriting the rows it was read from
      signals = signals.localCheckpoint(true);
    } else {
      signals = measure(ctx, config, documents.where(Warehouse.isRun(ctx.runId())));
    }
    Dataset<Row> decided = signals.withColumn("drop_rule", rules.dropRule())
        .withColumn("kept", col("drop_rule").isNull());
    wh.write(decided, TABLE, ctx.runId());
    wh.defineView(VIEW, viewSql(input, documents != null ? documents.columns() : Document.SCHEMA.fieldNames()));
    return summarize(wh.readRun(TABLE, ctx.runId()), rules);
  }

  /** Signals of {@code runDocuments} (the input's rows of this run); the unmeasurable ones also go to rejects. */
  private static Dataset<Row> measure(StageContext ctx, RefineryConfig config, Dataset<Row> runDocuments) {
    Warehouse wh = ctx.warehouse();
    Dataset<Row> docs = runDocuments
        .select(col(Document.DOC_ID), col(Document.SOURCE), col(Document.URL), col(Document.LANG),
            col(Document.TEXT));
    String model = config.getString("quality.classifier.model");
    docs = model.isBlank() ? docs.withColumn(SignalPass.CLASSIFIER_SCORE, lit(null).cast("double"))
        : QualityClassifier.load(ctx.spark(), model).score(docs, SignalPass.CLASSIFIER_SCORE);
    SignalPass pass = SignalPass.fromConfig(config, lines(ctx.spark()));
    StructType schema = pass.schema();
    MapPartitionsFunction<Row, Row> measureAll = rows -> {
      Failpoints.at(config, "quality.task"); // reliability tests: fail one task attempt
      SignalPass.Measurer m = pass.measurer();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          return m.measure(r.getString(0), r.getString(2), r.getString(3), r.getString(4),
              r.isNullAt(5) ? null : r.getDouble(5));
        }
      };
    };
    Dataset<Row> measured = docs.mapPartitions(measureAll, Encoders.row(schema));
    // Documents without text or too long to measure are kept in quality_signals (dropped by their
    // measure_error) and also listed in rejects, so that nothing vanishes silently.
    Dataset<Row> rejects = docs.where(col(Document.TEXT).isNull()
            .or(expr("length(text) > " + config.getLong("quality.max-chars"))))
        .select(col(Document.DOC_ID), col(Document.SOURCE),
            when(col(Document.TEXT).isNull(), lit("no text"))
                .otherwise(lit("too long to measure (more than quality.max-chars characters)")).as("reason"),
            expr("substring(text, 1, " + Rejects.EXCERPT_CHARS + ")").as("excerpt"));
    Rejects.write(wh, ctx.runId(), NAME, rejects);
    return measured;
  }

  /** documents_kept: the input documents whose signals row of the same run is kept, PII redacted. */
  static String viewSql(String input, String[] columns) {
    List<String> select = new ArrayList<>();
    for (String c : columns) {
      select.add(c.equals(Document.TEXT) ? "coalesce(q." + SignalPass.REDACTED_TEXT + ", d.text) AS text" : "d." + c);
    }
    return "SELECT " + String.join(", ", select) + " FROM " + input + " d JOIN " + TABLE + " q ON d.doc_id = q.doc_id"
        + " AND d." + Warehouse.RUN_ID + " = q." + Warehouse.RUN_ID + " WHERE q.kept";
  }

  /** Rows in/out; drops per first rule; counters: how many rows each rule matches, PII findings per type. */
  private static StageResult summarize(Dataset<Row> stored, QualityRules rules) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(expr("count(*)").as("rows_in"));
    aggs.add(sum(when(col("kept"), 1).otherwise(0)).as("rows_out"));
    for (Rule r : rules.rules()) {
      aggs.add(sum(when(expr(r.sql()), 1).otherwise(0)).as("matches:" + r.name()));
    }
    for (PiiType t : PiiType.values()) {
      aggs.add(expr("coalesce(sum(" + t.column() + "), 0)").as("pii:" + t.column().substring(4)));
    }
    // one job: the totals per drop rule (null: kept), added up here
    List<Row> byRule = stored.groupBy(col("drop_rule"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).collectAsList();
    Map<String, Long> drops = new TreeMap<>();
    Map<String, Long> totals = new java.util.LinkedHashMap<>();
    for (Row r : byRule) {
      String[] names = r.schema().fieldNames();
      for (int i = 1; i < names.length; i++) {
        totals.merge(names[i], r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue(), Long::sum);
      }
      if (!r.isNullAt(0)) {
        drops.put(r.getString(0), r.getLong(1));
      }
    }
    Map<String, Long> counters = new TreeMap<>();
    totals.forEach((name, v) -> {
      if (!name.equals("rows_in") && !name.equals("rows_out") && v > 0) {
        counters.put(name, v);
      }
    });
    return new StageResult(totals.getOrDefault("rows_in", 0L), totals.getOrDefault("rows_out", 0L), drops,
        counters);
  }

  /** Reads a small text file (block lists) through Hadoop, so any warehouse-style path works. */
  static Function<String, List<String>> lines(SparkSession spark) {
    return path -> {
      Path p = new Path(path);
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p), StandardCharsets.UTF_8))) {
        return r.lines().toList();
      } catch (IOException e) {
        throw new RefineryException("cannot read block list " + path + ": " + e.getMessage());
      }
    };
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
