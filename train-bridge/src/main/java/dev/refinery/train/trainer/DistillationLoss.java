package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.Scalars;

/**
 * Knowledge distillation (Hinton et al., 2015): {@code a·CE(student, targets) + (1−a)·T²·KL(teacher_T ‖ student_T)}
 * where {@code x_T = softmax(logits / T)} and the KL is summed over the vocabulary and averaged over token
 * positions. The T² factor keeps the soft term's gradients on the scale of the hard term's as T changes.
 */
public final class DistillationLoss {
  private DistillationLoss() {}

  /** The blended loss and its two terms (scalars in the logits' manager). */
  public record Terms(NDArray loss, NDArray crossEntropy, NDArray kl) {}

  /** Logits [B, T, V] of student and teacher, targets [B, T]. */
  public static Terms of(NDArray student, NDArray teacher, NDArray targets, float alpha, float temperature) {
    NDArray ce = DecoderModel.crossEntropy(student, targets, -1);
    NDArray kl = kl(teacher, student, temperature);
    NDArray loss = Scalars.mul(ce, alpha).add(Scalars.mul(kl, (1 - alpha) * temperature * temperature));
    return new Terms(loss, ce, kl);
  }

  /** KL(softmax(teacher / T) ‖ softmax(student / T)), summed over the last axis, mean over the others. */
  public static NDArray kl(NDArray teacher, NDArray student, float temperature) {
    NDArray logTeacher = Scalars.div(teacher, temperature).logSoftmax(-1);
    NDArray logStudent = Scalars.div(student, temperature).logSoftmax(-1);
    return logTeacher.exp().mul(logTeacher.sub(logStudent)).sum(new int[] {-1}).mean();
  }
}
