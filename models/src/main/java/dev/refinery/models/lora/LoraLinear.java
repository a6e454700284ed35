package dev.refinery.models.lora;

import ai.djl.ndarray.NDArray;
import dev.refinery.models.transformer.LinearLayer;
import dev.refinery.models.transformer.Scalars;

/** base(x) + (alpha/r) · dropout(x) Aᵀ Bᵀ, with the base frozen and B starting at zero. */
record LoraLinear(LinearLayer base, NDArray a, NDArray b, float scale, float dropout) implements LinearLayer {
  @Override
  public NDArray apply(NDArray x, boolean training) {
    NDArray in = training && dropout > 0 ? x.getNDArrayInternal().dropout(x, dropout, true).get(0) : x;
    NDArray low = in.getNDArrayInternal().linear(in, a, null).singletonOrThrow();
    NDArray delta = low.getNDArrayInternal().linear(low, b, null).singletonOrThrow();
    return base.apply(x, training).add(Scalars.mul(delta, scale));
  }

  @Override
  public NDArray weight() {
    return base.weight();
  }
}
