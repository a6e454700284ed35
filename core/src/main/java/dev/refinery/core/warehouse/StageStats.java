package dev.refinery.core.warehouse;

import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@code stage_stats}: what a stage took in, what it let out, why it dropped the rest, and its
 * counters (rule matches, PII found: things counted that are not drops).
 */
public record StageStats(String stage, Timestamp startedAt, long durationMs, long rowsIn, long rowsOut,
    Map<String, Long> drops, Map<String, Long> counters) {
  public static final String TABLE = "stage_stats";

  public static final StructType SCHEMA = new StructType()
      .add("stage", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("duration_ms", DataTypes.LongType, false)
      .add("rows_in", DataTypes.LongType, false)
      .add("rows_out", DataTypes.LongType, false)
      .add("drops", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("counters", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true);

  /** Writes this row for (run, stage), replacing what an earlier attempt of the same run wrote. */
  public void write(Warehouse warehouse, String runId) {
    write(warehouse, runId, true);
  }

  /**
   * Writes this row for (run, stage). {@code replace} false where the caller knows the run has no row for
   * this stage yet (see {@link #recorded}): one plain append instead of a replace, which first scans the
   * table for the rows to replace (several Spark jobs, a few tenths of a second each).
   */
  public void write(Warehouse warehouse, String runId, boolean replace) {
    Row row = RowFactory.create(stage, startedAt, durationMs, rowsIn, rowsOut,
        new TreeMap<>(drops), new TreeMap<>(counters));
    Dataset<Row> df = warehouse.spark().createDataFrame(List.of(row), SCHEMA).drop("stage");
    Map<String, String> keys = Map.of(Warehouse.RUN_ID, runId, "stage", stage);
    if (replace) {
      warehouse.writeKeyed(df, TABLE, keys);
    } else {
      warehouse.appendKeyed(df, TABLE, keys);
    }
  }

  /** The stages with a row for {@code runId}: none, without a Spark job, when the table does not exist yet. */
  public static Set<String> recorded(Warehouse warehouse, String runId) {
    Set<String> stages = new HashSet<>();
    if (warehouse.exists(TABLE)) {
      for (Row r : warehouse.readRun(TABLE, runId).select("stage").distinct().collectAsList()) {
        stages.add(r.getString(0));
      }
    }
    return stages;
  }
}
