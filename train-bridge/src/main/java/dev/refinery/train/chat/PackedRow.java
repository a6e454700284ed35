package dev.refinery.train.chat;

import java.io.Serializable;

/**
 * One training row of {@code length} tokens holding one or more samples: {@code segments[i]} numbers the sample
 * token i belongs to (0, 1, ...; -1 for padding), {@code trained[i]} says whether token i is learned.
 */
public record PackedRow(int[] tokens, int[] segments, boolean[] trained) implements Serializable {
  /** Position of each token within its own sample (restarting at 0 with each sample). */
  public int[] positions() {
    int[] p = new int[tokens.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = i > 0 && segments[i] == segments[i - 1] ? p[i - 1] + 1 : 0;
    }
    return p;
  }

  /**
   * The target of input position i (token i+1) when it is learned and of the same sample, else {@code ignore};
   * one fewer than the row's tokens.
   */
  public int[] targets(int ignore) {
    int[] y = new int[tokens.length - 1];
    for (int i = 0; i < y.length; i++) {
      boolean learn = trained[i + 1] && segments[i + 1] == segments[i] && segments[i] >= 0;
      y[i] = learn ? tokens[i + 1] : ignore;
    }
    return y;
  }
}
