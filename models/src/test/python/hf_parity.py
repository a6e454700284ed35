"""The transformers side of HfParityTest (run in the venv of setup_hf_venv.sh).

  hf_parity.py make OUT       builds tiny random Llama/Qwen2/Mistral models with transformers itself (GQA 4/2,
                              tied and untied embeddings, Qwen2 biases, head_dim apart from width, llama3 and
                              linear rope scaling, a bf16 save, a sharded save), saves each under OUT/NAME and
                              writes OUT/expected.json: per model the prompt ids, the fp32 logits and 32 greedy tokens
  hf_parity.py logits JSON    JSON maps folders to token ids; prints, as JSON, each folder's fp32 logits on its ids
                              as AutoModelForCausalLM.from_pretrained reads it (and loads AutoTokenizer from the
                              folders holding a tokenizer.json)
"""
import json
import os
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, MistralConfig, Qwen2Config

torch.set_grad_enabled(False)
torch.set_num_threads(1)  # tiny models: two threads on a busy 2-core machine only spin against each other
COMMON = dict(vocab_size=128, hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
              max_position_embeddings=64, rms_norm_eps=1e-6)


def variants():
    return {
        "llama_gqa_untied": (LlamaConfig(**COMMON, num_key_value_heads=2, tie_word_embeddings=False), {}),
        "llama_tied_llama3_headdim": (LlamaConfig(**COMMON, num_key_value_heads=2, tie_word_embeddings=True,
                                                  head_dim=24, rope_theta=500000.0,
                                                  rope_scaling={"rope_type": "llama3", "factor": 8.0,
                                                                "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                                                "original_max_position_embeddings": 16}), {}),
        "qwen2_bias_linear_rope": (Qwen2Config(**COMMON, num_key_value_heads=2, tie_word_embeddings=True,
                                               rope_scaling={"rope_type": "linear", "factor": 2.0}), {}),
        "mistral_sharded": (MistralConfig(**COMMON, num_key_value_heads=1, tie_word_embeddings=False),
                            {"max_shard_size": "40KB"}),
        "llama_bf16": (LlamaConfig(**COMMON, num_key_value_heads=4, tie_word_embeddings=False), {"bf16": True}),
    }


def randomize(model, seed):
    # transformers initialises biases to 0 and norms to 1; random values make every parameter count in the check.
    g = torch.Generator().manual_seed(seed)
    for name, p in model.named_parameters():
        noise = torch.randn(p.shape, generator=g)
        p.copy_(1 + 0.1 * noise if "norm" in name else 0.2 * noise)


def greedy(model, ids, steps):
    seq = torch.tensor([ids])
    for _ in range(steps):
        nxt = model(seq).logits[0, -1].argmax()
        seq = torch.cat([seq, nxt.view(1, 1)], dim=1)
    return seq[0, len(ids):].tolist()


def make(out):
    expected = {}
    for i, (name, (config, opts)) in enumerate(variants().items()):
        torch.manual_seed(i)
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32).eval()
        randomize(model, 100 + i)
        folder = os.path.join(out, name)
        if opts.get("bf16"):
            model.to(torch.bfloat16).save_pretrained(folder)
        else:
            model.save_pretrained(folder, max_shard_size=opts.get("max_shard_size", "5GB"))
        # The reference is the saved folder as transformers reads it, in fp32 (bf16 weights widen exactly).
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
        g = torch.Generator().manual_seed(7 + i)
        ids = torch.randint(0, config.vocab_size, (16,), generator=g).tolist()
        logits = model(torch.tensor([ids])).logits[0]
        expected[name] = {"ids": ids, "logits": logits.reshape(-1).tolist(), "greedy": greedy(model, ids, 32)}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)


def logits(request):
    with open(request) as f:
        folders = json.load(f)
    out = {}
    for folder, ids in folders.items():
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
        if os.path.exists(os.path.join(folder, "tokenizer.json")):
            AutoTokenizer.from_pretrained(folder)
        out[folder] = model(torch.tensor([ids])).logits[0].reshape(-1).tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        logits(sys.argv[2])
