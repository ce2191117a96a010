"""Pre-annotating JSONL on two local Dask workers against one process (``bench_scale``).

The same synthetic records (a sentence to a few paragraphs each, ``bench.corpus``), in the
same partition files, through the same per-file code (``annotate_jsonl``): once in this
process, once on a two-worker ``LocalCluster``. The ratio of throughputs says what a
second core buys and what Dask's scheduling costs; on a bigger cluster it is the
per-worker efficiency to expect. The cluster's start and the workers' model loads are
timed apart, since a real run pays them once per worker, not per partition. Interleaved
best of two, because the machine is shared.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from pathlib import Path

from bench.corpus import sentence

N_SCALE = int(os.environ.get("ASSAY_BENCH_SCALE", "2000"))
PARTITIONS = 8
RUNS = 2


def scale_records(n: int, seed: int = 11) -> list[dict]:
    """``n`` records of 1 to 8 sentences, in paragraphs of up to 4, numbered so none repeat."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        sentences = [sentence(rng) for _ in range(rng.randint(1, 8))]
        paragraphs = [" ".join(sentences[k:k + 4]) for k in range(0, len(sentences), 4)]
        records.append({"text": f"Item {i}. " + "\n\n".join(paragraphs), "source": "bench",
                        "meta": {"i": i}})
    return records


def bench_scale(tmp: Path) -> dict:
    from distributed import Client, LocalCluster

    from core.jobs.dask_recipe import annotate_with_dask, preload
    from core.jobs.records_jsonl import annotate_jsonl
    from core.nlp.pipeline import load_annotator

    records = scale_records(N_SCALE)
    words = sum(len(r["text"].split()) for r in records)
    folder = tmp / "scale-in"
    folder.mkdir()
    inputs = []
    for p in range(PARTITIONS):
        path = folder / f"part-{p}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records[p::PARTITIONS]),
                        encoding="utf-8")
        inputs.append(path)
    annotator = load_annotator()

    def one_process() -> float:
        out = tmp / "scale-one"
        out.mkdir(exist_ok=True)
        started = time.perf_counter()
        for path in inputs:
            annotate_jsonl(path, out / path.name, annotator)
        return time.perf_counter() - started

    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        preload(client)
        start_s = time.perf_counter() - started
        ones, twos = [], []
        for _ in range(RUNS):  # interleaved: a slow moment of the machine hits both
            ones.append(one_process())
            report = annotate_with_dask(inputs, tmp / "scale-two", client)
            twos.append(report.seconds)
            assert report.records == N_SCALE and report.problem_count == 0
    one, two = min(ones), min(twos)
    return {"scale_records": N_SCALE, "scale_words": words,
            "scale_one_process_words_per_s": words / one,
            "scale_one_process_records_per_s": N_SCALE / one,
            "scale_two_workers_words_per_s": words / two,
            "scale_two_workers_records_per_s": N_SCALE / two,
            "scale_ratio_two_workers_vs_one": one / two,
            "scale_cluster_start_and_model_loads_s": start_s}
