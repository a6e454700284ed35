package dev.refinery.models.transformer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.tracker.Tracker;
import java.util.Map;

/**
 * For the model's own tests: one optimisation step of next-token prediction (forward, cross-entropy, backward,
 * global-norm gradient clipping, DJL's AdamW), enough to check that training moves what it should. Refinery's
 * trainers step through train-bridge's TrainLoop and its fused optimizer instead.
 */
public final class TrainStep {
  private final DecoderModel model;
  private final AdamW optimizer;
  private final float clipNorm;

  /**
   * @param learningRate a tracker (fixed, warm-up + cosine, ...)
   * @param clipNorm maximum global gradient norm, 0 to disable
   */
  public TrainStep(DecoderModel model, Tracker learningRate, float weightDecay, float clipNorm) {
    this.model = model;
    this.optimizer =
        AdamW.builder().optLearningRateTracker(learningRate).optWeightDecays(weightDecay).optBeta1(0.9f)
            .optBeta2(0.95f).build();
    this.clipNorm = clipNorm;
  }

  public TrainStep(DecoderModel model, float learningRate) {
    this(model, Tracker.fixed(learningRate), 0.1f, 1f);
  }

  /**
   * Trains on one batch: inputs and targets [B, T] token ids (long), targets equal to
   * {@code ignoreId} (e.g. prompt or pad tokens) do not count; returns the loss before the update.
   */
  public float step(long[] inputs, long[] targets, int batch, int ignoreId) {
    try (NDManager step = model.manager().newSubManager()) {
      int t = inputs.length / batch;
      NDArray x = step.create(inputs, new Shape(batch, t));
      NDArray y = step.create(targets, new Shape(batch, t));
      return step(x, y, ignoreId);
    }
  }

  /** As {@link #step(long[], long[], int, int)} for arrays already on the model's device. */
  public float step(NDArray inputs, NDArray targets, int ignoreId) {
    float loss;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray l = DecoderModel.crossEntropy(model.forward(inputs, true), targets, ignoreId);
      gc.backward(l);
      loss = l.getFloat();
    }
    Map<String, NDArray> trainable = model.trainableParameters();
    NDArray[] grads = new NDArray[trainable.size()];
    int i = 0;
    for (NDArray p : trainable.values()) {
      grads[i++] = p.getGradient();
    }
    try (NDManager scratch = inputs.getManager().newSubManager()) {
      float scale = 1f;
      if (clipNorm > 0 && grads.length > 0) {
        NDList norms = new NDList(grads.length);
        for (NDArray g : grads) {
          NDArray n = g.norm();
          n.attach(scratch); // results follow their first operand's manager, here the model's
          norms.add(n);
        }
        double norm = NDArrays.stack(norms).norm().getFloat(); // one device sync per step
        if (norm > clipNorm) {
          scale = (float) (clipNorm / (norm + 1e-6));
        }
      }
      i = 0;
      for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
        NDArray g = grads[i++];
        if (scale != 1f) {
          g.muli(scale);
        }
        optimizer.update(e.getKey(), e.getValue(), g);
        g.close();
      }
    }
    return loss;
  }
}
