package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.refinery.models.transformer.TorchScripts;
import java.util.List;

/**
 * PyTorch's fused AdamW and multi-tensor gradient norm, which DJL 0.35.1 does not expose: the module
 * {@code optimizer_kernels.pt} (written by {@code optimizer_kernels.py} beside it, which documents it), loaded onto
 * one device. The whole optimizer step is one native call over the lists of tensors, run without autograd.
 */
final class OptimizerKernels implements AutoCloseable {
  private final PtSymbolBlock module;

  /** Loads the module onto {@code manager}'s device (the manager frees it when closed, if this has not). */
  OptimizerKernels(NDManager manager) {
    module = TorchScripts.load(manager, OptimizerKernels.class, "optimizer_kernels.pt");
  }

  /**
   * The optimizer step in one native call: the global norm of the gradients, clipped to {@code maxNorm} (0: no
   * clipping) by a divisor computed on the device, then torch.optim.AdamW's update of {@code params} in place
   * (moments {@code m}, {@code v} updated in place), the first {@code decayed} with {@code weightDecay} and the rest
   * with none; {@code step} counts updates from 1. {@code grads} empty: the parameters' own gradients, read where
   * they are. Zeroes the parameters' own gradients. Returns the norm before clipping, a 0-d tensor in {@code into}.
   */
  NDArray clippedAdamw(List<NDArray> params, int decayed, List<NDArray> grads, List<NDArray> m, List<NDArray> v,
      NDArray step, float lr, float beta1, float beta2, float weightDecay, float eps, float maxNorm, NDManager into) {
    try (IValue out = run("clipped_adamw", tensors(params), IValue.from((long) decayed), tensors(grads), tensors(m),
        tensors(v), IValue.from((PtNDArray) step), IValue.from((double) lr), IValue.from((double) beta1),
        IValue.from((double) beta2), IValue.from((double) weightDecay), IValue.from((double) eps),
        IValue.from((double) maxNorm))) {
      IValue[] parts = out.toIValueTuple();
      try {
        return parts[0].toTensor((PtNDManager) into);
      } finally {
        for (IValue part : parts) {
          part.close();
        }
      }
    }
  }

  private IValue run(String method, IValue... inputs) {
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return IValueUtils.runMethod(module, method, inputs);
    } finally {
      JniUtils.setGradMode(recording);
      for (IValue in : inputs) {
        in.close();
      }
    }
  }

  private static IValue tensors(List<NDArray> arrays) {
    return IValue.listFrom(arrays.toArray(PtNDArray[]::new));
  }

  @Override
  public void close() {
    module.close();
  }
}
