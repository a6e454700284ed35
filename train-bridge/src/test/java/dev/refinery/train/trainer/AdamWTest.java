package dev.refinery.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fused, clipped update against PyTorch's clip_grad_norm_ and AdamW formulas, written out in doubles. */
class AdamWTest {
  private static final float B1 = 0.9f;
  private static final float B2 = 0.99f;
  private static final float EPS = 1e-8f;
  private static final float WD = 0.1f;

  @Test
  void fusedStepsEqualPyTorchClippedAdamWAndZeroTheGradients() {
    float[] lrs = {1e-2f, 5e-3f, 2e-3f};
    float[] clips = {0f, 1f, 100f}; // off; clipping (the norms are above 1); a bound above the norm
    // the parameters' own gradients (one trainer), and the same gradients handed over (several trainers)
    float[][] own = run(lrs, clips, false);
    float[][] handed = run(lrs, clips, true);
    assertArrayEquals(own[0], handed[0], 0f);
    assertArrayEquals(own[1], handed[1], 0f);
  }

  /** Three steps; checks each against the reference; returns the final matrix and vector. */
  private static float[][] run(float[] lrs, float[] clips, boolean handOver) {
    float[] w0 = {0.5f, -1.5f, 2f, 0.25f};
    float[] b0 = {0.1f, -0.2f};
    float[][] gw = {{0.3f, -0.1f, 0.05f, 2f}, {-0.2f, 0.4f, 0.0f, -1f}, {1.5f, -0.3f, 0.2f, 0.1f}};
    float[][] gb = {{1f, -0.5f}, {0.25f, 0.75f}, {-0.4f, 0.6f}};
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        AdamW opt = new AdamW(B1, B2, EPS, WD)) {
      NDArray w = m.create(w0, new Shape(2, 2));
      NDArray b = m.create(b0);
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("b", b); // a vector first: the kernel still decays only the matrix
      params.put("w", w);
      double[] rw = toDouble(w0);
      double[] rb = toDouble(b0);
      double[][] state = {new double[4], new double[4], new double[2], new double[2]};
      for (int t = 0; t < lrs.length; t++) {
        // gradients made by a backward pass (loss = sum(p * g)), as in training
        try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = w.mul(step.create(gw[t], new Shape(2, 2))).sum().add(b.mul(step.create(gb[t])).sum());
          gc.backward(loss);
        }
        double norm = 0;
        for (float g : gw[t]) {
          norm += g * (double) g;
        }
        for (float g : gb[t]) {
          norm += g * (double) g;
        }
        norm = Math.sqrt(norm);
        double scale = clips[t] > 0 && norm > clips[t] ? clips[t] / (norm + 1e-6) : 1;
        try (NDManager step = m.newSubManager()) {
          Map<String, NDArray> grads = new LinkedHashMap<>();
          if (handOver) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
              NDArray copy = e.getValue().getGradient().duplicate();
              copy.attach(step);
              grads.put(e.getKey(), copy);
            }
          }
          NDArray n = opt.update(params, grads, lrs[t], clips[t], step);
          assertEquals(norm, n.getFloat(), 1e-6 * norm, "norm before clipping, step " + (t + 1));
        }
        reference(rw, gw[t], scale, state[0], state[1], lrs[t], WD, t + 1);
        reference(rb, gb[t], scale, state[2], state[3], lrs[t], 0, t + 1);
        assertArrayEquals(toFloat(rw), w.toFloatArray(), 1e-6f, "matrix after step " + (t + 1));
        assertArrayEquals(toFloat(rb), b.toFloatArray(), 1e-6f, "vector (no decay) after step " + (t + 1));
        try (NDArray g = w.getGradient()) {
          assertEquals(0f, g.abs().sum().getFloat(), "gradient zeroed for the next step");
        }
      }
      assertEquals(lrs.length, opt.steps());
      assertEquals(4, opt.state().size());
      return new float[][] {w.toFloatArray(), b.toFloatArray()};
    }
  }

  /** torch.optim.AdamW: p *= 1 - lr·wd; m, v moments; p -= lr/c1 · m / (sqrt(v)/sqrt(c2) + eps). */
  private static void reference(double[] p, float[] grad, double scale, double[] mm, double[] vv, double lr, double wd,
      int t) {
    double c1 = 1 - Math.pow(B1, t);
    double c2 = 1 - Math.pow(B2, t);
    for (int i = 0; i < p.length; i++) {
      double g = grad[i] * scale;
      p[i] *= 1 - lr * wd;
      mm[i] = B1 * mm[i] + (1 - B1) * g;
      vv[i] = B2 * vv[i] + (1 - B2) * g * g;
      p[i] -= lr / c1 * mm[i] / (Math.sqrt(vv[i]) / Math.sqrt(c2) + EPS);
    }
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
