"""PyTorch peer of the `pretrain-shakespeare` benchmark: nanoGPT's shakespeare-char CPU run, trained the way
nanoGPT's train.py trains it, on the same machine as ours, so that its published val loss (1.88) can be
told apart from seed and estimate noise.

Model: GPT-2 flavour without biases (LayerNorm gains only), learned positions, exact GELU, tied embeddings,
N(0, 0.02) init with the residual projections at 0.02/sqrt(2 * layers), no dropout. Data: the character
vocabulary of the whole text, the first 90% for training, the last 10% for validation, random windows of
`context` characters (nanoGPT's get_batch). Optimiser: AdamW (0.9, 0.99), weight decay on tensors of two or
more dimensions only, eps 1e-8; learning rate (it + 1) / (warmup + 1) * peak during warm-up, then cosine to
the floor at `iters`; global gradient-norm clip 1.0.

Two validation figures: nanoGPT's estimate (mean loss of 20 random validation batches, the CPU command's
eval_iters) and the mean over every non-overlapping window of the validation split (the expectation that
estimate samples, and what our benchmark reports).
With EVAL_EVERY > 0 the whole validation split is evaluated every EVAL_EVERY steps inside the timed loop, as
our trainer does (train.eval-every), so both timings hold the same work.
Usage: nanogpt_train_peer.py INPUT_TXT SEED [ITERS [EVAL_EVERY]] -> one JSON line.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LAYERS, HEADS, WIDTH, CONTEXT, BATCH = 4, 4, 128, 64, 12
PEAK_LR, MIN_LR, WARMUP, WEIGHT_DECAY, CLIP = 1e-3, 1e-4, 100, 0.1, 1.0
ESTIMATE_BATCHES = 20


class Norm(nn.Module):
    """LayerNorm with a gain and no bias."""

    def __init__(self, width):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, None, 1e-5)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm_attn, self.norm_mlp = Norm(WIDTH), Norm(WIDTH)
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH, bias=False)
        self.attn_out = nn.Linear(WIDTH, WIDTH, bias=False)
        self.mlp_in = nn.Linear(WIDTH, 4 * WIDTH, bias=False)
        self.mlp_out = nn.Linear(4 * WIDTH, WIDTH, bias=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(self.norm_attn(x)).split(WIDTH, dim=2)
        q, k, v = (z.view(b, t, HEADS, c // HEADS).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.attn_out(y.transpose(1, 2).reshape(b, t, c))
        return x + self.mlp_out(F.gelu(self.mlp_in(self.norm_mlp(x))))


class CharGpt(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.tokens = nn.Embedding(vocab, WIDTH)
        self.positions = nn.Embedding(CONTEXT, WIDTH)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.norm = Norm(WIDTH)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * LAYERS) if name.endswith(("attn_out.weight", "mlp_out.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets):
        x = self.tokens(idx) + self.positions.weight[: idx.shape[1]]
        for layer in self.layers:
            x = layer(x)
        logits = F.linear(self.norm(x), self.tokens.weight)
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))


def learning_rate(it, iters):
    if it < WARMUP:
        return PEAK_LR * (it + 1) / (WARMUP + 1)
    progress = min(1.0, (it - WARMUP) / (iters - WARMUP))
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * progress)) * (PEAK_LR - MIN_LR)


def random_batch(data):
    starts = torch.randint(len(data) - CONTEXT, (BATCH,))
    x = torch.stack([data[s : s + CONTEXT] for s in starts])
    y = torch.stack([data[s + 1 : s + 1 + CONTEXT] for s in starts])
    return x, y


@torch.no_grad()
def full_split_loss(model, data):
    n = (len(data) - 1) // CONTEXT
    x = data[: n * CONTEXT].view(n, CONTEXT)
    y = data[1 : n * CONTEXT + 1].view(n, CONTEXT)
    total = 0.0
    for i in range(0, n, 256):
        total += model(x[i : i + 256], y[i : i + 256]).item() * len(x[i : i + 256])
    return total / n


def main():
    path, seed = sys.argv[1], int(sys.argv[2])
    iters = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    eval_every = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    text = open(path, encoding="utf-8").read()
    chars = sorted(set(text))
    lookup = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([lookup[c] for c in text], dtype=torch.long)
    cut = int(0.9 * len(data))
    train, val = data[:cut], data[cut:]
    torch.manual_seed(seed)
    model = CharGpt(len(chars))
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                             {"params": no_decay, "weight_decay": 0.0}], lr=PEAK_LR, betas=(0.9, 0.99), eps=1e-8)
    start = time.perf_counter()
    model.train()
    for it in range(iters):
        for group in opt.param_groups:
            group["lr"] = learning_rate(it, iters)
        loss = model(*random_batch(train))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        opt.step()
        if eval_every > 0 and (it + 1) % eval_every == 0:
            model.eval()
            full_split_loss(model, val)
            model.train()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        estimate = sum(model(*random_batch(val)).item() for _ in range(ESTIMATE_BATCHES)) / ESTIMATE_BATCHES
    print(json.dumps({"seed": seed, "iters": iters, "val_loss": full_split_loss(model, val),
                      "val_loss_estimate": estimate, "train_loss_last": loss.item(), "seconds": seconds,
                      "tokens_per_s": iters * BATCH * CONTEXT / seconds, "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
