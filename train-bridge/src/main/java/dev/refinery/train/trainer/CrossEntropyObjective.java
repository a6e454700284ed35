package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import dev.refinery.models.transformer.DecoderModel;
import java.util.List;

/** Next-token cross-entropy over every position: the pretrain objective. */
public final class CrossEntropyObjective implements TrainingObjective {
  public static final TrainingObjective.Factory FACTORY = device -> new CrossEntropyObjective();

  @Override
  public List<String> parts() {
    return List.of();
  }

  @Override
  public NDArray reference(NDArray inputs, boolean training) {
    return null;
  }

  @Override
  public NDArray loss(NDArray logits, NDArray targets, NDArray reference, float[] parts) {
    return DecoderModel.crossEntropy(logits, targets, -1);
  }

  @Override
  public void close() {}
}
