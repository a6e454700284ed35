package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, Loshchilov and Hutter) with its moment estimates held here, not inside DJL's
 * optimizer (whose state is private), so a checkpoint can save them and a resumed run continues bit for bit.
 * Weight decay applies to matrices only, not to biases and norm gains (as in nanoGPT).
 */
public final class AdamW implements AutoCloseable {
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private final Map<String, NDArray> first = new LinkedHashMap<>();
  private final Map<String, NDArray> second = new LinkedHashMap<>();
  private long steps;
  /** Loaded on the first update, onto the parameters' device. */
  private OptimizerKernels kernels;

  public AdamW(float beta1, float beta2, float eps, float weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  public long steps() {
    return steps;
  }

  /**
   * One update of every parameter (in place), then zeroes the parameters' own gradients for the next step; returns
   * the gradients' global norm before clipping (a 0-d tensor in {@code into}, left on the device: read it only when
   * it is logged). The gradients are {@code gradients} by parameter name, or with an empty map the parameters' own
   * (one trainer: they never leave the engine). Clipped to {@code clipNorm} (0: not clipped). PyTorch's fused
   * AdamW kernel ({@link OptimizerKernels}) in one native call with the norm and clipping: decoupled weight decay
   * for the matrices, none for biases and norm gains (as in nanoGPT), with the moments held here.
   */
  public NDArray update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, float lr, float clipNorm,
      NDManager into) {
    steps++;
    List<NDArray> params = new ArrayList<>(parameters.size());
    List<NDArray> grads = new ArrayList<>(gradients.size());
    List<NDArray> m = new ArrayList<>(parameters.size());
    List<NDArray> v = new ArrayList<>(parameters.size());
    int decayed = 0;
    for (boolean decay : new boolean[] {true, false}) { // the matrices first: the kernel decays the first `decayed`
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        String name = e.getKey();
        NDArray p = e.getValue();
        if ((p.getShape().dimension() >= 2) != decay) {
          continue;
        }
        decayed += decay ? 1 : 0;
        params.add(p);
        if (!gradients.isEmpty()) {
          grads.add(gradients.get(name));
        }
        m.add(first.computeIfAbsent(name, n -> p.zerosLike()));
        v.add(second.computeIfAbsent(name, n -> p.zerosLike()));
      }
    }
    if (params.isEmpty()) {
      return into.zeros(new Shape());
    }
    NDManager device = params.get(0).getManager();
    if (kernels == null) {
      kernels = new OptimizerKernels(device);
    }
    try (NDManager scratch = device.newSubManager()) {
      NDArray step = scratch.full(new Shape(), (float) steps);
      return kernels.clippedAdamw(params, decayed, grads, m, v, step, lr, beta1, beta2, weightDecay, eps, clipNorm,
          into);
    }
  }

  /** The moments, named {@code m/PARAM} and {@code v/PARAM}, for a checkpoint. */
  public NDList state() {
    NDList out = new NDList();
    first.forEach((n, a) -> {
      a.setName("m/" + n);
      out.add(a);
    });
    second.forEach((n, a) -> {
      a.setName("v/" + n);
      out.add(a);
    });
    return out;
  }

  /** Restores moments (copied onto the parameters' device) and the step count saved with them. */
  public void restore(NDList state, long steps, Map<String, NDArray> parameters) {
    for (NDArray a : state) {
      String name = a.getName().substring(2);
      NDArray p = parameters.get(name);
      NDArray copy = a.toDevice(p.getDevice(), true);
      copy.attach(p.getManager());
      (a.getName().startsWith("m/") ? first : second).put(name, copy);
    }
    this.steps = steps;
  }

  @Override
  public void close() {
    first.values().forEach(NDArray::close);
    second.values().forEach(NDArray::close);
    if (kernels != null) {
      kernels.close();
    }
  }
}
