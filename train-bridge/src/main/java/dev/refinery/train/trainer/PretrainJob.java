package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.dist.BarrierLauncher;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@code refinery train pretrain}: a GPT-style model (size from {@code train.model.*}, vocabulary from the
 * shards' tokenizer, context from the shards' sequence length) trained on a run's shards by
 * {@code train.tasks} barrier trainers; metrics go to {@code train_metrics}.
 */
public final class PretrainJob {
  public static final String METRICS_TABLE = "train_metrics";
  static final StructType METRICS_SCHEMA = new StructType()
      .add("step", DataTypes.LongType, false)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, true)
      .add("tokens", DataTypes.LongType, false)
      .add("elapsed_s", DataTypes.DoubleType, false);

  private PretrainJob() {}

  public static TrainSummary run(StageContext ctx) {
    return train(ctx, PretrainTask.KIND, inputs -> CrossEntropyObjective.FACTORY);
  }

  /** The shards a trainer reads, their tokenizer (a local path), and the model it builds for them. */
  public record Inputs(ModelConfig model, String tokenizerPath, List<ShardEntry> train, List<ShardEntry> validation) {}

  /** The {@code train.model.*} model and the shards of {@code train.shards-run} (default: this run), checked. */
  public static Inputs inputs(StageContext ctx) {
    TrainSettings s = TrainSettings.from(ctx.config());
    Warehouse wh = ctx.warehouse();
    String shardsRun = s.shardsRun().isEmpty() ? ctx.runId() : s.shardsRun();
    if (!wh.exists(ShardManifest.TABLE)) {
      throw new RefineryException("no shard_manifest in " + wh.root() + "; run the shards stage first");
    }
    List<ShardEntry> train = ShardManifest.entries(wh, shardsRun, ShardManifest.TRAIN);
    List<ShardEntry> val = ShardManifest.entries(wh, shardsRun, ShardManifest.VALIDATION);
    if (train.isEmpty()) {
      throw new RefineryException("shard_manifest has no train shards for run '" + shardsRun
          + "'; run the shards stage for that run or set train.shards-run");
    }
    String tokenizer = wh.readRun(ShardManifest.TABLE, shardsRun).select("tokenizer").first().getString(0)
        .replaceFirst("^file:", "");
    return new Inputs(s.gpt(vocabulary(tokenizer), train.get(0).sequenceLength() - 1), tokenizer, train, val);
  }

  /**
   * Trains the {@link #inputs} model as trainer {@code kind} with the objective {@code objective} builds for
   * the inputs (which may reject them with a RefineryException before any trainer starts).
   */
  static TrainSummary train(StageContext ctx, String kind, Function<Inputs, TrainingObjective.Factory> objective) {
    TrainSettings s = TrainSettings.from(ctx.config());
    Warehouse wh = ctx.warehouse();
    Inputs in = inputs(ctx);
    TrainingObjective.Factory goal = objective.apply(in);
    String dir = s.checkpointDir().isEmpty() ? wh.root() + "/_checkpoints/" + ctx.runId() + "/" + kind
        : s.checkpointDir();
    SerializableConfiguration hadoop = new SerializableConfiguration(ctx.spark().sparkContext().hadoopConfiguration());
    try {
      if (!s.resume()) {
        new Checkpoints(dir, hadoop.value()).clear();
      }
    } catch (IOException e) {
      throw new RefineryException("cannot clear checkpoints at " + dir + ": " + e.getMessage());
    }
    List<TrainSummary> results = new BarrierLauncher(ctx.spark(), s.connectTimeoutMs())
        .run(s.tasks(), new PretrainTask(kind, goal, in.model(), s, in.train(), in.validation(), dir, hadoop));
    TrainSummary summary = results.get(0);
    writeMetrics(ctx, kind, summary.metrics());
    return summary;
  }

  private static int vocabulary(String path) {
    try {
      return Tokenizers.load(Path.of(path)).vocabSize();
    } catch (IOException e) {
      throw new RefineryException("cannot load the shards' tokenizer " + path + ": " + e.getMessage());
    }
  }

  /** Replaces this run's rows of this trainer kind in {@code train_metrics}. */
  static void writeMetrics(StageContext ctx, String kind, List<TrainMetric> metrics) {
    List<Row> rows = metrics.stream()
        .map(m -> RowFactory.create(m.step(), m.name(), m.value(), m.tokens(), m.elapsedSeconds())).toList();
    ctx.warehouse().writeKeyed(ctx.spark().createDataFrame(rows, METRICS_SCHEMA), METRICS_TABLE,
        Map.of(Warehouse.RUN_ID, ctx.runId(), "trainer", kind));
  }
}
