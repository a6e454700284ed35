package dev.refinery.models.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

public class DecoderModelTest {
  static List<ModelConfig> flavours() {
    return List.of(ModelConfig.gpt(50, 16, 2, 4, 32, 0f), ModelConfig.llama(50, 16, 2, 4, 32, 0f));
  }

  public static long[] randomTokens(int n, int vocab, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextInt(vocab);
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void parameterCountMatchesShapesAndLogitsHaveTheRightShape(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 1); NDManager step = m.manager().newSubManager()) {
      long expected = DecoderModel.parameterShapes(c).values().stream().mapToLong(Shape::size).sum();
      assertEquals(expected, m.parameterCount());
      if (c.mlp() == ModelConfig.Mlp.GELU) {
        // embeddings 50*32 + 16*32; per layer 2 LN (2*64) + 4 attn (4*(32*32+32)) + MLP (32*128+128 + 128*32+32); final LN 64
        assertEquals(50 * 32 + 16 * 32 + 2 * (128 + 4 * 1056 + 4224 + 4128) + 64, m.parameterCount());
      }
      NDArray logits = m.forward(step.create(randomTokens(24, 50, 2), new Shape(2, 12)), false);
      assertEquals(new Shape(2, 12, 50), logits.getShape());
    }
  }

  /** Analytic gradients of every attention projection against central finite differences of the loss. */
  @ParameterizedTest
  @MethodSource("flavours")
  void attentionGradientsMatchFiniteDifferences(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 3); NDManager step = m.manager().newSubManager()) {
      NDArray x = step.create(randomTokens(2 * 10, 50, 4), new Shape(2, 10));
      NDArray y = step.create(randomTokens(2 * 10, 50, 5), new Shape(2, 10));
      for (String name : List.of("layers.0.attn.q.weight", "layers.0.attn.k.weight", "layers.1.attn.v.weight",
          "layers.1.attn.o.weight", "layers.0.norm1.weight", "embed.weight")) {
        assertGradientMatches(m, x, y, name);
      }
    }
  }

  public static void assertGradientMatches(DecoderModel m, NDArray x, NDArray y, String name) {
    NDArray p = m.parameters().get(name);
    NDArray grad;
    m.zeroGradients();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(DecoderModel.crossEntropy(m.forward(x, false), y, -1));
    }
    grad = p.getGradient();
    float[] g = grad.toFloatArray();
    grad.close();
    double norm = 0;
    for (float v : g) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    assertTrue(norm > 1e-6, name + " has a zero gradient");
    // Directional derivative along the gradient itself: (L(w + eps u) - L(w - eps u)) / 2eps = |g|.
    float[] w = p.toFloatArray();
    double eps = 1e-2;
    float[] plus = new float[w.length];
    float[] minus = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      plus[i] = (float) (w[i] + eps * g[i] / norm);
      minus[i] = (float) (w[i] - eps * g[i] / norm);
    }
    double lp = lossWith(m, p, plus, x, y);
    double lm = lossWith(m, p, minus, x, y);
    p.set(w);
    m.zeroGradients();
    double numeric = (lp - lm) / (2 * eps);
    assertEquals(norm, numeric, 0.02 * norm + 1e-4, name);
  }

  private static double lossWith(DecoderModel m, NDArray p, float[] values, NDArray x, NDArray y) {
    p.set(values);
    try (NDManager s = x.getManager().newSubManager()) {
      NDArray xs = x.duplicate();
      xs.attach(s);
      return DecoderModel.crossEntropy(m.forward(xs, false), y, -1).getFloat();
    }
  }

  /**
   * Whole causal sequences take PyTorch's fused attention (a TorchScript module run through DJL); packed rows of
   * one sample each take the masked softmax path over the same positions. Logits and every parameter's gradient
   * agree, so autograd records through the module.
   */
  @ParameterizedTest
  @MethodSource("flavours")
  void fusedAttentionMatchesTheMaskedPathInLogitsAndGradients(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 11); NDManager step = m.manager().newSubManager()) {
      Rows r = Rows.of(step, 3, 14, 12);
      NDArray x = r.x();
      NDArray y = r.y();
      NDArray positions = r.positions();
      NDArray oneSample = r.oneSample();
      Map<String, float[]> fused = gradients(m, () -> m.forward(x, true), y);
      Map<String, float[]> masked = gradients(m, () -> m.forwardPacked(x, positions, oneSample, true), y);
      assertArrayEquals(m.forwardPacked(x, positions, oneSample, false).toFloatArray(),
          m.forward(x, false).toFloatArray(), 1e-5f, "logits");
      // the largest gradient of all (the key bias's is zero up to rounding: softmax ignores it)
      float scale = masked.values().stream().map(DecoderModelTest::maxAbs).reduce(0f, Math::max);
      for (String name : fused.keySet()) {
        assertArrayEquals(masked.get(name), fused.get(name), 1e-5f * scale, name);
      }
      for (String name : List.of("layers.0.attn.q.weight", "layers.0.attn.k.weight", "layers.1.attn.v.weight")) {
        float max = maxAbs(fused.get(name));
        assertTrue(max > 1e-9f, name + ": no gradient through the fused attention");
        assertArrayEquals(masked.get(name), fused.get(name), 1e-3f * max, name + " at its own scale");
      }
    }
  }

  /**
   * While training, the attention's q, k and v (and SwiGLU's gate and up) run as one matmul over their stacked
   * weights; outside training, one by one. Logits and every parameter's gradient agree.
   */
  @ParameterizedTest
  @MethodSource("flavours")
  void stackedProjectionsMatchSeparateOnesInLogitsAndGradients(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 21); NDManager step = m.manager().newSubManager()) {
      Rows r = Rows.of(step, 2, 15, 22);
      NDArray x = r.x();
      NDArray y = r.y();
      assertArrayEquals(m.forward(x, false).toFloatArray(), m.forward(x, true).toFloatArray(), 1e-5f, "logits");
      Map<String, float[]> stacked = gradients(m, () -> m.forward(x, true), y);
      Map<String, float[]> separate = gradients(m, () -> m.forward(x, false), y);
      for (String name : separate.keySet()) {
        float max = maxAbs(separate.get(name));
        assertTrue(max > 0 || name.endsWith("attn.k.bias"), name + " has no gradient");
        assertArrayEquals(separate.get(name), stacked.get(name), 1e-5f * Math.max(max, 1e-3f), name);
      }
    }
  }

  /**
   * A garbage collection between forward and backward changes no gradient: no tensor that backward reads may point
   * into memory the collector frees (DJL's arithmetic with a Java number did, see {@link Scalars}).
   */
  @ParameterizedTest
  @MethodSource("flavours")
  void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 31); NDManager step = m.manager().newSubManager()) {
      Rows r = Rows.of(step, 2, 12, 32);
      for (boolean packed : new boolean[] {false, true}) {
        Supplier<NDArray> forward = () -> packed ? m.forwardPacked(r.x(), r.positions(), r.oneSample(), true)
            : m.forward(r.x(), true);
        Map<String, float[]> calm = gradients(m, forward, r.y());
        Map<String, float[]> collected = gradients(m, () -> {
          NDArray logits = forward.get();
          collectAndReuseFreedMemory();
          return logits;
        }, r.y());
        for (String name : calm.keySet()) {
          assertArrayEquals(calm.get(name), collected.get(name), name + (packed ? " (packed)" : ""));
        }
      }
    }
  }

  /** Random tokens and targets [b, t], with the positions and segment ids of one sample per row. */
  record Rows(NDArray x, NDArray y, NDArray positions, NDArray oneSample) {
    static Rows of(NDManager step, int b, int t, long seed) {
      return new Rows(step.create(randomTokens(b * t, 50, seed), new Shape(b, t)),
          step.create(randomTokens(b * t, 50, seed + 1), new Shape(b, t)),
          step.arange(0, t, 1, ai.djl.ndarray.types.DataType.INT64).expandDims(0).repeat(0, b),
          step.zeros(new Shape(b, t), ai.djl.ndarray.types.DataType.INT64));
    }
  }

  /** The largest absolute value of {@code values} (0 for none). */
  public static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  /** Runs the collector (which frees unreachable direct buffers) and fills fresh direct buffers with junk. */
  public static void collectAndReuseFreedMemory() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    for (int i = 0; i < 64; i++) {
      java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocateDirect(4 << (i % 8));
      while (junk.hasRemaining()) {
        junk.put((byte) 0x7f);
      }
    }
  }

  private static Map<String, float[]> gradients(DecoderModel m, Supplier<NDArray> logits, NDArray y) {
    m.zeroGradients();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(DecoderModel.crossEntropy(logits.get(), y, -1));
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    m.parameters().forEach((name, p) -> {
      try (NDArray g = p.getGradient()) {
        out.put(name, g.toFloatArray());
      }
    });
    m.zeroGradients();
    return out;
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void trainingStepsLowerTheLossWithoutLeakingArrays(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c.withDropout(0.1f), Device.cpu(), 7)) {
      TrainStep trainer = new TrainStep(m, 3e-3f);
      long[] tokens = randomTokens(4 * 13, 50, 8);
      long[] in = new long[4 * 12];
      long[] out = new long[4 * 12];
      for (int b = 0; b < 4; b++) {
        System.arraycopy(tokens, b * 13, in, b * 12, 12);
        System.arraycopy(tokens, b * 13 + 1, out, b * 12, 12);
      }
      float first = trainer.step(in, out, 4, -1);
      trainer.step(in, out, 4, -1);
      int arrays = m.manager().getManagedArrays().size();
      float last = first;
      for (int i = 0; i < 40; i++) {
        last = trainer.step(in, out, 4, -1);
      }
      assertTrue(last < first * 0.6, "loss " + first + " -> " + last);
      assertEquals(arrays, m.manager().getManagedArrays().size(), "arrays left behind by training steps");
    }
  }
}
