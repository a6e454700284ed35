package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.Scalars;
import dev.refinery.train.chat.EncodedPair;
import dev.refinery.train.dist.TrainerContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct preference optimisation with the sigmoid loss: with implicit rewards r = beta·(log π(answer) − log
 * π_ref(answer)), loss = −log σ(r_chosen − r_rejected). Logs the reward accuracy (share of pairs whose chosen
 * answer gets the higher reward), the mean margin r_chosen − r_rejected and both mean rewards.
 */
final class DpoObjective implements Objective<List<EncodedPair>> {
  private static final List<String> STATISTICS =
      List.of("loss", "reward_accuracy", "reward_margin", "chosen_reward", "rejected_reward");
  private final ReferenceLogProbs reference;
  private final List<EncodedPair> validation;
  private final float beta;
  private final int padId;
  private final int batchSize;

  DpoObjective(ReferenceLogProbs reference, List<EncodedPair> validation, float beta, int padId, int batchSize) {
    this.reference = reference;
    this.validation = validation;
    this.beta = beta;
    this.padId = padId;
    this.batchSize = batchSize;
  }

  @Override
  public List<String> statistics() {
    return STATISTICS;
  }

  @Override
  public float[] step(DecoderModel net, List<EncodedPair> batch, int accumulation, StepProfile profile) {
    try (NDManager m = net.manager().newSubManager()) {
      PairBatch pairs = new PairBatch(m, batch, padId);
      profile.lap(StepProfile.Phase.DATA);
      try (GradientCollector gc = net.manager().getEngine().newGradientCollector()) {
        NDArray ratios = pairs.logProbs(net, true).reshape(batch.size(), 2).sub(referenceOf(m, batch));
        NDArray loss = loss(ratios);
        profile.lap(StepProfile.Phase.FORWARD);
        gc.backward(Scalars.div(loss, accumulation));
        float[] sums = statistics(PairBatch.toFloats(ratios));
        float[] out = new float[STATISTICS.size()];
        out[0] = loss.getFloat();
        for (int i = 1; i < out.length; i++) {
          out[i] = sums[i] / batch.size();
        }
        profile.lap(StepProfile.Phase.BACKWARD);
        return out;
      }
    }
  }

  /** −log σ(beta·(ratio_chosen − ratio_rejected)), mean over pairs, as softplus(−z) computed stably. */
  private NDArray loss(NDArray ratios) {
    NDArray z = ratios.get(new NDIndex(":, 0")).sub(ratios.get(new NDIndex(":, 1")));
    z = Scalars.mul(z, beta);
    NDArray softplus = Scalars.maximum(z.neg(), 0).add(z.abs().neg().exp().add(1f).log());
    return softplus.mean();
  }

  private NDArray referenceOf(NDManager m, List<EncodedPair> batch) {
    float[] ref = new float[batch.size() * 2];
    for (int i = 0; i < batch.size(); i++) {
      ref[2 * i] = reference.chosen(batch.get(i).index());
      ref[2 * i + 1] = reference.rejected(batch.get(i).index());
    }
    return m.create(ref, new Shape(batch.size(), 2));
  }

  /** Sums over the pairs of: loss, accuracy, margin, chosen reward, rejected reward (log-ratios interleaved). */
  private float[] statistics(float[] ratios) {
    float[] sums = new float[STATISTICS.size()];
    for (int i = 0; i < ratios.length / 2; i++) {
      double chosen = beta * ratios[2 * i];
      double rejected = beta * ratios[2 * i + 1];
      double margin = chosen - rejected;
      sums[0] += (float) (Math.max(-margin, 0) + Math.log1p(Math.exp(-Math.abs(margin))));
      sums[1] += chosen > rejected ? 1 : 0;
      sums[2] += (float) margin;
      sums[3] += (float) chosen;
      sums[4] += (float) rejected;
    }
    return sums;
  }

  @Override
  public long tokens(List<EncodedPair> batch) {
    long n = 0;
    for (EncodedPair p : batch) {
      n += 2L * p.prompt().length + p.chosen().length + p.rejected().length;
    }
    return n;
  }

  /** Loss, reward accuracy and margin over all held-out pairs (no gradients). */
  @Override
  public Map<String, Double> evaluate(TrainerContext ctx, DecoderModel net) throws IOException {
    if (validation.isEmpty()) {
      return Map.of();
    }
    float[] sums = new float[STATISTICS.size() + 1];
    List<EncodedPair> mine = new ArrayList<>();
    for (int i = ctx.rank(); i < validation.size(); i += ctx.worldSize()) {
      mine.add(validation.get(i));
    }
    for (int from = 0; from < mine.size(); from += batchSize) {
      List<EncodedPair> part = mine.subList(from, Math.min(mine.size(), from + batchSize));
      try (NDManager m = net.manager().newSubManager()) {
        NDArray ratios = new PairBatch(m, part, padId).logProbs(net, false).reshape(part.size(), 2)
            .sub(referenceOf(m, part));
        float[] s = statistics(PairBatch.toFloats(ratios));
        for (int i = 0; i < s.length; i++) {
          sums[i] += s[i];
        }
        sums[STATISTICS.size()] += part.size();
      }
    }
    ctx.allReduce().sum(sums);
    float n = sums[STATISTICS.size()];
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < STATISTICS.size(); i++) {
      out.put("val_" + STATISTICS.get(i), (double) (sums[i] / n));
    }
    return out;
  }
}
