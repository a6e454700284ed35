"""Writes causal_attention.pt beside this file: a TorchScript module that runs PyTorch's fused
scaled_dot_product_attention, which DJL 0.35.1 does not expose as an operator. DecoderModel loads the module
once per model and calls it through DJL (autograd records through it, so gradients reach q, k and v).

forward(q, k, v), each [batch, time, heads, head_size] (the linear projections' outputs, viewed per head):
softmax(q kᵀ / sqrt(head_size) + causal mask) v per head, returned as [batch, time, heads * head_size].

Run with the torch that matches DJL's libtorch (2.7.1, as models/.venv-hf pins it):
  models/.venv-hf/bin/python models/src/main/resources/dev/refinery/models/transformer/causal_attention.py
The module is committed rather than generated at build time so that building Refinery needs no Python.
"""
import os

import torch
import torch.nn.functional as F


class CausalAttention(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        y = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=True)
        return y.transpose(1, 2).flatten(2)


def main():
    assert torch.__version__.startswith("2.7.1"), f"torch {torch.__version__}: DJL 0.35.1 runs libtorch 2.7.1"
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "causal_attention.pt")
    torch.jit.save(torch.jit.script(CausalAttention()), out)
    print(out)


if __name__ == "__main__":
    main()
