"""The lm-evaluation-harness side of `bench/run.sh eval` (run in models/.venv-hf, which setup_hf_venv.sh makes).

  eval_peer.py make DIR LAYERS WIDTH HEADS QUESTIONS   a random Llama (context 512) with a byte-level BPE
        tokenizer (vocabulary 2000) in DIR/model, DIR/quiz.jsonl of QUESTIONS generated four-choice questions of
        about 150 tokens each, and DIR/tasks/quiz.yaml, a harness task over that file
  eval_peer.py run DIR BATCH   lm-eval's HFLM (float32, CPU, batch BATCH) on the task; the model is loaded
        before the clock starts; prints {"requests", "seconds"} of simple_evaluate (request building, the
        harness's length-sorted batching, scoring)
"""
import json
import os
import random
import sys
import time

import torch

# the tokenizer and the harness task are made as in the parity check's script (one home for both)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "models", "src", "test",
                                "python"))
from eval_parity import byte_bpe, write_quiz  # noqa: E402

WORDS = ("river stone light market garden winter harbour engine letter bridge forest window silver village "
         "morning theory signal paper mountain kitchen station island number colour music doctor language "
         "machine summer animal school father mother friend orange yellow market story").split()


def sentence(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))


def make(out, layers, width, heads, questions):
    from transformers import AutoModelForCausalLM, LlamaConfig

    r = random.Random(11)
    rows = []
    for _ in range(questions):
        rows.append({"query": sentence(r, 140) + " ?", "choices": [sentence(r, r.randint(3, 12)) for _ in range(4)],
                     "gold": r.randrange(4)})
    fast = byte_bpe([row["query"] + " " + " ".join(row["choices"]) for row in rows], 2000)
    folder = os.path.join(out, "model")
    fast.save_pretrained(folder)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(fast), hidden_size=width, intermediate_size=width * 8 // 3,
                         num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=heads,
                         max_position_embeddings=512, tie_word_embeddings=False, bos_token_id=None,
                         eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id)
    AutoModelForCausalLM.from_config(config, dtype=torch.float32).save_pretrained(folder)
    write_quiz(out, "bench_quiz", rows)


def run(out, batch):
    os.environ.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager

    lm = HFLM(pretrained=os.path.join(out, "model"), dtype="float32", device="cpu", batch_size=batch)
    tasks = TaskManager(include_path=os.path.join(out, "tasks"))
    with open(os.path.join(out, "quiz.jsonl")) as f:
        requests = sum(len(json.loads(line)["choices"]) for line in f if line.strip())
    start = time.perf_counter()
    lm_eval.simple_evaluate(model=lm, tasks=["bench_quiz"], task_manager=tasks, batch_size=batch)
    print(json.dumps({"requests": requests, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], *map(int, sys.argv[3:7]))
    elif sys.argv[1] == "run":
        run(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
