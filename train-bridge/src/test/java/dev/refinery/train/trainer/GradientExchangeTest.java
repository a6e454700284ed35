package dev.refinery.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.refinery.train.dist.RingAllReduce;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The step's gradients: one trainer leaves them where they are; two average them over the ring. */
class GradientExchangeTest {
  private static final float[] W = {0.5f, -1.5f, 2f, 0.25f, 1f, -3f};
  private static final float[] B = {0.1f, -0.2f};
  /** loss = factor * (sum(w * GW) + sum(b * GB)): the gradients are factor * GW and factor * GB. */
  private static final float[] GW = {3f, -1f, 0.5f, 2f, -4f, 1.5f};
  private static final float[] GB = {-2.5f, 0.75f};
  /** The engine records one gradient collector at a time: the two trainers' backward passes take turns. */
  private static final Object AUTOGRAD = new Object();

  @Test
  void oneTrainerLeavesTheParametersOwnGradientsWhereTheyAre() throws Exception {
    try (RingAllReduce solo = RingAllReduce.connect(0, List.of("localhost:0"), RingAllReduce.listen(), 1000)) {
      Result r = exchange(solo, 1f);
      assertTrue(r.averaged.isEmpty(), "no copy: the optimizer reads the parameters' own gradients");
      assertArrayEquals(GW, r.own.get(0), 0f);
      assertArrayEquals(GB, r.own.get(1), 0f);
    }
  }

  @Test
  void twoTrainersAverageTheirGradientsOverTheRing() throws Exception {
    ServerSocket s0 = RingAllReduce.listen();
    ServerSocket s1 = RingAllReduce.listen();
    List<String> addresses = List.of("127.0.0.1:" + s0.getLocalPort(), "127.0.0.1:" + s1.getLocalPort());
    CompletableFuture<Result> other = CompletableFuture.supplyAsync(() -> {
      try (RingAllReduce r1 = RingAllReduce.connect(1, addresses, s1, 10_000)) {
        return exchange(r1, 2f);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Result zero;
    try (RingAllReduce r0 = RingAllReduce.connect(0, addresses, s0, 10_000)) {
      zero = exchange(r0, 1f);
    }
    for (Result r : List.of(zero, other.get())) {
      assertArrayEquals(times(GW, 1.5f), r.averaged.get(0), 1e-6f);
      assertArrayEquals(times(GB, 1.5f), r.averaged.get(1), 1e-6f);
    }
  }

  /** The averaged gradients handed to the optimizer (none: its own), and the parameters' own after the exchange. */
  private record Result(List<float[]> averaged, List<float[]> own) {}

  private static float[] times(float[] a, float f) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * f;
    }
    return out;
  }

  /** One backward pass over fresh parameters (gradients {@code factor} times GW, GB), then their exchange. */
  private static Result exchange(RingAllReduce ring, float factor) throws Exception {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray w = m.create(W, new Shape(2, 3));
      NDArray b = m.create(B);
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", w);
      params.put("b", b);
      synchronized (AUTOGRAD) {
        try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(w.mul(step.create(GW, new Shape(2, 3))).sum().add(b.mul(step.create(GB)).sum()).mul(factor));
        }
      }
      try (NDManager step = m.newSubManager()) {
        Map<String, NDArray> r = new GradientExchange(params).reduce(ring, step, new StepProfile());
        List<float[]> averaged = new ArrayList<>();
        r.values().forEach(g -> averaged.add(g.toFloatArray()));
        List<float[]> own = new ArrayList<>();
        for (NDArray p : params.values()) {
          try (NDArray g = p.getGradient()) {
            own.add(g.toFloatArray());
          }
        }
        return new Result(averaged, own);
      }
    }
  }
}
