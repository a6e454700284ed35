"""Writes optimizer_kernels.pt beside this file: a TorchScript module with the step's optimizer kernels that
DJL 0.35.1 does not expose as operators (PyTorch's fused AdamW and its multi-tensor norm), so the trainer updates
a group of parameters in one native call instead of a dozen per parameter. OptimizerKernels loads it.

clipped_adamw(params, decayed, grads, exp_avgs, exp_avg_sqs, step, lr, beta1, beta2, weight_decay, eps, max_norm):
  the whole optimizer step in one call. The global L2 norm of the gradients (`grads`, or with an empty list the
  parameters' own, which then never leave the engine), and from it the clipping divisor, on the device (no wait
  for the host); then torch.optim.AdamW's update (fused=True) of every parameter in place, each gradient divided
  by that divisor: the first `decayed` parameters with `weight_decay`, the rest (biases, norm gains) with none.
  `step` (a 0-d float tensor) is the update's number, from 1. Then it zeroes every parameter's own gradient,
  which the next step's backward passes add into. It returns the norm (read by the host only when it logs it)
  and the lists it changed in place: TorchScript drops in-place operations on lists whose values nothing reads.

Run with the torch that matches DJL's libtorch (2.7.1, as models/.venv-hf pins it):
  models/.venv-hf/bin/python train-bridge/src/main/resources/dev/refinery/train/trainer/optimizer_kernels.py
The module is committed rather than generated at build time so that building Refinery needs no Python.
"""
import os
from typing import List, Tuple

import torch


class OptimizerKernels(torch.nn.Module):
    @torch.jit.export
    def clipped_adamw(self, params: List[torch.Tensor], decayed: int, grads: List[torch.Tensor],
                      exp_avgs: List[torch.Tensor], exp_avg_sqs: List[torch.Tensor], step: torch.Tensor, lr: float,
                      beta1: float, beta2: float, weight_decay: float, eps: float,
                      max_norm: float) -> Tuple[torch.Tensor, List[List[torch.Tensor]]]:
        if len(grads) == 0:
            grads = [p.grad for p in params]
        norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads, 2.0)), 2.0)
        divisor = torch.ones_like(norm)
        if max_norm > 0:
            divisor = torch.where(norm > max_norm, (norm + 1e-6) / max_norm, divisor)
        changed: List[List[torch.Tensor]] = []
        for lo, hi, decay in [(0, decayed, weight_decay), (decayed, len(params), 0.0)]:
            if hi > lo:
                p = params[lo:hi]
                m = exp_avgs[lo:hi]
                v = exp_avg_sqs[lo:hi]
                torch._fused_adamw_(p, grads[lo:hi], m, v, [], [step for _ in p], lr=lr, beta1=beta1, beta2=beta2,
                                    weight_decay=decay, eps=eps, amsgrad=False, maximize=False, grad_scale=divisor,
                                    found_inf=None)
                changed += [p, m, v]
        own = [p.grad for p in params]
        torch._foreach_zero_(own)
        changed.append(own)
        return norm, changed


def main():
    assert torch.__version__.startswith("2.7.1"), f"torch {torch.__version__}: DJL 0.35.1 runs libtorch 2.7.1"
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer_kernels.pt")
    torch.jit.save(torch.jit.script(OptimizerKernels()), out)
    print(out)


if __name__ == "__main__":
    main()
