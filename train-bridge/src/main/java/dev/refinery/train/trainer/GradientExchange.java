package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.refinery.train.dist.RingAllReduce;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The step's gradients on the model's device: micro-batches accumulate in the parameters' own gradients (the
 * engine adds successive backward passes), so with one trainer they never leave the device, and the optimizer
 * reads them where they are. With several, the gradients are written on the device into one flat buffer, which
 * crosses to the host once for the ring all-reduce and comes back once; the optimizer then reads views of the
 * averaged buffer. Their norm and clipping are the optimizer's ({@link AdamW#update}), on the device.
 */
final class GradientExchange {
  private final Map<String, NDArray> parameters;
  private final long[] splits;

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
   * The accumulated gradients averaged over the ring, by parameter name (views of one buffer owned by
   * {@code step}); empty with one trainer, where the average is the parameters' own gradients.
   */
  Map<String, NDArray> reduce(RingAllReduce ring, NDManager step, StepProfile profile) throws IOException {
    if (ring.size() == 1) {
      return Map.of();
    }
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
    Map<String, NDArray> grads = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      grads.put(e.getKey(), views.get(i++).reshape(e.getValue().getShape()));
    }
    return grads;
  }
}
