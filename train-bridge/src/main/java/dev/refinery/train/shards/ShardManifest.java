package dev.refinery.train.shards;

import dev.refinery.core.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** The shards of one run and split, in a stable order (partition, then index within it). */
  public static List<ShardEntry> entries(Warehouse warehouse, String runId, String split) {
    Dataset<Row> manifest = warehouse.readRun(TABLE, runId);
    // manifests written before document spans were recorded have no such column
    Column spans = Arrays.asList(manifest.columns()).contains("spans") ? functions.col("spans")
        : functions.lit(null).cast("string");
    List<ShardEntry> out = new ArrayList<>();
    for (Row r : manifest.where(functions.col("split").equalTo(split)).orderBy("shard_path")
        .select(functions.col("shard_path"), functions.col("sequences"), functions.col("sequence_length"),
            functions.col("tokens"), functions.col("checksum"), spans).collectAsList()) {
      out.add(new ShardEntry(r.getString(0), r.getLong(1), r.getInt(2), r.getLong(3), r.getString(4),
          r.isNullAt(5) ? null : r.getString(5)));
    }
    return out;
  }
}
