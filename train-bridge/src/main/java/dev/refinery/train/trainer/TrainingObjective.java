package dev.refinery.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * What a causal-LM trainer minimises over a batch of student logits, opened once per trainer on its device
 * (plain cross-entropy for pretrain; cross-entropy blended with a frozen teacher's distribution for distill).
 * Besides the loss it may measure named parts (logged as {@code train_PART} and {@code val_PART}).
 */
public interface TrainingObjective extends AutoCloseable {
  /** Names of the measured parts, in the order {@link #loss} writes them. */
  List<String> parts();

  /**
   * Per-batch work run outside autograd before the student's forward pass (a frozen teacher's logits), or
   * null when the objective needs none ({@code training} is false during evaluation).
   */
  NDArray reference(NDArray inputs, boolean training);

  /** The loss to minimise; writes each part's value into {@code parts} (NaN where it was not measured). */
  NDArray loss(NDArray logits, NDArray targets, NDArray reference, float[] parts);

  @Override
  void close();

  /** Shipped to every trainer, which opens the objective on its own device. */
  @FunctionalInterface
  interface Factory extends Serializable {
    TrainingObjective open(Device device) throws IOException;
  }
}
