package dev.refinery.train.shards;

import dev.refinery.core.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The {@code shard_manifest} table: one row per shard file (path, split, tokens, sequences, checksum, and the
 * table and Delta version it was cut from), so a trainer knows exactly which data it saw.
 */
public final class ShardManifest {
  public static final String TABLE = "shard_manifest";
  public static final String TRAIN = "train";
  public static final String VALIDATION = "val";

  private ShardManifest() {}

  /** The shards of one run and split, in a stable order (partition, then index within it). */
  public static List<ShardEntry> entries(Warehouse warehouse, String runId, String split) {
    List<ShardEntry> out = new ArrayList<>();
    for (Row r : warehouse.readRun(TABLE, runId).where(functions.col("split").equalTo(split))
        .orderBy("shard_path").select("shard_path", "sequences", "sequence_length", "tokens", "checksum")
        .collectAsList()) {
      out.add(new ShardEntry(r.getString(0), r.getLong(1), r.getInt(2), r.getLong(3), r.getString(4)));
    }
    return out;
  }
}
