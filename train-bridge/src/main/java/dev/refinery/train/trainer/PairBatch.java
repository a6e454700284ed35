package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.train.chat.EncodedPair;
import java.util.List;

/**
 * Preference pairs as model inputs: rows 2i and 2i+1 are prompt + chosen and prompt + rejected answer of pair
 * i, right-padded to the longest; {@link #logProbs} sums each row's log-probabilities over its answer tokens.
 */
final class PairBatch {
  private final NDArray tokens;
  private final NDArray targets;
  private final NDArray answerMask;

  PairBatch(NDManager m, List<EncodedPair> pairs, int padId) {
    int t = 0;
    for (EncodedPair p : pairs) {
      t = Math.max(t, p.prompt().length + Math.max(p.chosen().length, p.rejected().length) - 1);
    }
    int rows = pairs.size() * 2;
    long[] x = new long[rows * t];
    long[] y = new long[rows * t];
    float[] mask = new float[rows * t];
    java.util.Arrays.fill(x, padId);
    java.util.Arrays.fill(y, padId);
    for (int i = 0; i < pairs.size(); i++) {
      EncodedPair p = pairs.get(i);
      fill(2 * i, p.prompt(), p.chosen(), t, x, y, mask);
      fill(2 * i + 1, p.prompt(), p.rejected(), t, x, y, mask);
    }
    Shape shape = new Shape(rows, t);
    this.tokens = m.create(x, shape);
    this.targets = m.create(y, shape);
    this.answerMask = m.create(mask, shape);
  }

  private static void fill(int row, int[] prompt, int[] answer, int t, long[] x, long[] y, float[] mask) {
    int n = prompt.length + answer.length;
    for (int j = 0; j < n - 1; j++) {
      x[row * t + j] = j < prompt.length ? prompt[j] : answer[j - prompt.length];
      int target = j + 1;
      y[row * t + j] = target < prompt.length ? prompt[target] : answer[target - prompt.length];
      mask[row * t + j] = target >= prompt.length ? 1f : 0f;
    }
  }

  /** Sum of log p(answer token) per row [2 × pairs]: chosen at even rows, rejected at odd ones. */
  NDArray logProbs(DecoderModel net, boolean training) {
    NDArray logp = net.forward(tokens, training).logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
    return logp.mul(answerMask).sum(new int[] {1});
  }

  long tokens() {
    return tokens.getShape().size();
  }

  static float[] toFloats(NDArray a) {
    return a.toType(DataType.FLOAT32, false).toFloatArray();
  }
}
