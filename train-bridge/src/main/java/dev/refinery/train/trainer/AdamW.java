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
   * One update of every parameter (in place) with its gradient times {@code gradScale} (the clipping factor),
   * then zeroes the parameters' own gradients for the next step: PyTorch's fused AdamW kernel
   * ({@link OptimizerKernels}), one native call for the matrices (decoupled weight decay) and one for the rest
   * (biases and norm gains, no decay, as in nanoGPT), with the moments held here.
   */
  public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, float lr, float gradScale) {
    steps++;
    if (parameters.isEmpty()) {
      return;
    }
    Group decayed = new Group(weightDecay);
    Group plain = new Group(0f);
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      Group g = p.getShape().dimension() >= 2 ? decayed : plain;
      g.params().add(p);
      g.grads().add(gradients.get(name));
      g.first().add(first.computeIfAbsent(name, n -> p.zerosLike()));
      g.second().add(second.computeIfAbsent(name, n -> p.zerosLike()));
    }
    NDManager device = parameters.values().iterator().next().getManager();
    if (kernels == null) {
      kernels = new OptimizerKernels(device);
    }
    try (NDManager scratch = device.newSubManager()) {
      NDArray step = scratch.full(new Shape(), (float) steps);
      NDArray unscale = scratch.full(new Shape(), (float) (1.0 / gradScale)); // the kernel divides by it
      for (Group g : List.of(decayed, plain)) {
        if (!g.params().isEmpty()) {
          kernels.adamw(g.params(), g.grads(), g.first(), g.second(), step, lr, beta1, beta2, g.decay(), eps, unscale);
        }
      }
    }
  }

  /** Parameters updated with one weight decay, with their gradients and moments, in the same order. */
  private record Group(float decay, List<NDArray> params, List<NDArray> grads, List<NDArray> first,
      List<NDArray> second) {
    Group(float decay) {
      this(decay, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
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
