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
 * {@code optimizer_kernels.pt} (written by {@code optimizer_kernels.py} beside it, which documents each method),
 * loaded onto one device. Each method is one native call over a whole list of tensors, run without autograd.
 */
final class OptimizerKernels implements AutoCloseable {
  private final PtSymbolBlock module;

  /** Loads the module onto {@code manager}'s device (the manager frees it when closed, if this has not). */
  OptimizerKernels(NDManager manager) {
    module = TorchScripts.load(manager, OptimizerKernels.class, "optimizer_kernels.pt");
  }

  /**
   * torch.optim.AdamW's update of {@code params} in place (moments {@code m}, {@code v} updated in place), each
   * gradient divided by {@code gradScale}; {@code step} counts updates from 1. Zeroes the parameters' own gradients.
   */
  void adamw(List<NDArray> params, List<NDArray> grads, List<NDArray> m, List<NDArray> v, NDArray step, float lr,
      float beta1, float beta2, float weightDecay, float eps, NDArray gradScale) {
    run("adamw", tensors(params), tensors(grads), tensors(m), tensors(v), IValue.from((PtNDArray) step),
        IValue.from((double) lr), IValue.from((double) beta1), IValue.from((double) beta2),
        IValue.from((double) weightDecay), IValue.from((double) eps), IValue.from((PtNDArray) gradScale)).close();
  }

  /** The L2 norm of all of {@code grads} together: a 0-d tensor in {@code into}. */
  NDArray globalNorm(List<NDArray> grads, NDManager into) {
    try (IValue out = run("global_norm", tensors(grads))) {
      return out.toTensor((PtNDManager) into);
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
