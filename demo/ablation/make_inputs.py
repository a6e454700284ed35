#!/usr/bin/env python3
"""Writes the inputs of the ablation demo (conf/ablate-demo.conf) from the shared data sets, outside the repo.

tinyshakespeare's input.txt is cut into documents of whole speeches (about 1,500 characters each): the first
90% become corpus/train.jsonl, the last 10% heldout.jsonl (the clean held-out slice every variant is evaluated
on, never trained on). The rest of corpus/ is what a crawl adds: corpus/mirrors.jsonl, 60 of the training
documents again, each 8 times under other URLs with the mirror's own header line (near-duplicates, not exact
copies), and copies of real junk from the shared data: chinese-web-text's dirty examples and the
warc-samples WARC files (mostly Chinese spam).

usage: make_inputs.py OUT_DIR   (reads $REFINERY_SHARED_DATA, default ../shared/data beside the project)
"""
import json
import os
import random
import shutil
import sys

HOME = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("REFINERY_SHARED_DATA", os.path.join(HOME, "..", "shared", "data"))
DOC_CHARS = 1500
MIRRORED_DOCS = 60
MIRRORS = 8


def documents(text):
    """Consecutive speeches (blank-line separated) grouped into documents of at least DOC_CHARS characters."""
    docs, current = [], []
    for speech in text.split("\n\n"):
        current.append(speech)
        if sum(len(s) for s in current) >= DOC_CHARS:
            docs.append("\n\n".join(current))
            current = []
    if current:
        docs.append("\n\n".join(current))
    return docs


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_inputs.py OUT_DIR")
    out = sys.argv[1]
    corpus = os.path.join(out, "corpus")
    os.makedirs(corpus, exist_ok=True)
    with open(os.path.join(SHARED, "tinyshakespeare", "input.txt"), encoding="utf-8") as f:
        text = f.read()
    cut = text.rfind("\n\n", 0, int(len(text) * 0.9))
    train = documents(text[:cut])
    heldout = documents(text[cut + 2:])
    write(os.path.join(corpus, "train.jsonl"),
          [{"id": f"play-{i}", "url": f"https://plays.example.org/tiny/{i}", "text": t} for i, t in enumerate(train)])
    write(os.path.join(out, "heldout.jsonl"), [{"text": t} for t in heldout])
    rnd = random.Random(7)
    mirrors = []
    for i in sorted(rnd.sample(range(len(train)), MIRRORED_DOCS)):
        for m in range(MIRRORS):
            header = f"Mirror {m} of the complete works - page {i} - back to index"
            mirrors.append({"id": f"mirror-{m}-{i}", "url": f"https://mirror{m}.example.net/works/{i}.html",
                            "text": header + "\n\n" + train[i]})
    write(os.path.join(corpus, "mirrors.jsonl"), mirrors)
    for name in ("chinese-web-text/fasttext_dirty.jsonl", "warc-samples/dolma-wget/sample-0000.warc.gz",
                 "warc-samples/dolma-wget/sample-0001.warc.gz", "warc-samples/resiliparse/warcfile.warc.gz"):
        shutil.copyfile(os.path.join(SHARED, name), os.path.join(corpus, name.split("/", 1)[1].replace("/", "-")))
    print(f"{out}: corpus/train.jsonl {len(train)} documents, heldout.jsonl {len(heldout)}, mirrors.jsonl {len(mirrors)}")


if __name__ == "__main__":
    main()
