package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.LinkedHashMap;
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
   * then zeroes the parameters' own gradients for the next step. One native call per parameter: the engine's
   * fused Adam kernel with moments held here, decoupled weight decay inside it (matrices only), and the bias
   * corrections folded into its learning rate and epsilon, so the step equals PyTorch's AdamW:
   * p -= lr·wd·p; p -= lr/c1 · m / (sqrt(v/c2) + eps).
   */
  public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, float lr, float gradScale) {
    steps++;
    double c1 = 1 - Math.pow(beta1, steps);
    double sqrtC2 = Math.sqrt(1 - Math.pow(beta2, steps));
    float stepLr = (float) (lr * sqrtC2 / c1);
    float stepEps = (float) (eps * sqrtC2);
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray m = first.computeIfAbsent(name, n -> p.zerosLike());
      NDArray v = second.computeIfAbsent(name, n -> p.zerosLike());
      float decay = p.getShape().dimension() >= 2 ? weightDecay : 0f;
      // inputs: weight, gradient, mean, variance; a negative clip turns the kernel's clamp off; the last list
      // names the array whose gradient the engine zeroes afterwards
      p.getNDArrayInternal().adamUpdate(new NDList(p, gradients.get(name), m, v), new NDList(p), lr, stepLr, decay,
          gradScale, -1f, beta1, beta2, stepEps, false, true);
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
  }
}
