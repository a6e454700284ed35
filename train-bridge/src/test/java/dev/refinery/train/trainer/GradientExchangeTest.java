package dev.refinery.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** The step's gradients, their global norm and the clipping factor: one trainer, and two over the ring. */
class GradientExchangeTest {
  private static final float[] W = {0.5f, -1.5f, 2f, 0.25f, 1f, -3f};
  private static final float[] B = {0.1f, -0.2f};
  /** loss = sum(w * GW) + sum(b * GB): the gradients are GW and GB. */
  private static final float[] GW = {3f, -1f, 0.5f, 2f, -4f, 1.5f};
  private static final float[] GB = {-2.5f, 0.75f};
  /** The engine records one gradient collector at a time: the two trainers' backward passes take turns. */
  private static final Object AUTOGRAD = new Object();

  @Test
  void oneTrainerReadsTheParametersOwnGradientsAndClipsByTheirGlobalNorm() throws Exception {
    double norm = 0;
    for (float g : GW) {
      norm += g * g;
    }
    for (float g : GB) {
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    try (RingAllReduce solo = RingAllReduce.connect(0, List.of("localhost:0"), RingAllReduce.listen(), 1000)) {
      Result r = exchange(solo, 2f);
      assertEquals(norm, r.norm, 1e-5 * norm);
      assertEquals(2f / (norm + 1e-6), r.scale, 1e-6);
      assertArrayEquals(GW, r.gw, 0f);
      assertArrayEquals(GB, r.gb, 0f);
      assertEquals(1f, exchange(solo, 100f).scale, "no clipping under the bound");
      assertEquals(1f, exchange(solo, 0f).scale, "clip 0 turns clipping off");
    }
  }

  @Test
  void twoTrainersAverageOverTheRingAndAgreeWithOneTrainer() throws Exception {
    Result one;
    try (RingAllReduce solo = RingAllReduce.connect(0, List.of("localhost:0"), RingAllReduce.listen(), 1000)) {
      one = exchange(solo, 2f);
    }
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
      zero = exchange(r0, 2f);
    }
    for (Result r : List.of(zero, other.get())) {
      assertEquals(one.norm, r.norm, 1e-5 * one.norm);
      assertEquals(one.scale, r.scale, 1e-6f);
      assertArrayEquals(one.gw, r.gw, 1e-6f);
      assertArrayEquals(one.gb, r.gb, 1e-6f);
    }
  }

  private record Result(double norm, float scale, float[] gw, float[] gb) {}

  /** One backward pass over fresh parameters, then the exchange of its gradients with clip norm {@code clip}. */
  private static Result exchange(RingAllReduce ring, float clip) throws Exception {
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
          gc.backward(w.mul(step.create(GW, new Shape(2, 3))).sum().add(b.mul(step.create(GB)).sum()));
        }
      }
      try (NDManager step = m.newSubManager()) {
        GradientExchange.Reduced r = new GradientExchange(params).reduce(ring, clip, step, new StepProfile());
        List<float[]> grads = new ArrayList<>();
        r.gradients().values().forEach(g -> grads.add(g.toFloatArray()));
        return new Result(r.norm(), r.scale(), grads.get(0), grads.get(1));
      }
    }
  }
}
