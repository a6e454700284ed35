package dev.refinery.models.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for arithmetic inside an autograd graph. DJL's {@code mul(Number)}, {@code div(Number)},
 * {@code pow(Number)} and {@code maximum(Number)} wrap the number in a tensor that points into a Java direct
 * buffer and close it right after the operation; the engine's backward saves that tensor (the gradient of x·c is
 * g·c), so once the garbage collector frees the buffer, backward reads freed memory: gradients of every layer came
 * out wrong after a collection between forward and backward. A scalar made here is allocated by the engine and
 * reference-counted by it, so whatever saves it keeps it alive; its handle belongs to {@code like}'s manager.
 */
public final class Scalars {
  private Scalars() {}

  /** A 0-dimensional float32 tensor holding {@code value}, on {@code like}'s device, in its manager. */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value);
  }

  /** x · c, safe inside an autograd graph. */
  public static NDArray mul(NDArray x, double c) {
    return x.mul(of(x, c));
  }

  /** x / c, safe inside an autograd graph. */
  public static NDArray div(NDArray x, double c) {
    return x.div(of(x, c));
  }

  /** x ^ c, safe inside an autograd graph. */
  public static NDArray pow(NDArray x, double c) {
    return x.pow(of(x, c));
  }

  /** max(x, c) elementwise, safe inside an autograd graph. */
  public static NDArray maximum(NDArray x, double c) {
    return x.maximum(of(x, c));
  }
}
