package dev.refinery.train.trainer;

import ai.djl.Device;
import dev.refinery.core.stage.StageContext;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.lora.LoraAdapter;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.train.chat.EncodedPair;
import dev.refinery.train.dist.RingAllReduce;
import dev.refinery.train.dist.TrainerContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Re-evaluates what the chat trainers produced, in the test's JVM, with the trainers' own data and objectives. */
public final class ChatTrainerProbe {
  private ChatTrainerProbe() {}

  public record Model(long parameters) {}

  public static Model model(Path dir) throws Exception {
    try (DecoderModel m = Checkpoints.load(dir, Device.cpu())) {
      return new Model(m.parameterCount());
    }
  }

  private static TrainerContext alone() throws Exception {
    return new TrainerContext(0, 1, RingAllReduce.connect(0, List.of("localhost:0"), RingAllReduce.listen(), 1000),
        Optional.empty(), 0, System.out);
  }

  /** Validation loss of a base model folder, with a saved adapter attached (unmerged) when given. */
  public static double sftValidationLoss(StageContext ctx, Path base, Path adapter) throws Exception {
    TrainSettings s = TrainSettings.from(ctx.config());
    SftJob.Prepared data = SftJob.prepare(ctx, s, SftSettings.from(ctx.config()));
    try (DecoderModel net = Checkpoints.load(base, Device.cpu())) {
      if (adapter != null) {
        LoraAdapter.load(net, adapter);
      }
      return new SftObjective(data.validation(), data.padId(), s.batchSize()).evaluate(alone(), net).get("val_loss");
    }
  }

  /** DPO metrics of a policy model folder on the training pairs, against the base as reference. */
  public static Map<String, Double> dpoOnTrainingPairs(StageContext ctx, Path base, Path policy) throws Exception {
    TrainSettings s = TrainSettings.from(ctx.config());
    DpoSettings dpo = DpoSettings.from(ctx.config());
    DpoJob.Prepared data = DpoJob.prepare(ctx, s, dpo);
    List<EncodedPair> train = data.train();
    try (DecoderModel ref = Checkpoints.load(base, Device.cpu());
        DecoderModel net = Checkpoints.load(policy, Device.cpu())) {
      ReferenceLogProbs reference = ReferenceLogProbs.compute(alone(), ref, train, s.batchSize(), data.padId());
      return new DpoObjective(reference, train, dpo.beta(), data.padId(), s.batchSize()).evaluate(alone(), net);
    }
  }

  public static int dpoPairs(StageContext ctx) {
    DpoJob.Prepared data = DpoJob.prepare(ctx, TrainSettings.from(ctx.config()), DpoSettings.from(ctx.config()));
    return data.train().size() + data.validation().size();
  }
}
