package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.refinery.train.dist.RingAllReduce;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step's gradients on the model's device: micro-batches accumulate in the parameters' own gradients (the
 * engine adds successive backward passes), so with one trainer they never leave the device. With several, the
 * gradients are written on the device into one flat buffer, which crosses to the host once for the ring
 * all-reduce and comes back once; the optimizer then reads views of the averaged buffer. The global norm is
 * computed on the device and read as one number; clipping is a factor the optimizer applies.
 */
final class GradientExchange {
  /** The step's gradients (views on the device, owned by the step's manager) and their clipping factor. */
  record Reduced(Map<String, NDArray> gradients, float scale, double norm) {}

  private final Map<String, NDArray> parameters;
  private final long[] splits;
  /** Loaded on the first single-trainer step, onto the model's device. */
  private OptimizerKernels kernels;

  GradientExchange(Map<String, NDArray> parameters) {
    this.parameters = parameters;
    this.splits = new long[Math.max(parameters.size() - 1, 0)];
    long off = 0;
    int i = 0;
    for (NDArray p : parameters.values()) {
      off += p.size();
      if (i < splits.length) {
        splits[i++] = off;
      }
    }
  }

  /**
   * Averages the accumulated gradients over the ring (a no-op with one trainer) and measures their global norm;
   * the factor scales them to {@code clipNorm} when above it (0 = no clipping). Arrays made here belong to
   * {@code step}.
   */
  Reduced reduce(RingAllReduce ring, float clipNorm, NDManager step, StepProfile profile) throws IOException {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    NDArray norm;
    if (ring.size() == 1) {
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        NDArray g = e.getValue().getGradient();
        g.attach(step);
        grads.put(e.getKey(), g);
      }
      profile.lap(StepProfile.Phase.GATHER);
      if (kernels == null) {
        // onto the parameters' device, freed with their manager
        kernels = new OptimizerKernels(parameters.values().iterator().next().getManager());
      }
      norm = kernels.globalNorm(new ArrayList<>(grads.values()), step);
    } else {
      NDList flat = new NDList(parameters.size());
      for (NDArray p : parameters.values()) {
        NDArray g = p.getGradient();
        g.attach(step);
        flat.add(g.reshape(-1));
      }
      NDArray local = NDArrays.concat(flat);
      float[] host = local.toFloatArray();
      profile.lap(StepProfile.Phase.GATHER);
      ring.average(host);
      profile.lap(StepProfile.Phase.ALL_REDUCE);
      NDArray averaged = step.create(host); // the step's manager lives on the model's device
      NDList views = averaged.split(splits);
      int i = 0;
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        grads.put(e.getKey(), views.get(i++).reshape(e.getValue().getShape()));
      }
      norm = averaged.norm();
    }
    norm.attach(step);
    double n = norm.getFloat(); // the step's one wait for the device
    float scale = clipNorm > 0 && n > clipNorm ? (float) (clipNorm / (n + 1e-6)) : 1f;
    profile.lap(StepProfile.Phase.CLIP);
    return new Reduced(grads, scale, n);
  }
}
