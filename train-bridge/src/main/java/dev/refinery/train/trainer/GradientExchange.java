package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.refinery.train.dist.RingAllReduce;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradients of all trainable parameters as one flat host array: summed over micro-batches (accumulation),
 * averaged over the trainers through the ring, clipped to a global norm, then handed back as arrays on the
 * model's device for the optimizer. One flat array means one all-reduce per step, not one per parameter.
 */
final class GradientExchange {
  private final Map<String, NDArray> parameters;
  private final float[] flat;

  GradientExchange(Map<String, NDArray> parameters) {
    this.parameters = parameters;
    long n = 0;
    for (NDArray p : parameters.values()) {
      n += p.size();
    }
    this.flat = new float[Math.toIntExact(n)];
  }

  void clear() {
    java.util.Arrays.fill(flat, 0f);
  }

  /** Adds the parameters' current gradients to the buffer and zeroes them for the next micro-batch. */
  void accumulate() {
    int off = 0;
    for (NDArray p : parameters.values()) {
      NDArray g = p.getGradient();
      float[] v = g.toFloatArray();
      for (int i = 0; i < v.length; i++) {
        flat[off + i] += v[i];
      }
      off += v.length;
      g.muli(0f);
      g.close();
    }
  }

  /**
   * Averages over the ring, clips to {@code clipNorm} (0 = no clipping) and returns the gradients on the
   * parameters' device, owned by {@code step}; also returns the pre-clip norm through {@code normOut[0]}.
   */
  Map<String, NDArray> reduce(RingAllReduce ring, float clipNorm, NDManager step, double[] normOut) throws IOException {
    ring.average(flat);
    double sq = 0;
    for (float f : flat) {
      sq += (double) f * f;
    }
    double norm = Math.sqrt(sq);
    normOut[0] = norm;
    float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / (norm + 1e-6)) : 1f;
    Map<String, NDArray> out = new LinkedHashMap<>();
    int off = 0;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray p = e.getValue();
      int n = Math.toIntExact(p.size());
      float[] slice = java.util.Arrays.copyOfRange(flat, off, off + n);
      if (scale != 1f) {
        for (int i = 0; i < n; i++) {
          slice[i] *= scale;
        }
      }
      out.put(e.getKey(), step.create(slice, p.getShape()).toDevice(p.getDevice(), false));
      off += n;
    }
    return out;
  }
}
