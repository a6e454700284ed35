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

/** The fused update against PyTorch's AdamW formula, written out in doubles. */
class AdamWTest {
  private static final float B1 = 0.9f;
  private static final float B2 = 0.99f;
  private static final float EPS = 1e-8f;
  private static final float WD = 0.1f;

  @Test
  void fusedStepsEqualPyTorchAdamWAndZeroTheGradients() {
    float[] w0 = {0.5f, -1.5f, 2f, 0.25f};
    float[] b0 = {0.1f, -0.2f};
    float[][] gw = {{0.3f, -0.1f, 0.05f, 2f}, {-0.2f, 0.4f, 0.0f, -1f}};
    float[][] gb = {{1f, -0.5f}, {0.25f, 0.75f}};
    float[] lrs = {1e-2f, 5e-3f};
    float[] scales = {1f, 0.5f};
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        AdamW opt = new AdamW(B1, B2, EPS, WD)) {
      NDArray w = m.create(w0, new Shape(2, 2));
      NDArray b = m.create(b0);
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", w);
      params.put("b", b);
      double[] rw = toDouble(w0);
      double[] rb = toDouble(b0);
      double[][] state = new double[4][];
      state[0] = new double[4];
      state[1] = new double[4];
      state[2] = new double[2];
      state[3] = new double[2];
      for (int t = 0; t < 2; t++) {
        // gradients made by a backward pass (loss = sum(p * g)), as in training
        try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = w.mul(step.create(gw[t], new Shape(2, 2))).sum().add(b.mul(step.create(gb[t])).sum());
          gc.backward(loss);
        }
        Map<String, NDArray> grads = new LinkedHashMap<>();
        grads.put("w", w.getGradient());
        grads.put("b", b.getGradient());
        opt.update(params, grads, lrs[t], scales[t]);
        grads.values().forEach(NDArray::close);
        reference(rw, gw[t], scales[t], state[0], state[1], lrs[t], WD, t + 1);
        reference(rb, gb[t], scales[t], state[2], state[3], lrs[t], 0, t + 1);
        assertArrayEquals(toFloat(rw), w.toFloatArray(), 1e-6f, "matrix after step " + (t + 1));
        assertArrayEquals(toFloat(rb), b.toFloatArray(), 1e-6f, "vector (no decay) after step " + (t + 1));
        try (NDArray g = w.getGradient()) {
          assertEquals(0f, g.abs().sum().getFloat(), "gradient zeroed for the next step");
        }
      }
      assertEquals(2, opt.steps());
      assertEquals(4, opt.state().size());
    }
  }

  /** torch.optim.AdamW: p *= 1 - lr·wd; m, v moments; p -= lr/c1 · m / (sqrt(v)/sqrt(c2) + eps). */
  private static void reference(double[] p, float[] grad, float scale, double[] mm, double[] vv, double lr, double wd,
      int t) {
    double c1 = 1 - Math.pow(B1, t);
    double c2 = 1 - Math.pow(B2, t);
    for (int i = 0; i < p.length; i++) {
      double g = grad[i] * (double) scale;
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
