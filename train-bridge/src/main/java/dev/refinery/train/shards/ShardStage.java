package dev.refinery.train.shards;

import dev.refinery.core.Document;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.train.tokens.TokenizerSpec;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The {@code shards} stage: reads the input table (default {@code mixture}), splits documents into train and
 * validation by a hash of doc_id or by a predicate (so a document never straddles both), tokenises and packs them on the
 * executors into fixed-length sequences written as binary shards (each validation shard with its
 * {@link DocumentSpans}: which document, domain and language each token came from), and records every shard in
 * {@code shard_manifest} with the Delta version of the input it was cut from.
 */
public final class ShardStage implements Stage {
  public static final String NAME = "shards";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "tokenize and pack a table into binary token shards (+ shard_manifest)";
  }

  @Override
  public Set<String> inputs(RefineryConfig config) {
    return Set.of(ShardSettings.from(config).input());
  }

  @Override
  public Set<String> outputs(RefineryConfig config) {
    return Set.of(ShardManifest.TABLE);
  }

  @Override
  public void validate(StageContext ctx) {
    ShardSettings s = ShardSettings.from(ctx.config());
    if (!s.tokenizer().equals(TokenizerSpec.CHAR)) {
      TokenizerSpec.fromFile(s.tokenizer());
    }
  }

  @Override
  public StageResult run(StageContext ctx) {
    ShardSettings s = ShardSettings.from(ctx.config());
    SparkSession spark = ctx.spark();
    Warehouse wh = ctx.warehouse();
    Long version = deltaVersion(spark, wh, s.input());
    Dataset<Row> table = version == null ? wh.read(s.input())
        : spark.read().format("delta").option("versionAsOf", version).load(wh.path(s.input()));
    if (!s.allRuns() && Arrays.asList(table.columns()).contains(Warehouse.RUN_ID)) {
      table = table.where(Warehouse.isRun(ctx.runId()));
    }
    Column docId = functions.expr(s.docId()).cast("string");
    // A predicate over the input rows, or else a hash of doc_id below the fraction, marks held-out documents.
    Column heldOut = !s.validationWhere().isEmpty() ? functions.coalesce(functions.expr(s.validationWhere()), functions.lit(false))
        : functions.pmod(functions.xxhash64(docId, functions.lit(s.splitSeed())), functions.lit(1_000_000L))
            .lt(Math.round(s.validationFraction() * 1_000_000));
    List<String> columns = Arrays.asList(table.columns());
    Dataset<Row> docs = table.select(docId.as("doc_id"), functions.expr(s.text()).cast("string").as("text"),
        functions.when(heldOut, ShardManifest.VALIDATION).otherwise(ShardManifest.TRAIN).as("split"),
        label(table, "train.shards.domain", s.domain(), "domain", columns).as("domain"),
        label(table, "train.shards.language", s.language(), Document.LANG, columns).as("language")).persist();
    long rowsIn = docs.count();
    Column blank = functions.col("text").isNull().or(functions.trim(functions.col("text")).equalTo(""));
    Dataset<Row> empty = docs.where(blank);
    Dataset<Row> usable = docs.where(functions.not(blank));

    String dir = shardDir(s, wh, ctx.runId());
    SerializableConfiguration hadoop = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    clear(dir, hadoop);
    TokenizerSpec tokenizer = s.tokenizer().equals(TokenizerSpec.CHAR)
        ? TokenizerSpec.characters(alphabet(usable)) : TokenizerSpec.fromFile(s.tokenizer());
    String tokenizerPath = dir + "/" + Tokenizers.FILE_NAME;
    writeText(tokenizerPath, tokenizer.json(), hadoop);
    int partitions = s.partitions() > 0 ? s.partitions() : spark.sparkContext().defaultParallelism();
    int sequencesPerShard = (int) Math.max(1, s.tokensPerShard() / s.sequenceLength());
    dev.refinery.core.config.RefineryConfig config = ctx.config();
    Dataset<Row> written = null;
    for (String split : List.of(ShardManifest.TRAIN, ShardManifest.VALIDATION)) {
      int n = split.equals(ShardManifest.TRAIN) ? partitions : Math.max(1, (int) Math.ceil(partitions * s.validationFraction()));
      ShardPartitionWriter writer = new ShardPartitionWriter(tokenizer, dir, split, s.sequenceLength(),
          sequencesPerShard, hadoop);
      Dataset<Row> part = usable.where(functions.col("split").equalTo(split)).select("doc_id", "text", "domain", "language")
          .repartition(n, functions.col("doc_id")).sortWithinPartitions("doc_id", "text")
          .mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows -> {
            dev.refinery.core.stage.Failpoints.at(config, "shards.task"); // reliability tests: fail one attempt
            return writer.call(rows);
          }, Encoders.row(ShardPartitionWriter.SCHEMA));
      written = written == null ? part : written.unionAll(part);
    }
    written = written.persist();
    Dataset<Row> shards = written.where(functions.col("shard_path").isNotNull())
        .select(functions.col("shard_path"), functions.col("split"), functions.col("tokens"), functions.col("sequences"),
            functions.lit(s.sequenceLength()).as("sequence_length"), functions.col("documents"),
            functions.col("dtype"), functions.col("checksum"), functions.col("spans"),
            functions.lit(tokenizerPath).as("tokenizer"),
            functions.lit(s.input()).as("source_table"),
            functions.lit(version).cast("long").as("source_version"));
    wh.write(shards, ShardManifest.TABLE, ctx.runId());
    Dataset<Row> failed = written.where(functions.col("reject_reason").isNotNull());
    Dataset<Row> rejects = empty.select(functions.col("doc_id"), functions.lit(s.input()).as("source"),
            functions.lit("empty_text").as("reason"), functions.lit(null).cast("string").as("excerpt"))
        .unionAll(failed.select(functions.col("doc_id"), functions.lit(s.input()).as("source"),
            functions.col("reject_reason").as("reason"), functions.col("excerpt")));
    Rejects.write(wh, ctx.runId(), NAME, rejects);

    Row totals = written.agg(functions.sum("documents"), functions.sum("dropped_tokens")).first();
    long packed = totals.isNullAt(0) ? 0 : totals.getLong(0);
    Map<String, Long> drops = new LinkedHashMap<>();
    for (Row r : rejects.groupBy("reason").count().collectAsList()) {
      drops.put(r.getString(0), r.getLong(1));
    }
    written.unpersist();
    docs.unpersist();
    return new StageResult(rowsIn, packed, drops);
  }

  /**
   * A document's domain or language for the validation shards' spans: the SQL expression of {@code key}, or when
   * that is empty the input's column {@code column} if it has one; "unknown" where there is none. An expression
   * that does not resolve over the input stops the stage with one line, before anything is written.
   */
  private static Column label(Dataset<Row> table, String key, String expression, String column, List<String> columns) {
    Column c;
    if (expression.isEmpty()) {
      c = columns.contains(column) ? functions.col(column) : functions.lit(null);
    } else {
      c = functions.expr(expression);
      try {
        table.select(c);
      } catch (Exception e) { // Spark's AnalysisException, which Java sees as undeclared
        if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
          throw e;
        }
        throw new RefineryException(key + " = \"" + expression + "\" does not resolve over the input table: "
            + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    Column text = c.cast("string");
    return functions.when(text.isNull().or(functions.trim(text).equalTo("")), "unknown").otherwise(text);
  }

  /** The version of a Delta table, or null for a view (which has no single version). */
  static Long deltaVersion(SparkSession spark, Warehouse wh, String table) {
    String path = wh.path(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return null;
    }
    return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
  }

  /** Every code point of the texts, as one-character strings (the vocabulary of a char tokenizer). */
  private static List<String> alphabet(Dataset<Row> docs) {
    List<Integer> cps = docs.select("text").as(Encoders.STRING())
        .flatMap((FlatMapFunction<String, Integer>) t -> t.codePoints().distinct().boxed().iterator(), Encoders.INT())
        .distinct().collectAsList();
    return cps.stream().sorted().map(cp -> new String(Character.toChars(cp))).toList();
  }

  private static void writeText(String file, String text, SerializableConfiguration hadoop) {
    try {
      Path p = new Path(file);
      try (var out = p.getFileSystem(hadoop.value()).create(p, true)) {
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new RefineryException("cannot write " + file + ": " + e.getMessage());
    }
  }

  static String shardDir(ShardSettings s, Warehouse wh, String runId) {
    String base = s.dir().isEmpty() ? wh.root() + "/_shards" : s.dir();
    return base + "/" + runId;
  }

  /** A re-run of the same run id replaces its shards: the old files go first. */
  private static void clear(String dir, SerializableConfiguration hadoop) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(hadoop.value());
      if (fs.exists(p)) {
        fs.delete(p, true);
      }
    } catch (IOException e) {
      throw new RefineryException("cannot clear shard folder " + dir + ": " + e.getMessage());
    }
  }
}
