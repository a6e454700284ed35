package dev.refinery.train.trainer;

import ai.djl.ndarray.NDManager;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.train.chat.EncodedPair;
import dev.refinery.train.dist.TrainerContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen reference model's log-probabilities of every pair's chosen and rejected answer, computed once
 * before training (the reference is the starting policy, so no second model stays in memory): each trainer
 * scores its share of the pairs and the ring sums the shares, so every trainer holds them all.
 */
final class ReferenceLogProbs {
  private final float[] chosen;
  private final float[] rejected;
  private final int scored;

  private ReferenceLogProbs(float[] chosen, float[] rejected, int scored) {
    this.chosen = chosen;
    this.rejected = rejected;
    this.scored = scored;
  }

  static ReferenceLogProbs compute(TrainerContext ctx, DecoderModel reference, List<EncodedPair> pairs, int batch,
      int padId) throws IOException {
    int n = pairs.stream().mapToInt(EncodedPair::index).max().orElse(-1) + 1;
    float[] both = new float[2 * n];
    List<EncodedPair> mine = new ArrayList<>();
    for (int i = ctx.rank(); i < pairs.size(); i += ctx.worldSize()) {
      mine.add(pairs.get(i));
    }
    for (int from = 0; from < mine.size(); from += batch) {
      List<EncodedPair> part = mine.subList(from, Math.min(mine.size(), from + batch));
      try (NDManager m = reference.manager().newSubManager()) {
        float[] lp = PairBatch.toFloats(new PairBatch(m, part, padId).logProbs(reference, false));
        for (int i = 0; i < part.size(); i++) {
          both[part.get(i).index()] = lp[2 * i];
          both[n + part.get(i).index()] = lp[2 * i + 1];
        }
      }
    }
    float[] count = {mine.size()};
    ctx.allReduce().sum(both);
    ctx.allReduce().sum(count);
    return new ReferenceLogProbs(java.util.Arrays.copyOf(both, n), java.util.Arrays.copyOfRange(both, n, 2 * n),
        (int) count[0]);
  }

  float chosen(int pair) {
    return chosen[pair];
  }

  float rejected(int pair) {
    return rejected[pair];
  }

  /** Pairs the reference model scored, over all trainers: each pair exactly once. */
  int scored() {
    return scored;
  }
}
