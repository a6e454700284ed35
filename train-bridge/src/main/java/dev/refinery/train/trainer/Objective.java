package dev.refinery.train.trainer;

import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.train.dist.TrainerContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What one trainer kind computes on its batches: the loss and its gradients, and its evaluation. Everything
 * around it (accumulation, gradient exchange, optimizer, schedule, checkpoints, metrics, progress) is
 * {@link TrainLoop}'s and the same for every kind.
 */
public interface Objective<B> {
  /** Names of the statistics {@link #step} returns, the loss first; logged as {@code train_<name>}. */
  List<String> statistics();

  /**
   * Forward and backward of one micro-batch, the loss divided by {@code accumulation} before backward so that
   * accumulated gradients are a mean; returns the unscaled statistics. Laps {@code profile} as the inputs are
   * on the device ({@code DATA}), after the forward pass and loss ({@code FORWARD}) and after backward
   * ({@code BACKWARD}).
   */
  float[] step(DecoderModel net, B batch, int accumulation, StepProfile profile);

  /** Tokens the batch feeds the model (for tokens/second). */
  long tokens(B batch);

  /** Validation metrics by name ({@code val_loss} first), agreed over all trainers; empty without validation data. */
  Map<String, Double> evaluate(TrainerContext ctx, DecoderModel net) throws IOException;
}
