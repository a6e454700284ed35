package dev.refinery.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.Document;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.core.decont.ContaminationIndex;
import dev.refinery.dedup.decont.ContaminatedDocuments;
import dev.refinery.dedup.spark.DuplicateFinder;
import dev.refinery.dedup.spark.LineDedup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Wires the dedup stage: input (current run) -> decontamination -> line dedup -> fingerprints -> clusters,
 * also against the stored signatures of earlier runs -> {@code dedup_clusters}, {@code minhash_signatures},
 * {@code dedup_line_edits}, {@code rejects} and the view {@code documents_unique}.
 *
 * <p>{@code dedup_clusters} has a row for every input document. {@code is_duplicate} means "not kept";
 * {@code method} says why: {@code unique} (kept), {@code exact_text}, {@code exact_url}, {@code minhash}
 * (a duplicate: {@code representative_id} is the kept document), or {@code decontamination},
 * {@code empty_text}, {@code line_dedup_emptied} (removed for itself: no representative).
 */
public final class DedupJob {
  public static final String CLUSTERS = "dedup_clusters";
  public static final String SIGNATURES = "minhash_signatures";
  public static final String LINE_EDITS = "dedup_line_edits";
  public static final String UNIQUE_VIEW = "documents_unique";
  static final String STAGE = "dedup";

  private final StageContext ctx;
  private final DedupSettings settings;
  private final ContaminationIndex contamination;

  public DedupJob(StageContext ctx, DedupSettings settings, ContaminationIndex contamination) {
    this.ctx = ctx;
    this.settings = settings;
    this.contamination = contamination;
  }

  public StageResult run() {
    Warehouse wh = ctx.warehouse();
    String runId = ctx.runId();
    Dataset<Row> input = wh.readRun(settings.input(), runId);
    Set<String> columns = Set.of(input.columns());
    Dataset<Row> docs = input.select(col(Document.DOC_ID), col(Document.SOURCE), col(Document.TEXT),
        optional(columns, Document.LANG), optional(columns, Document.URL), rankInputs(columns)).persist();
    // Also fills the cache on its own: left to the first larger query that reads docs, the run took more Spark
    // jobs and tasks (42 and 151 against 40 and 91 at 990 records).
    long rowsIn = docs.count();

    List<Dataset<Row>> removed = new ArrayList<>();
    if (contamination.size() > 0) {
      Dataset<Row> bad = ContaminatedDocuments.contaminated(docs, contamination).select("doc_id").persist();
      removed.add(selfRemoved(bad, lit("decontamination")));
      Dataset<Row> badIds = bad.select(col("doc_id").as("bad_id"));
      docs = docs.join(badIds, col("doc_id").equalTo(col("bad_id")), "left_anti");
    }
    LineDedup.Result lines = null;
    if (settings.lines()) {
      lines = LineDedup.apply(docs, settings.lineMaxOccurrences());
      docs = lines.docs();
    } else {
      docs = docs.withColumn("lines_removed", lit(0));
    }
    dev.refinery.core.config.RefineryConfig config = ctx.config();
    docs = docs.mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows -> {
      dev.refinery.core.stage.Failpoints.at(config, "dedup.task"); // reliability tests: fail one task attempt
      return rows;
    }, org.apache.spark.sql.Encoders.row(docs.schema())).persist();

    DuplicateFinder finder = new DuplicateFinder(settings);
    Dataset<Row> fp = finder.fingerprints(docs).persist();
    // few rows, read by the rejects and by the clusters: joined once
    Dataset<Row> empty = fp.where(col("text_hash").isNull()).select("doc_id")
        .join(docs.select("doc_id", "source", "text", "lines_removed"), "doc_id")
        .select(col("doc_id"), col("source"),
            when(col("lines_removed").gt(0), "line_dedup_emptied").otherwise("empty_text").as("reason"),
            excerpt(col("text")).as("excerpt"))
        .persist();
    removed.add(selfRemoved(empty, col("reason")));
    Rejects.write(wh, runId, STAGE, empty);

    // Ranked on the text as published, after line dedup.
    Dataset<Row> fresh = fp.where(col("text_hash").isNotNull())
        .join(docs.select(col("doc_id"), rank().as("rank")), "doc_id");
    Dataset<Row> prior = settings.incremental() ? priorSignatures(wh, runId) : null;
    Dataset<Row> texts = docs.select("doc_id", "text", "lang");
    if (prior != null && "exact".equals(settings.verify())) {
      Dataset<Row> old = wh.read(settings.input()).where(col(Warehouse.RUN_ID).notEqual(runId))
          .select(col("doc_id"), col("text"), optional(Set.of(wh.read(settings.input()).columns()), "lang"));
      texts = texts.unionByName(old.join(prior.select("doc_id"), "doc_id"));
    }
    Dataset<Row> clusters = finder.clusters(fresh, prior, texts);
    for (Dataset<Row> r : removed) {
      clusters = clusters.unionByName(r);
    }
    // kept for the signatures and the counts below instead of reading the table back (a log replay and a scan)
    Dataset<Row> written = clusters.persist();
    wh.write(written, CLUSTERS, runId);

