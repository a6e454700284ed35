"""PyTorch eager peer of the `models` benchmark: the same decoder as refinery-models (pre-LayerNorm, separate
q/k/v/o linears with biases, causal attention through scaled_dot_product_attention (as refinery-models runs it
for whole sequences), exact GELU, learned positions, tied embeddings), timed on
forward + backward (gradients reset each step) over random tinyshakespeare character batches.
Usage: nanogpt_peer.py INPUT_TXT LAYERS HEADS WIDTH CONTEXT BATCH WARMUP ITERS [ROUNDS]
Without ROUNDS: warms up, times ITERS steps, prints one JSON line. With ROUNDS: warms up, prints {"ready": true},
then times ITERS steps each time a line arrives on stdin (ROUNDS times), printing {"round": r, "seconds": s}
after each, so a caller can interleave its own rounds with these (the host's speed drifts over tens of seconds);
the summary JSON line comes last either way."""
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
        self.up, self.down = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)

    def forward(self, x):
        b, t, c = x.shape
        d = c // self.heads
        h = self.norm1(x)
        q = self.q(h).view(b, t, self.heads, d).transpose(1, 2)
        k = self.k(h).view(b, t, self.heads, d).transpose(1, 2)
        v = self.v(h).view(b, t, self.heads, d).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.o(y.transpose(1, 2).reshape(b, t, c))
        return x + self.down(F.gelu(self.up(self.norm2(x))))


class Decoder(nn.Module):
    def __init__(self, vocab, ctx, layers, heads, width):
        super().__init__()
        self.embed, self.pos = nn.Embedding(vocab, width), nn.Embedding(ctx, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(width)

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.embed(idx) + self.pos.weight[:t]
        for blk in self.blocks:
            x = blk(x)
        logits = F.linear(self.norm(x), self.embed.weight)
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    path, layers, heads, width, ctx, batch, warmup, iters = sys.argv[1], *map(int, sys.argv[2:9])
    text = open(path, encoding="utf-8").read()
    chars = sorted(set(text))
    lookup = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([lookup[c] for c in text], dtype=torch.long)
    torch.manual_seed(0)
    model = Decoder(len(chars) + 5, ctx, layers, heads, width)
    params = sum(p.numel() for p in model.parameters())

    def batch_at(i):
        g = torch.Generator().manual_seed(i)
        starts = torch.randint(len(data) - ctx - 1, (batch,), generator=g)
        x = torch.stack([data[s:s + ctx] for s in starts])
        y = torch.stack([data[s + 1:s + ctx + 1] for s in starts])
        return x, y

    rounds = int(sys.argv[9]) if len(sys.argv) > 9 else 0
    batches = [batch_at(i) for i in range(warmup + iters * max(rounds, 1))]

    def steps(first, count):
        start = time.perf_counter()
        for i in range(first, first + count):
            model.zero_grad(set_to_none=True)
            model(*batches[i]).backward()
        return time.perf_counter() - start

    steps(0, warmup)
    if rounds:
        print(json.dumps({"ready": True}), flush=True)
        seconds = 0.0
        for r in range(rounds):
            sys.stdin.readline()
            s = steps(warmup + r * iters, iters)
            seconds += s
            print(json.dumps({"round": r, "seconds": s}), flush=True)
    else:
        seconds = steps(warmup, iters)
    total = iters * max(rounds, 1)
    print(json.dumps({"tokens_per_s": total * batch * ctx / seconds, "seconds": seconds, "params": params,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
