package dev.refinery.models.transformer;

import ai.djl.ndarray.NDArray;

/** A linear map inside the model; LoRA replaces some of them by wrappers. */
public interface LinearLayer {
  NDArray apply(NDArray x, boolean training);

  /** The base weight ({@code out × in}). */
  NDArray weight();
}
