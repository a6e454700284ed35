package dev.refinery.models.transformer;

import ai.djl.ndarray.NDArray;

/** y = x Wᵀ + b with PyTorch's fused linear kernel. */
public record DenseLinear(NDArray weight, NDArray bias) implements LinearLayer {
  @Override
  public NDArray apply(NDArray x, boolean training) {
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }
}
