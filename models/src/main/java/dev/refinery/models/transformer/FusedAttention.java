package dev.refinery.models.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Causal self-attention through PyTorch's fused {@code scaled_dot_product_attention}, which DJL 0.35.1 does not
 * expose as an operator: a {@link TorchScripts} module ({@code causal_attention.pt}, written by
 * {@code causal_attention.py} beside it) loaded into the model's manager and run through DJL. With autograd
 * recording on the calling thread (inside a gradient collector) the module's operations are recorded like any
 * other, so gradients reach q, k and v; otherwise it runs without autograd.
 */
final class FusedAttention {
  private final PtSymbolBlock module;

  /** Loads the module onto the manager's device; the manager owns it and frees it when closed. */
  FusedAttention(NDManager manager) {
    module = TorchScripts.load(manager, FusedAttention.class, "causal_attention.pt");
  }

  /**
   * softmax(q kᵀ / √d + causal mask) v per head for q, k, v [B, T, heads, d] (positions 0..T-1, every key
   * visible to the queries at or after it): [B, T, heads·d], in the manager of {@code q}.
   */
  NDArray apply(NDArray q, NDArray k, NDArray v) {
    return IValueUtils.forward(module, new NDList(q, k, v), JniUtils.isGradMode()).singletonOrThrow();
  }
}
