package dev.refinery.synth.cache;

import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.synth.client.LlmResponse;
import io.delta.tables.DeltaTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code llm_cache} Delta table: one row per request key (hash of model, path and canonical body, which
 * holds messages or prompt, sampling parameters and seed). Lookups are one join of the wanted keys against
 * the table; answers are MERGEd on the key, so writing the same answer twice changes nothing and a failed
 * attempt recorded earlier is replaced by a later success. Rows with an error are never served as hits.
 */
public final class ResponseCache {
  public static final StructType KEYS = new StructType().add("request_key", DataTypes.StringType, false);

  public static final StructType SCHEMA = new StructType()
      .add("request_key", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, true)
      .add("path", DataTypes.StringType, true)
      .add("body", DataTypes.StringType, true)
      .add("text", DataTypes.StringType, true)
      .add("finish_reason", DataTypes.StringType, true)
      .add("prompt_tokens", DataTypes.LongType, false)
      .add("completion_tokens", DataTypes.LongType, false)
      .add("attempts", DataTypes.IntegerType, false)
      .add("latency_ms", DataTypes.LongType, false)
      .add("error", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, true);

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final String table;

  public ResponseCache(Warehouse warehouse, String table) {
    this.spark = warehouse.spark();
    this.warehouse = warehouse;
    this.table = table;
  }

  public String table() {
    return table;
  }

  /** Successful answers already stored for any of {@code keys}, by key (one join). */
  public Map<String, LlmResponse> lookup(List<String> keys) {
    Map<String, LlmResponse> hits = new HashMap<>();
    if (keys.isEmpty() || !warehouse.exists(table)) {
      return hits;
    }
    Dataset<Row> wanted = spark.createDataFrame(keys.stream().map(k -> RowFactory.create(k)).toList(), KEYS);
    Dataset<Row> found = warehouse.read(table).where(functions.col("error").isNull())
        .join(functions.broadcast(wanted), "request_key")
        .select("request_key", "text", "finish_reason", "prompt_tokens", "completion_tokens", "attempts",
            "latency_ms");
    for (Row r : found.collectAsList()) {
      hits.put(r.getString(0), new LlmResponse(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4),
          r.getInt(5), r.getLong(6), null));
    }
    return hits;
  }

  /** MERGEs rows of {@link #SCHEMA} on request_key; a stored success is never overwritten. */
  public void merge(Dataset<Row> rows) {
    if (!warehouse.exists(table)) {
      rows.limit(0).write().format("delta").mode("append").save(warehouse.path(table));
    }
    DeltaTable.forPath(spark, warehouse.path(table)).as("c")
        .merge(rows.as("s"), "c.request_key = s.request_key")
        .whenMatched("c.error IS NOT NULL").updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }
}
