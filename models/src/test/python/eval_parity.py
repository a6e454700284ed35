"""The reference side of the evaluation checks (run in the venv of setup_hf_venv.sh).

  eval_parity.py make OUT                  a tiny random Llama (context 64) with a byte-level BPE tokenizer in
                                           OUT/model; OUT/texts.jsonl (texts with domain and language) and
                                           OUT/quiz.jsonl (multiple-choice questions), both written here; and
                                           OUT/tasks/quiz.yaml and quiz_2shot.yaml, lm-evaluation-harness tasks
                                           over quiz.jsonl, 0-shot and 2-shot (examples from the same file)
  eval_parity.py ppl OUT MAX_LENGTH STRIDE transformers' perplexity guide (strided windows) on each text of
                                           texts.jsonl; prints {"GROUP": [nll, tokens]} for "all" and each domain
  eval_parity.py lmeval OUT                lm_eval --model hf (float32, CPU) on both quiz tasks with --log_samples;
                                           prints {TASK: {"acc", "acc_norm", "loglikelihoods": [[per choice] per
                                           question], "contexts": [per question]}} for refinery_quiz and
                                           refinery_quiz_2shot
"""
import glob
import json
import os
import re
import subprocess
import sys

import torch

torch.set_grad_enabled(False)
TEXTS = [
    ("news", "en", "The river rose after three days of rain, and the town council met at noon to decide which roads "
                   "to close. By evening the water had reached the old mill, and volunteers carried sandbags."),
    ("news", "en", "A small bakery on the corner won the regional prize for its rye bread this year; the owner said "
                   "the secret was patience and a starter kept alive for twenty years."),
    ("wiki", "en", "A lighthouse is a tower that emits light from a system of lamps and lenses to guide ships at "
                   "sea. Many were built on rocky coasts where the danger of running aground was greatest."),
    ("wiki", "de", "Ein Leuchtturm ist ein Turm, der mit Lampen und Linsen Licht aussendet, um Schiffe auf See zu "
                   "leiten. Viele stehen an felsigen Küsten."),
]
QUIZ = [
    ("Which animal says moo?", ["a cow", "a cat", "a fish"], 0),
    ("What colour is the clear daytime sky?", ["green", "blue", "red", "black"], 1),
    ("How many legs does a spider have?", ["six", "four", "eight"], 2),
    ("Water freezes at what temperature in Celsius?", ["zero degrees", "fifty degrees"], 0),
    ("Which one is a fruit?", ["a hammer", "an apple", "a chair"], 1),
    ("The opposite of hot is", ["cold", "loud", "tall"], 0),
]
TASK = """task: {name}
dataset_path: json
dataset_kwargs:
  data_files:
    test: {file}
test_split: test
output_type: multiple_choice
doc_to_text: query
doc_to_choice: choices
doc_to_target: gold
target_delimiter: " "
{fewshot}metric_list:
  - metric: acc
  - metric: acc_norm
"""


