"""Peer side of the quality-conformance and quality-throughput benchmarks (bench/run.sh quality-*).

prepare: turns the shared trafilatura evaluation pages into documents (the main text trafilatura extracts
  and the whole visible page text, two real documents per page) plus the ChineseWebText documents, and
  writes them as JSON lines {"id", "text"}; with a limit, only the first that many (the same ones).
run: applies datatrove's GopherQualityFilter, GopherRepetitionFilter, C4QualityFilter and FineWebQualityFilter
  (defaults, English) to every document, one after the other as a pipeline would, on one core; writes
  per-document decisions {"id", "<filter>": null | reason} and the filter time in seconds.
"""
import gzip
import json
import os
import sys
import time


def prepare(shared, out_path, limit):
    import lxml.html
    import trafilatura

    base = os.path.join(shared, "extraction-trafilatura-eval")
    with open(os.path.join(base, "evaldata.json"), encoding="utf-8") as f:
        evaldata = json.load(f)
    docs = []
    for url, entry in sorted(evaldata.items()):
        if len(docs) >= limit:
            break
        name = entry["file"]
        path = next((p for p in (os.path.join(base, "cache", name + ".gz"), os.path.join(base, "eval", name + ".gz"))
                     if os.path.exists(p)), None)
        if path is None:
            continue
        with gzip.open(path, "rb") as f:
            html = f.read().decode("utf-8", errors="replace")
        main = trafilatura.extract(html, include_comments=False, include_tables=True)
        if main:
            docs.append({"id": name + "#main", "text": main})
        try:
            tree = lxml.html.fromstring(html)
            for bad in tree.xpath("//script|//style|//noscript"):
                bad.drop_tree()
            page = "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())
        except Exception:
            page = ""
        if page:
            docs.append({"id": name + "#page", "text": page})
    cwt = os.path.join(shared, "chinese-web-text")
    with open(os.path.join(cwt, "cleared1_CC-2021-43_ccnet.jsonl"), encoding="utf-8") as f:
        for i, line in enumerate(f):
            docs.append({"id": "ccnet-%d" % i, "text": json.loads(line)["raw_content"]})
    for kind in ("clean", "dirty"):
        with open(os.path.join(cwt, "fasttext_%s.jsonl" % kind), encoding="utf-8") as f:
            for i, line in enumerate(f):
                docs.append({"id": "%s-%d" % (kind, i), "text": json.loads(line)["text"]})
    docs = docs[:limit]
    with open(out_path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print("prepared %d documents" % len(docs), file=sys.stderr)


def run(docs_path, out_path):
    from datatrove.data import Document
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)

    filters = {
        "gopher_quality": GopherQualityFilter(),
        "gopher_repetition": GopherRepetitionFilter(),
        "c4": C4QualityFilter(),
        "fineweb": FineWebQualityFilter(),
    }
    with open(docs_path, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    for flt in filters.values():  # load the tokenizer before timing
        flt.filter(Document(text="Warm up the tokenizer. It is loaded once.", id="warmup"))
    results = []
    start = time.perf_counter()
    for d in docs:
        row = {"id": d["id"]}
        for name, flt in filters.items():
            try:
                verdict = flt.filter(Document(text=d["text"], id=d["id"]))
            except ZeroDivisionError:
                verdict = (False, "error:ZeroDivisionError")
            row[name] = None if verdict is True else (verdict[1] if isinstance(verdict, tuple) else "dropped")
        results.append(row)
    seconds = time.perf_counter() - start
    with open(out_path, "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
    print(json.dumps({"documents": len(docs), "seconds": seconds}))


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 2**31 - 1)
    else:
        run(sys.argv[2], sys.argv[3])
