package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import dev.refinery.models.transformer.DecoderModel;
import java.nio.file.Path;
import java.util.List;

/**
 * The distill objective: a frozen teacher (loaded on the trainer's device) gives its logits for every batch,
 * without autograd, and the student minimises {@link DistillationLoss}. Parts: {@code ce}, the student's
 * cross-entropy, and {@code kl}, KL(teacher ‖ student) at temperature 1 (the distance to the teacher itself,
 * whatever temperature the loss uses). With alpha 1 the loss is cross-entropy alone, so training skips the
 * teacher; evaluation still measures the KL.
 */
final class DistillObjective implements TrainingObjective {
  private final DecoderModel teacher;
  private final float alpha;
  private final float temperature;

  private DistillObjective(DecoderModel teacher, float alpha, float temperature) {
    this.teacher = teacher;
    this.alpha = alpha;
    this.temperature = temperature;
  }

  static TrainingObjective.Factory factory(DistillSettings settings) {
    return device -> {
      DecoderModel teacher = dev.refinery.models.checkpoint.Checkpoints.load(Path.of(settings.teacher()), device);
      teacher.parameters().keySet().forEach(name -> teacher.freeze(name, true));
      return new DistillObjective(teacher, settings.alpha(), settings.temperature());
    };
  }

  @Override
  public List<String> parts() {
    return List.of("ce", "kl");
  }

  @Override
  public NDArray reference(NDArray inputs, boolean training) {
    if (training && alpha == 1f) {
      return null;
    }
    return teacher.forward(inputs, false).stopGradient();
  }

  @Override
  public NDArray loss(NDArray logits, NDArray targets, NDArray reference, float[] parts) {
    if (reference == null) {
      NDArray ce = DecoderModel.crossEntropy(logits, targets, -1);
      parts[0] = ce.getFloat();
      parts[1] = Float.NaN;
      return ce;
    }
    DistillationLoss.Terms t = DistillationLoss.of(logits, reference, targets, alpha, temperature);
    parts[0] = t.crossEntropy().getFloat();
    parts[1] = temperature == 1f ? t.kl().getFloat() : DistillationLoss.kl(reference, logits, 1f).getFloat();
    return t.loss();
  }

  @Override
  public void close() {
    teacher.close();
  }
}
