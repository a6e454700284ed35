package dev.refinery.models.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks a token from one row of logits: greedy, or temperature + top-k + top-p sampling. */
final class TokenSampler {
  private final SamplingParams params;
  private final SplittableRandom random;

  TokenSampler(SamplingParams params) {
    this.params = params;
    this.random = new SplittableRandom(params.seed());
  }

  int pick(float[] logits) {
    if (params.temperature() == 0f) {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      return best;
    }
    Integer[] order = new Integer[logits.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
    int keep = params.topK() > 0 ? Math.min(params.topK(), order.length) : order.length;
    double[] probs = new double[keep];
    double max = logits[order[0]] / params.temperature();
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      probs[i] = Math.exp(logits[order[i]] / params.temperature() - max);
      sum += probs[i];
    }
    double cumulative = 0;
    int nucleus = keep;
    for (int i = 0; i < keep; i++) {
      probs[i] /= sum;
      cumulative += probs[i];
      if (cumulative >= params.topP()) {
        nucleus = i + 1;
        break;
      }
    }
    double mass = 0;
    for (int i = 0; i < nucleus; i++) {
      mass += probs[i];
    }
    double u = random.nextDouble() * mass;
    for (int i = 0; i < nucleus; i++) {
      u -= probs[i];
      if (u <= 0) {
        return order[i];
      }
    }
    return order[nucleus - 1];
  }
}
