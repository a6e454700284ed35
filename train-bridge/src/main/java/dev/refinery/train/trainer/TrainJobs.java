package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.text.Hashing;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.dist.BarrierLauncher;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The driver's side of every trainer kind: where its checkpoints go, starting afresh unless resuming, the
 * barrier stage of trainers, and the {@code train_metrics} rows of the run.
 */
public final class TrainJobs {
  /** Long format: one row per (run, trainer, step, metric). */
  public static final String METRICS_TABLE = "train_metrics";
  public static final String TRAINER = "trainer";
  public static final String STEP = "step";
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  static final StructType METRICS_SCHEMA = new StructType()
      .add(STEP, DataTypes.LongType, false)
      .add(METRIC, DataTypes.StringType, false)
      .add(VALUE, DataTypes.DoubleType, true)
      .add("tokens", DataTypes.LongType, false)
      .add("elapsed_s", DataTypes.DoubleType, false);

  private TrainJobs() {}

  /** {@code train.checkpoint-dir}, or {@code <warehouse>/_checkpoints/<run id>/<kind>}. */
  static String checkpointDir(StageContext ctx, TrainSettings s, String kind) {
    return s.checkpointDir().isEmpty() ? ctx.warehouse().root() + "/_checkpoints/" + ctx.runId() + "/" + kind
        : s.checkpointDir();
  }

  static SerializableConfiguration hadoop(StageContext ctx) {
    return new SerializableConfiguration(ctx.spark().sparkContext().hadoopConfiguration());
  }

  /** Runs the trainers (after clearing old checkpoints unless resuming) and records rank 0's metrics. */
  static TrainSummary launch(StageContext ctx, TrainSettings s, String kind, String checkpointDir,
      TrainingTask<?> task) {
    try {
      if (!s.resume()) {
        new Checkpoints(checkpointDir, hadoop(ctx).value()).clear();
      }
    } catch (IOException e) {
      throw new RefineryException("cannot clear checkpoints at " + checkpointDir + ": " + e.getMessage());
    }
    List<TrainSummary> results = new BarrierLauncher(ctx.spark(), s.connectTimeoutMs()).run(s.tasks(), task);
    TrainSummary summary = results.get(0);
    writeMetrics(ctx, kind, summary.metrics());
    return summary;
  }

  /** Replaces this run's rows of this trainer kind in {@code train_metrics}. */
  static void writeMetrics(StageContext ctx, String kind, List<TrainMetric> metrics) {
    List<Row> rows = metrics.stream()
        .map(m -> RowFactory.create(m.step(), m.name(), m.value(), m.tokens(), m.elapsedSeconds())).toList();
    ctx.warehouse().writeKeyed(ctx.spark().createDataFrame(rows, METRICS_SCHEMA), METRICS_TABLE,
        Map.of(Warehouse.RUN_ID, ctx.runId(), TRAINER, kind));
  }

  /** Whether a record id falls in the held-out share (a hash of the id, so stable across runs and machines). */
  static boolean heldOut(String id, double fraction, long seed) {
    return Math.floorMod(Hashing.xxh64(id, seed), 1_000_000L) < fraction * 1_000_000L;
  }
}