    wh.write(fp.join(written.select("doc_id", "cluster_id", "is_duplicate"), "doc_id")
        .withColumn("params", lit(settings.signatureParams())), SIGNATURES, runId);
    wh.write(docs.where(col("lines_removed").gt(0)).select("doc_id", "text", "lines_removed"), LINE_EDITS, runId);
    defineUniqueView(wh, input.columns());

    Map<String, Long> drops = new LinkedHashMap<>();
    long kept = 0;
    for (Row r : written.groupBy("method").count().collectAsList()) {
      if ("unique".equals(r.getString(0))) {
        kept = r.getLong(1);
      } else {
        drops.put(r.getString(0), r.getLong(1));
      }
    }
    written.unpersist();
    empty.unpersist();
    fp.unpersist();
    docs.unpersist();
    if (lines != null) {
      lines.release();
    }
    return new StageResult(rowsIn, kept, drops);
  }

  /** Representatives of earlier runs with signatures made under the same parameters. */
  private Dataset<Row> priorSignatures(Warehouse wh, String runId) {
    if (!wh.exists(SIGNATURES)) {
      return null;
    }
    return wh.read(SIGNATURES).where(col(Warehouse.RUN_ID).notEqual(runId)
        .and(col("is_duplicate").equalTo(false)).and(col("params").equalTo(settings.signatureParams())));
  }

  /** The kept documents of the input, with line-deduplicated text where lines were removed. */
  private void defineUniqueView(Warehouse wh, String[] inputColumns) {
    List<String> select = new ArrayList<>();
    for (String c : inputColumns) {
      select.add(c.equals(Document.TEXT) ? "COALESCE(e.text, i.text) AS text" : "i.`" + c + "`");
    }
    wh.defineView(UNIQUE_VIEW, "SELECT " + String.join(", ", select) + " FROM " + settings.input() + " i"
        + " JOIN " + CLUSTERS + " c ON c.doc_id = i.doc_id AND c.run_id = i.run_id AND NOT c.is_duplicate"
        + " LEFT JOIN " + LINE_EDITS + " e ON e.doc_id = i.doc_id AND e.run_id = i.run_id");
  }

  /** The columns the representative order needs, under fixed names (null where the input lacks them). */
  private Column rankInputs(Set<String> columns) {
    String q = settings.qualityColumn();
    return struct(
        (columns.contains(q) ? col(q).cast(DataTypes.DoubleType) : lit(null).cast(DataTypes.DoubleType)).as("quality"),
        (columns.contains(Document.FETCHED_AT) ? col(Document.FETCHED_AT) : lit(null).cast(DataTypes.TimestampType))
            .as("fetched_at")).as("rank_inputs");
  }

  /**
   * Smaller is a better representative: quality descending, length descending, fetch time ascending, in the
   * configured order; missing values rank last.
   */
  private Column rank() {
    List<Column> keys = new ArrayList<>();
    for (String k : settings.representativeOrder()) {
      switch (k) {
        case "quality" -> keys.add(functions.coalesce(col("rank_inputs.quality").multiply(-1),
            lit(Double.MAX_VALUE)).as("quality"));
        case "length" -> keys.add(functions.coalesce(functions.length(col(Document.TEXT)).multiply(-1), lit(0))
            .as("length"));
        case "earliest" -> keys.add(functions.coalesce(functions.unix_micros(col("rank_inputs.fetched_at")),
            lit(Long.MAX_VALUE)).as("earliest"));
        default -> throw new IllegalStateException("checked in DedupSettings: " + k);
      }
    }
    keys.add(lit(0).as("none")); // a struct needs a field even when the order is empty
    return struct(keys.toArray(new Column[0]));
  }

  private static Column optional(Set<String> columns, String name) {
    return columns.contains(name) ? col(name) : lit(null).cast(DataTypes.StringType).as(name);
  }

  private static Dataset<Row> selfRemoved(Dataset<Row> ids, Column method) {
    return ids.select(col("doc_id"), col("doc_id").as("cluster_id"),
        lit(null).cast(DataTypes.StringType).as("representative_id"), lit(true).as("is_duplicate"),
        method.as("method"));
  }

  private static Column excerpt(Column text) {
    return functions.substring(text, 1, Rejects.EXCERPT_CHARS);
  }
}
