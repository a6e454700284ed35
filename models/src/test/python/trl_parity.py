"""The Hugging Face side of the trainer checks (run in the venv of setup_hf_venv.sh).

  trl_parity.py make OUT            a tiny random Qwen2 model (GQA 4/2, q/k/v biases) with a byte-level BPE
                                    tokenizer and Qwen2.5's chat template in OUT/base; 64 single-turn chats in
                                    OUT/sft.jsonl and 64 preference pairs in OUT/dpo.jsonl
  trl_parity.py sft OUT STEPS LR    TRL SFTTrainer on them: full batch of 64 (no order to agree on), completion-only
                                    loss, constant lr, no weight decay, Adam betas (0.9, 0.999), clip 1.0;
                                    prints {"loss": [per step]}
  trl_parity.py dpo OUT STEPS LR     TRL DPOTrainer on the 64 pairs: sigmoid loss, beta 0.1, full batch of 64, the
                                    same optimiser settings as sft, a frozen copy of the base as the reference;
                                    prints {"loss": [per step], "accuracy": [reward accuracy per step]}
  trl_parity.py peft BASE ADAPTER IDS   logits of PeftModel.from_pretrained(base, adapter) on the ids (JSON list),
                                    and of the base alone; prints {"peft": [...], "base": [...]}
"""
import json
import os
import random
import sys

import torch

from chat_templates import QWEN25

torch.set_grad_enabled(False)
# one thread: these models are tiny, and two OpenMP threads on a busy 2-core machine spin against each other
# (a 4-step DPO run took 52 s with two threads, 6 s with one)
torch.set_num_threads(1)
WORDS = ["red", "blue", "green", "cat", "dog", "sun", "moon", "tree", "fish", "bird", "stone", "river"]


def examples():
    r = random.Random(5)
    sft, dpo = [], []
    for i in range(64):
        a, b = r.choice(WORDS), r.choice(WORDS)
        q = f"say {a} and {b} twice"
        answer = f"{a} {b} {a} {b}"
        sft.append({"prompt": [{"role": "user", "content": q}], "completion": [{"role": "assistant", "content": answer}]})
        dpo.append({"prompt": [{"role": "user", "content": q}], "chosen": [{"role": "assistant", "content": answer}],
                    "rejected": [{"role": "assistant", "content": f"{b} no {r.choice(WORDS)}"}]})
    return sft, dpo


def make(out):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast, Qwen2Config

    sft, dpo = examples()
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    texts = [QWEN25] + [m["content"] for row in sft for m in row["prompt"] + row["completion"]]
    texts += [m["content"] for row in dpo for m in row["rejected"]]
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=300, special_tokens=specials,
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   additional_special_tokens=["<|im_start|>", "<|im_end|>"])
    fast.chat_template = QWEN25
    base = os.path.join(out, "base")
    fast.save_pretrained(base)
    torch.manual_seed(0)
    config = Qwen2Config(vocab_size=len(fast), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                         tie_word_embeddings=True, eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id,
                         bos_token_id=None)
    AutoModelForCausalLM.from_config(config, dtype=torch.float32).save_pretrained(base)
    with open(os.path.join(out, "sft.jsonl"), "w") as f:
        for row in sft:
            f.write(json.dumps({"messages": row["prompt"] + row["completion"]}) + "\n")
    with open(os.path.join(out, "dpo.jsonl"), "w") as f:
        for row in dpo:
            f.write(json.dumps(row) + "\n")


def sft(out, steps, lr):
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    torch.set_grad_enabled(True)
    base = os.path.join(out, "base")
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    args = SFTConfig(output_dir=os.path.join(out, "trl-sft"), per_device_train_batch_size=64, max_steps=steps,
                     learning_rate=lr, lr_scheduler_type="constant", warmup_steps=0, weight_decay=0.0,
                     adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8, max_grad_norm=1.0, logging_steps=1,
                     report_to=[], save_strategy="no", completion_only_loss=True, packing=False, use_cpu=True,
                     bf16=False, fp16=False, seed=0, max_length=128, disable_tqdm=True)
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(examples()[0]),
                         processing_class=AutoTokenizer.from_pretrained(base))
    trainer.train()
    print(json.dumps({"loss": [h["loss"] for h in trainer.state.log_history if "loss" in h]}))


def dpo(out, steps, lr):
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import DPOConfig, DPOTrainer

    torch.set_grad_enabled(True)
    base = os.path.join(out, "base")
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    reference = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    args = DPOConfig(output_dir=os.path.join(out, "trl-dpo"), per_device_train_batch_size=64, max_steps=steps,
                     learning_rate=lr, lr_scheduler_type="constant", warmup_steps=0, weight_decay=0.0,
                     adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8, max_grad_norm=1.0, logging_steps=1,
                     report_to=[], save_strategy="no", loss_type="sigmoid", beta=0.1, use_cpu=True, bf16=False,
                     fp16=False, seed=0, max_length=128, disable_tqdm=True, dataloader_drop_last=False)
    trainer = DPOTrainer(model=model, ref_model=reference, args=args, train_dataset=Dataset.from_list(examples()[1]),
                         processing_class=AutoTokenizer.from_pretrained(base))
    trainer.train()
    logged = [h for h in trainer.state.log_history if "loss" in h]
    print(json.dumps({"loss": [h["loss"] for h in logged], "accuracy": [h["rewards/accuracies"] for h in logged]}))


def peft(base, adapter, ids):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    ids = torch.tensor([json.loads(ids)])
    plain = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32).eval()
    base_logits = plain(ids).logits[0].reshape(-1).tolist()
    model = PeftModel.from_pretrained(plain, adapter).eval()
    print(json.dumps({"peft": model(ids).logits[0].reshape(-1).tolist(), "base": base_logits}))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2])
    elif cmd == "sft":
        sft(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    elif cmd == "dpo":
        dpo(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    elif cmd == "peft":
        peft(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit("unknown command " + cmd)
