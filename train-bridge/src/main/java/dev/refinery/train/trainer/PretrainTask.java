package dev.refinery.train.trainer;

import ai.djl.Device;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.stream.BatchStream;
import dev.refinery.train.stream.ShardBatches;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.StreamPosition;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One data-parallel trainer of a causal language model on token shards (runs inside a barrier task): a fresh
 * model from the seed or the {@code train.init-from} folder's, batches in the shards' deterministic shuffled order, next-token loss; all trainers
 * apply the same averaged update, so their replicas stay identical. Rank 0 exports the model folder at the end.
 * Kinds that train the same model on the same shards against another loss ({@link DistillTask}) extend it.
 */
class PretrainTask extends TrainingTask<int[][]> {
  static final String KIND = "pretrain";
  private final String modelJson; // ModelConfig is not Serializable; its JSON is
  private final String tokenizerJson;
  private final List<ShardEntry> train;
  protected final List<ShardEntry> validation;

  PretrainTask(ModelConfig model, String tokenizerJson, TrainSettings settings, List<ShardEntry> train,
      List<ShardEntry> validation, String checkpointDir, SerializableConfiguration hadoop) {
    this(KIND, model, tokenizerJson, settings, train, validation, checkpointDir, hadoop);
  }

  protected PretrainTask(String kind, ModelConfig model, String tokenizerJson, TrainSettings settings,
      List<ShardEntry> train, List<ShardEntry> validation, String checkpointDir, SerializableConfiguration hadoop) {
    super(kind, settings, checkpointDir, hadoop);
    this.modelJson = model.toJson();
    this.tokenizerJson = tokenizerJson;
    this.train = train;
    this.validation = validation;
  }

  @Override
  protected DecoderModel initialModel(Device device) throws java.io.IOException {
    if (!settings.initFrom().isEmpty()) {
      return ModelFolders.load(settings.initFrom(), "", device);
    }
    return DecoderModel.create(ModelConfig.fromJson(modelJson), device, settings.seed());
  }

  @Override
  protected BatchStream<int[][]> batches(TrainerContext ctx, StreamPosition start) {
    ShardSchedule schedule = new ShardSchedule(train, settings.seed(), settings.blockSequences(), ctx.worldSize(),
        settings.batchSize());
    return new ShardBatches(schedule, ctx.rank(), start, hadoop.value(), false);
  }

  @Override
  protected Objective<int[][]> objective(TrainerContext ctx) {
    return new PretrainObjective(validation, settings, hadoop);
  }

  @Override
  protected void export(DecoderModel net) throws java.io.IOException {
    ModelFolders.exportModel(net, tokenizerJson, settings.initFrom(), checkpointDir + "/" + ModelFolders.MODEL, hadoop.value());
  }
}
