package dev.refinery.train.trainer;

import ai.djl.Device;
import com.google.gson.Gson;
import dev.refinery.models.lora.LoraAdapter;
import dev.refinery.models.lora.LoraConfig;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.chat.PackedRow;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.stream.BatchStream;
import dev.refinery.train.stream.ExampleBatches;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One trainer of supervised fine-tuning on packed chat rows, either of every parameter ({@code sft}; exports a
 * model folder) or of LoRA adapters on a frozen base ({@code lora}; only the adapters reach the optimizer and
 * the checkpoints, and the adapter is exported alone).
 */
final class SftTask extends TrainingTask<List<PackedRow>> {
  private final String modelJson;
  private final String base;
  private final String loraJson; // null: full fine-tuning
  private final String tokenizerJson;
  private final int padId;
  private final List<PackedRow> train;
  private final List<PackedRow> validation;
  private transient LoraAdapter adapter;

  SftTask(String kind, TrainSettings settings, String checkpointDir, SerializableConfiguration hadoop, ModelConfig model,
      String base, LoraConfig lora, String tokenizerJson, int padId, List<PackedRow> train, List<PackedRow> validation) {
    super(kind, settings, checkpointDir, hadoop);
    this.modelJson = model.toJson();
    this.base = base;
    this.loraJson = lora == null ? null : new Gson().toJson(lora);
    this.tokenizerJson = tokenizerJson;
    this.padId = padId;
    this.train = train;
    this.validation = validation;
  }

  @Override
  protected DecoderModel initialModel(Device device) throws IOException {
    return base.isEmpty() ? DecoderModel.create(ModelConfig.fromJson(modelJson), device, settings.seed())
        : ModelFolders.load(base, "", device);
  }

  @Override
  protected List<TrainMetric> prepare(TrainerContext ctx, DecoderModel net) {
    long total = net.parameterCount();
    if (loraJson != null) {
      adapter = LoraAdapter.attach(net, new Gson().fromJson(loraJson, LoraConfig.class), settings.seed());
    }
    long trainable = net.trainableParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    return List.of(new TrainMetric(kind, 0, "trainable_parameters", trainable, 0, 0),
        new TrainMetric(kind, 0, "trainable_share", (double) trainable / total, 0, 0));
  }

  @Override
  protected BatchStream<List<PackedRow>> batches(TrainerContext ctx, StreamPosition start) {
    return new ExampleBatches<>(train, settings.seed(), ctx.worldSize(), ctx.rank(), settings.batchSize(), start);
  }

  @Override
  protected Objective<List<PackedRow>> objective(TrainerContext ctx) {
    return new SftObjective(validation, padId, settings.batchSize());
  }

  @Override
  protected void export(DecoderModel net) throws IOException {
    if (adapter != null) {
      ModelFolders.exportAdapter(adapter, base, checkpointDir + "/" + ModelFolders.ADAPTER, hadoop.value());
    } else {
      ModelFolders.exportModel(net, tokenizerJson, base, checkpointDir + "/" + ModelFolders.MODEL, hadoop.value());
    }
  }
}