def byte_bpe(corpus, vocab_size):
    """A byte-level BPE tokenizer trained on corpus, <|endoftext|> as eos and pad, as transformers loads it."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<|endoftext|>"],
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<|endoftext|>")


def write_quiz(out, name, rows, shots=()):
    """OUT/quiz.jsonl of {query, choices, gold} rows, OUT/tasks/quiz.yaml (harness task NAME over it, 0-shot) and
    for each k of shots OUT/tasks/quiz_{k}shot.yaml (task NAME_{k}shot: k solved questions of the same file before
    each question, the question itself left out, as a few-shot split equal to the test split does)."""
    with open(os.path.join(out, "quiz.jsonl"), "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    os.makedirs(os.path.join(out, "tasks"), exist_ok=True)
    file = os.path.abspath(os.path.join(out, "quiz.jsonl"))
    with open(os.path.join(out, "tasks", "quiz.yaml"), "w") as f:
        f.write(TASK.format(name=name, file=file, fewshot=""))
    for k in shots:
        with open(os.path.join(out, "tasks", f"quiz_{k}shot.yaml"), "w") as f:
            f.write(TASK.format(name=f"{name}_{k}shot", file=file, fewshot=f"fewshot_split: test\nnum_fewshot: {k}\n"))


def make(out):
    from transformers import AutoModelForCausalLM, LlamaConfig

    os.makedirs(out, exist_ok=True)
    corpus = [t for _, _, t in TEXTS] + [q + " " + " ".join(c) for q, c, _ in QUIZ]
    fast = byte_bpe(corpus, 320)
    folder = os.path.join(out, "model")
    fast.save_pretrained(folder)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(fast), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                         tie_word_embeddings=False, eos_token_id=fast.eos_token_id, bos_token_id=None,
                         pad_token_id=fast.pad_token_id)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32).eval()
    g = torch.Generator().manual_seed(3)
    for name, p in model.named_parameters():
        noise = torch.randn(p.shape, generator=g)
        p.copy_(1 + 0.1 * noise if "norm" in name else 0.2 * noise)
    model.save_pretrained(folder)
    with open(os.path.join(out, "texts.jsonl"), "w") as f:
        for d, lang, t in TEXTS:
            f.write(json.dumps({"text": t, "domain": d, "language": lang}) + "\n")
    write_quiz(out, "refinery_quiz", [{"query": q, "choices": c, "gold": g} for q, c, g in QUIZ], shots=(2,))


def ppl(out, max_length, stride):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = os.path.join(out, "model")
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    sums = {}
    with open(os.path.join(out, "texts.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for row in rows:
        ids = torch.tensor([tok(row["text"], add_special_tokens=False).input_ids])
        seq_len = ids.size(1)
        nll_sum, n_tokens, prev_end = 0.0, 0, 0
        # transformers' perplexity guide's windows; the loss is a mean over the labels left after the model's
        # internal shift, so it weighs by their count (the guide subtracts one per row, one too many whenever
        # the window's first label is already masked, which is every window after the first)
        for begin in range(0, seq_len, stride):
            end = min(begin + max_length, seq_len)
            trg_len = end - prev_end
            input_ids = ids[:, begin:end]
            target_ids = input_ids.clone()
            target_ids[:, :-trg_len] = -100
            loss = model(input_ids, labels=target_ids).loss
            num_loss_tokens = (target_ids[:, 1:] != -100).sum().item()
            nll_sum += loss.item() * num_loss_tokens
            n_tokens += num_loss_tokens
            prev_end = end
            if end == seq_len:
                break
        for group in ("all", row["domain"]):
            s = sums.setdefault(group, [0.0, 0])
            s[0] += nll_sum
            s[1] += n_tokens
    print(json.dumps(sums))


def lmeval(out):
    results = os.path.join(out, "lmeval")
    tasks = ["refinery_quiz", "refinery_quiz_2shot"]
    env = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    subprocess.run([sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args",
                    "pretrained=" + os.path.join(out, "model") + ",dtype=float32", "--device", "cpu",
                    "--include_path", os.path.join(out, "tasks"), "--tasks", ",".join(tasks), "--batch_size", "1",
                    "--output_path", results, "--log_samples"], check=True, env=env, stdout=sys.stderr)
    report = {}
    for task in tasks:
        # samples_TASK_<date>.jsonl: the date keeps refinery_quiz's apart from refinery_quiz_2shot's
        [samples] = [p for p in glob.glob(os.path.join(results, "**", "samples_*.jsonl"), recursive=True)
                     if re.fullmatch(re.escape(f"samples_{task}_") + r"\d{4}-\d\d-\d\dT.*\.jsonl", os.path.basename(p))]
        docs = {}
        with open(samples) as f:
            for line in f:
                s = json.loads(line)
                docs[s["doc_id"]] = s
        ordered = [docs[i] for i in sorted(docs)]
        report[task] = {
            "acc": sum(d["acc"] for d in ordered) / len(ordered),
            "acc_norm": sum(d["acc_norm"] for d in ordered) / len(ordered),
            "loglikelihoods": [[float(r[0][0]) for r in d["resps"]] for d in ordered],
            "contexts": [d["arguments"]["gen_args_0"]["arg_0"] for d in ordered],
        }
    print(json.dumps(report))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2])
    elif cmd == "ppl":
        ppl(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "lmeval":
        lmeval(sys.argv[2])
    else:
        raise SystemExit(__doc__)
