package dev.refinery.train.trainer;

import ai.djl.Device;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.train.chat.EncodedPair;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.stream.BatchStream;
import dev.refinery.train.stream.ExampleBatches;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One DPO trainer: the policy starts as the base model (with its adapter merged, if any); before it moves,
 * that same model scores every pair once as the frozen reference. Exports the policy as a model folder.
 */
final class DpoTask extends TrainingTask<List<EncodedPair>> {
  static final String KIND = "dpo";
  private final String base;
  private final String adapter;
  private final String tokenizerJson;
  private final float beta;
  private final int padId;
  private final List<EncodedPair> train;
  private final List<EncodedPair> validation;
  private transient ReferenceLogProbs reference;

  DpoTask(TrainSettings settings, String checkpointDir, SerializableConfiguration hadoop, DpoSettings dpo,
      String tokenizerJson, int padId, List<EncodedPair> train, List<EncodedPair> validation) {
    super(KIND, settings, checkpointDir, hadoop);
    this.base = dpo.base();
    this.adapter = dpo.adapter();
    this.tokenizerJson = tokenizerJson;
    this.beta = dpo.beta();
    this.padId = padId;
    this.train = train;
    this.validation = validation;
  }

  @Override
  protected DecoderModel initialModel(Device device) throws IOException {
    return ModelFolders.load(base, adapter, device);
  }

  @Override
  protected List<TrainMetric> prepare(TrainerContext ctx, DecoderModel net) throws IOException {
    List<EncodedPair> all = new ArrayList<>(train);
    all.addAll(validation);
    reference = ReferenceLogProbs.compute(ctx, net, all, settings.batchSize(), padId);
    return List.of(new TrainMetric(kind, 0, "reference_pairs_scored", reference.scored(), 0, 0));
  }

  @Override
  protected BatchStream<List<EncodedPair>> batches(TrainerContext ctx, StreamPosition start) {
    return new ExampleBatches<>(train, settings.seed(), ctx.worldSize(), ctx.rank(), settings.batchSize(), start);
  }

  @Override
  protected Objective<List<EncodedPair>> objective(TrainerContext ctx) {
    return new DpoObjective(reference, validation, beta, padId, settings.batchSize());
  }

  @Override
  protected void export(DecoderModel net) throws IOException {
    ModelFolders.exportModel(net, tokenizerJson, base, checkpointDir + "/" + ModelFolders.MODEL, hadoop.value());
  }
}
