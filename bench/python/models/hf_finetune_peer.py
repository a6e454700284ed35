"""The peer of `bench/run.sh hf-finetune` (run in the venv of models/src/test/python/setup_hf_venv.sh).

  hf_finetune_peer.py make OUT LAYERS WIDTH HEADS KV_HEADS VOCAB SEQ EXAMPLES
      a random Llama-shaped model (SwiGLU, RMSNorm, GQA) saved by transformers in OUT/base with a word-level
      tokenizer of VOCAB tokens ("w0" ...) and a ChatML template; EXAMPLES single-turn chats in OUT/chats.jsonl whose
      rendered length is exactly SEQ tokens (so neither side pads)
  hf_finetune_peer.py train OUT STEPS BATCH RANK
      LoRA SFT with TRL's SFTTrainer + PEFT (rank RANK, alpha 2*RANK, q_proj and v_proj, completion-only loss,
      constant lr 1e-4, no dropout, fp32, CPU); prints {"tokens_per_s", "peak_rss_mb", "steps", "seconds"}
"""
import json
import os
import random
import sys

import torch

CHATML = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + "
          "'<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "user", "assistant"]


def make(out, layers, width, heads, kv_heads, vocab, seq, examples):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import AutoModelForCausalLM, LlamaConfig, PreTrainedTokenizerFast

    words = {w: i for i, w in enumerate(SPECIALS + [f"w{i}" for i in range(vocab - len(SPECIALS) - 1)] + ["<unk>"])}
    tok = Tokenizer(models.WordLevel(words, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   unk_token="<unk>", additional_special_tokens=["<|im_start|>", "<|im_end|>"])
    fast.chat_template = CHATML
    base = os.path.join(out, "base")
    fast.save_pretrained(base)
    config = LlamaConfig(vocab_size=vocab, hidden_size=width, intermediate_size=width * 11 // 4,
                         num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=kv_heads,
                         max_position_embeddings=seq, tie_word_embeddings=False, eos_token_id=fast.eos_token_id,
                         pad_token_id=fast.pad_token_id, bos_token_id=None)
    torch.manual_seed(0)
    AutoModelForCausalLM.from_config(config, dtype=torch.float32).save_pretrained(base)
    # <|im_start|> user <words> <|im_end|> <|im_start|> assistant <words> <|im_end|>: 6 tokens around the words
    r = random.Random(1)
    prompt_words = (seq - 6) // 2
    answer_words = seq - 6 - prompt_words
    with open(os.path.join(out, "chats.jsonl"), "w") as f:
        for _ in range(examples):
            q = " ".join(f"w{r.randrange(vocab - len(SPECIALS) - 1)}" for _ in range(prompt_words))
            a = " ".join(f"w{r.randrange(vocab - len(SPECIALS) - 1)}" for _ in range(answer_words))
            f.write(json.dumps({"messages": [{"role": "user", "content": q},
                                             {"role": "assistant", "content": a}]}) + "\n")


def peak_rss_mb():
    # VmHWM starts afresh at exec; getrusage's ru_maxrss would carry the forking JVM's resident size over.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def train(out, steps, batch, rank):
    import time

    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    base = os.path.join(out, "base")
    rows = []
    with open(os.path.join(out, "chats.jsonl")) as f:
        for line in f:
            m = json.loads(line)["messages"]
            rows.append({"prompt": m[:1], "completion": m[1:]})
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    seq = model.config.max_position_embeddings
    args = SFTConfig(output_dir=os.path.join(out, "trl"), per_device_train_batch_size=batch, max_steps=steps,
                     learning_rate=1e-4, lr_scheduler_type="constant", warmup_steps=0, weight_decay=0.0,
                     max_grad_norm=1.0, logging_steps=1, report_to=[], save_strategy="no",
                     completion_only_loss=True, packing=False, use_cpu=True, bf16=False, fp16=False, seed=0,
                     max_length=seq, disable_tqdm=True)
    lora = LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.0, bias="none", target_modules=["q_proj", "v_proj"],
                      task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows), processing_class=tokenizer,
                         peft_config=lora)
    t0 = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    print(json.dumps({"tokens_per_s": steps * batch * seq / seconds, "peak_rss_mb": peak, "steps": steps,
                      "seconds": seconds}))


if __name__ == "__main__":
    a = sys.argv
    if a[1] == "make":
        make(a[2], *map(int, a[3:10]))
    elif a[1] == "train":
        train(a[2], int(a[3]), int(a[4]), int(a[5]))
    else:
        raise SystemExit("unknown command " + a[1])
