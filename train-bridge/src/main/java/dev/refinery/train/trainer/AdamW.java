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

  /** One update of every parameter with its gradient (in place); the gradients are left untouched. */
  public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, float lr) {
    steps++;
    float c1 = (float) (1 - Math.pow(beta1, steps));
    float c2 = (float) (1 - Math.pow(beta2, steps));
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray g = gradients.get(name);
      NDArray m = first.computeIfAbsent(name, n -> p.zerosLike());
      NDArray v = second.computeIfAbsent(name, n -> p.zerosLike());
      m.muli(beta1).addi(g.mul(1 - beta1));
      v.muli(beta2).addi(g.square().muli(1 - beta2));
      // Temporaries of m and v belong to the model's manager: close them here, not at the end of training.
      try (NDArray mHat = m.div(c1); NDArray vHat = v.div(c2); NDArray denom = vHat.sqrt()) {
        mHat.divi(denom.addi(eps));
        // Autograd forbids in-place changes of a leaf that requires gradients: lift the flag for the update.
        p.setRequiresGradient(false);
        if (weightDecay > 0 && p.getShape().dimension() >= 2) {
          p.muli(1 - lr * weightDecay);
        }
        p.subi(mHat.muli(lr));
        p.setRequiresGradient(true);
      }
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
