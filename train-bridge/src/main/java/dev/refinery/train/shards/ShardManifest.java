package dev.refinery.train.shards;

import dev.refinery.core.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The {@code shard_manifest} table: one row per shard file (path, split, tokens, sequences, checksum, the
 * {@link DocumentSpans} file of a validation shard, and the table and Delta version it was cut from), so a
 * trainer knows exactly which data it saw.
 */
public final class ShardManifest {
  public static final String TABLE = "shard_manifest";
  public static final String TRAIN = "train";
  public static final String VALIDATION = "val";

  private ShardManifest() {}

  /** One run's shards by split, each in a stable order (partition, then index within it), and their tokenizer file. */
  public record Run(List<ShardEntry> train, List<ShardEntry> validation, String tokenizer) {}

  /**
   * The shards of one run with their tokenizer, from one read of the table (each read of a Delta table costs a
   * snapshot and a Spark job: a trainer's start used to pay three); the tokenizer is "" when the run has no shards.
   */
  public static Run read(Warehouse warehouse, String runId) {
    List<ShardEntry> train = new ArrayList<>();
    List<ShardEntry> validation = new ArrayList<>();
    String tokenizer = "";
    Dataset<Row> manifest = warehouse.readRun(TABLE, runId);
    // manifests written before document spans were recorded have no such column
    Column spans = Arrays.asList(manifest.columns()).contains("spans") ? functions.col("spans")
        : functions.lit(null).cast("string");
    // sorted here, not by Spark: a global sort would cost a sampling job and a shuffle for a few hundred rows
    List<Row> rows = new ArrayList<>(manifest.select(functions.col("split"), functions.col("shard_path"),
        functions.col("sequences"), functions.col("sequence_length"), functions.col("tokens"),
        functions.col("checksum"), functions.col("tokenizer"), spans).collectAsList());
    rows.sort(Comparator.comparing((Row r) -> r.getString(1)));
    for (Row r : rows) {
      ShardEntry e = new ShardEntry(r.getString(1), r.getLong(2), r.getInt(3), r.getLong(4), r.getString(5),
          r.isNullAt(7) ? null : r.getString(7));
      if (TRAIN.equals(r.getString(0))) {
        train.add(e);
      } else if (VALIDATION.equals(r.getString(0))) {
        validation.add(e);
      }
      tokenizer = r.getString(6);
    }
    return new Run(train, validation, tokenizer);
  }

  /** The shards of one run and split, in a stable order (partition, then index within it). */
  public static List<ShardEntry> entries(Warehouse warehouse, String runId, String split) {
    Run run = read(warehouse, runId);
    return TRAIN.equals(split) ? run.train() : VALIDATION.equals(split) ? run.validation() : List.of();
  }
}
