"""Writes optimizer_kernels.pt beside this file: a TorchScript module with the step's optimizer kernels that
DJL 0.35.1 does not expose as operators (PyTorch's fused AdamW and its multi-tensor norm), so the trainer updates
a group of parameters in one native call instead of a dozen per parameter. OptimizerKernels loads it.

adamw(params, grads, exp_avgs, exp_avg_sqs, step, lr, beta1, beta2, weight_decay, eps, grad_scale):
  torch.optim.AdamW's update (fused=True) of every parameter in place, each gradient divided by `grad_scale` (a
  0-d tensor), with the moments given; `step` (a 0-d float tensor) is the update's number, from 1. Then it zeroes
  every parameter's own gradient, which the next step's backward passes add into. The lists it returns are the
  ones it changed in place: TorchScript drops in-place operations on lists whose values nothing reads.
global_norm(grads): the L2 norm of all the gradients together, a 0-d tensor.

Run with the torch that matches DJL's libtorch (2.7.1, as models/.venv-hf pins it):
  models/.venv-hf/bin/python train-bridge/src/main/resources/dev/refinery/train/trainer/optimizer_kernels.py
The module is committed rather than generated at build time so that building Refinery needs no Python.
"""
import os
from typing import List, Tuple

import torch


class OptimizerKernels(torch.nn.Module):
    @torch.jit.export
    def adamw(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
              exp_avg_sqs: List[torch.Tensor], step: torch.Tensor, lr: float, beta1: float, beta2: float,
              weight_decay: float, eps: float,
              grad_scale: torch.Tensor) -> Tuple[List[torch.Tensor], List[torch.Tensor]]:
        torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, [], [step for _ in params], lr=lr, beta1=beta1,
                            beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False,
                            grad_scale=grad_scale, found_inf=None)
        own = [p.grad for p in params]
        torch._foreach_zero_(own)
        return params, own

    @torch.jit.export
    def global_norm(self, grads: List[torch.Tensor]) -> torch.Tensor:
        return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads, 2.0)), 2.0)


def main():
    assert torch.__version__.startswith("2.7.1"), f"torch {torch.__version__}: DJL 0.35.1 runs libtorch 2.7.1"
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer_kernels.pt")
    torch.jit.save(torch.jit.script(OptimizerKernels()), out)
    print(out)


if __name__ == "__main__":
    main()
