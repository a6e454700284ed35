package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.Scalars;
import dev.refinery.train.shards.ShardEntry;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The distill objective on pretrain's batches: a frozen teacher gives its logits for every batch, without
 * autograd, and the student minimises {@link DistillationLoss}. Statistics: the loss, {@code ce} (the
 * student's cross-entropy) and {@code kl}, KL(teacher ‖ student) at temperature 1 (the distance to the teacher
 * itself, whatever temperature the loss uses). With alpha 1 the loss is cross-entropy alone, so training
 * skips the teacher (and logs no {@code kl}); evaluation still measures the KL ({@code val_kl}).
 */
final class DistillObjective extends PretrainObjective {
  private final DecoderModel teacher;
  private final float alpha;
  private final float temperature;

  DistillObjective(DecoderModel teacher, DistillSettings distill, List<ShardEntry> validation, TrainSettings settings,
      SerializableConfiguration hadoop) {
    super(validation, settings, hadoop);
    this.teacher = teacher;
    this.alpha = distill.alpha();
    this.temperature = distill.temperature();
  }

  @Override
  public List<String> statistics() {
    return alpha == 1f ? List.of("loss", "ce") : List.of("loss", "ce", "kl");
  }

  @Override
  public float[] step(DecoderModel net, int[][] batch, int accumulation, StepProfile profile) {
    if (alpha == 1f) {
      float ce = super.step(net, batch, accumulation, profile)[0];
      return new float[] {ce, ce};
    }
    try (NDManager m = net.manager().newSubManager()) {
      NDArray[] xy = inputsAndTargets(m, batch);
      profile.lap(StepProfile.Phase.DATA);
      NDArray reference = teacher.forward(xy[0], false).stopGradient(); // before autograd starts recording
      try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
        NDArray logits = net.forward(xy[0], true);
        DistillationLoss.Terms t = DistillationLoss.of(logits, reference, xy[1], alpha, temperature);
        profile.lap(StepProfile.Phase.FORWARD);
        gc.backward(Scalars.div(t.loss(), accumulation));
        float kl = temperature == 1f ? t.kl().getFloat() : DistillationLoss.kl(reference, logits, 1f).getFloat();
        float[] out = {t.loss().getFloat(), t.crossEntropy().getFloat(), kl};
        profile.lap(StepProfile.Phase.BACKWARD);
        return out;
      }
    }
  }

  @Override
  protected List<String> validationMetrics() {
    return List.of("val_loss", "val_kl");
  }

  /** The student's cross-entropy (the validation loss of every kind) and its KL to the teacher at T = 1. */
  @Override
  protected float[] validate(DecoderModel net, NDArray inputs, NDArray targets) {
    NDArray reference = teacher.forward(inputs, false).stopGradient();
    NDArray logits = net.forward(inputs, false);
    return new float[] {DecoderModel.crossEntropy(logits, targets, -1).getFloat(),
        DistillationLoss.kl(reference, logits, 1f).getFloat()};
  }
}
