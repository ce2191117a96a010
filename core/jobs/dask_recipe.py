"""Pre-annotating JSONL on a Dask cluster: a ``dask.bag`` of the files, one partition each.

The optional extra ``pip install assay[scale]`` brings Dask; nothing in the app imports
this module (the bundle does not carry Dask), and Dask itself is imported only inside
:func:`annotate_with_dask`, so a worker that merely runs a partition needs none of it.

The recipe::

    jobs = [(input_path, output_path), ...]                    # one partition per file
    bag = dask.bag.from_sequence(jobs, npartitions=len(jobs))
    bag.map(_annotate_file, ...).compute(scheduler=client)     # each: annotate_jsonl

Each worker process loads the pipeline once (:func:`_annotator` caches it in a module
variable, keyed by model and labels) and streams its file through
``core.jobs.records_jsonl.annotate_jsonl``, the same code as ``assay-cli annotate-jsonl``:
the import's decoding, constant memory, the output written atomically. Only a summary per
file comes back: records, suggestions and the problems (a line that is not JSON, a record
the import would refuse) with their file and line.

Why not ``read_text(...).map(json.loads)`` and ``to_textfiles``, the textbook bag: with
``blocksize=None`` ``read_text`` holds each whole file in a worker's memory as a list;
``to_textfiles`` writes straight to the final name, so a failed run leaves half files that
``out/*.jsonl`` picks up; and returning the problems as well means a second result from the
same partitions, which ``to_textfiles(compute=False)`` cannot share (it optimises its graph
on its own through ``to_delayed``: measured, every partition was annotated twice).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Any

from core.errors import AssayError
from core.jobs.records_jsonl import annotate_jsonl

# Problems named per input file; the rest are only counted.
MAX_PROBLEMS_PER_PARTITION = 100

_ANNOTATORS: dict[tuple[str | None, tuple[str, ...] | None], Any] = {}
_LOCK = threading.Lock()
_STATS = {"loads": 0, "partitions": 0, "records": 0}


@dataclass
class DaskReport:
    """What :func:`annotate_with_dask` did: the files written and what was skipped, and why."""

    outputs: list[Path] = field(default_factory=list)
    records: int = 0
    suggestions: int = 0
    problems: list[str] = field(default_factory=list)  # at most 100 per input file are named
    problem_count: int = 0
    seconds: float = 0.0


def annotate_with_dask(
    inputs: str | Path | Sequence[str | Path],
    out_dir: str | Path,
    client,  # distributed.Client (any Dask scheduler works: "processes", "threads", ...)
    *,
    model: str | None = None,
    labels: Sequence[str] | None = None,
    batch_size: int = 64,
) -> DaskReport:
    """Pre-annotate JSONL files (a glob or a list) into ``out_dir``, one output per input.

    Each input file is one partition, streamed by a worker in constant memory; split a
    huge file first (``split -l 20000``) so the cluster has pieces to spread. The output
    ``out_dir/<input stem>.jsonl`` holds the input's records with suggestions, in order;
    import them with ``assay-cli import PROJECT out_dir/*.jsonl``. The workers must see
    the same paths as the client (a local or shared file system).
    """
    try:
        import dask.bag as db
    except ImportError as exc:  # pragma: no cover - the extra is installed in tests
        raise AssayError("The Dask recipe needs Dask: pip install 'assay[scale]'.") from exc
    started = time.perf_counter()
    paths = _expand(inputs)
    targets = _targets(paths, Path(out_dir))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    jobs = [(str(p), str(t)) for p, t in zip(paths, targets, strict=True)]
    bag = db.from_sequence(jobs, npartitions=len(jobs)).map(
        _annotate_file, model=model, labels=tuple(labels) if labels is not None else None,
        batch_size=batch_size)
    done = bag.compute(scheduler=client)
    report = DaskReport(outputs=targets)
    for part in done:
        report.records += part["records"]
        report.suggestions += part["suggestions"]
        report.problems += part["problems"]
        report.problem_count += part["problem_count"]
    report.seconds = time.perf_counter() - started
    return report


def preload(client, model: str | None = None, labels: Sequence[str] | None = None) -> None:
    """Load the pipeline on every worker now (a few seconds each), e.g. before timing a run."""
    client.run(_annotator, model, tuple(labels) if labels is not None else None)


def worker_state() -> dict[str, int]:
    """This process's pipeline loads, partitions and records (``client.run(worker_state)``)."""
    return dict(_STATS)


def _expand(inputs: str | Path | Sequence[str | Path]) -> list[Path]:
    if isinstance(inputs, str | Path):
        found = sorted(glob(str(inputs))) or ([str(inputs)] if Path(inputs).is_file() else [])
    else:
        found = [str(p) for p in inputs]
    if not found:
        raise AssayError(f"No input files match {inputs}.")
    missing = [p for p in found if not Path(p).is_file()]
    if missing:
        raise AssayError("No such file: " + ", ".join(missing))
    return [Path(p) for p in found]


def _targets(paths: list[Path], out_dir: Path) -> list[Path]:
    """``out_dir/<stem>.jsonl`` per input, numbered if two inputs share a stem; never an input."""
    stems = [p.stem for p in paths]
    if len(set(stems)) < len(stems):
        stems = [f"{i:05d}-{stem}" for i, stem in enumerate(stems)]
    targets = [out_dir / f"{stem}.jsonl" for stem in stems]
    inputs = {p.resolve() for p in paths}
    clash = [str(t) for t in targets if t.resolve() in inputs]
    if clash:
        raise AssayError(f"Refused: the output would replace the input {clash[0]}. Choose "
                         "another output folder.")
    return targets


def _annotator(model: str | None, labels: tuple[str, ...] | None):
    """The pipeline of this worker process, loaded on first use and kept for the next tasks."""
    key = (model, labels)
    with _LOCK:  # two threads of one worker must not load it twice
        if key not in _ANNOTATORS:
            from core.nlp.models import DEFAULT_MODELS
            from core.nlp.pipeline import load_annotator

            _ANNOTATORS[key] = load_annotator(labels, model_names=(model,) if model
                                              else DEFAULT_MODELS)
            _STATS["loads"] += 1
        return _ANNOTATORS[key]


def _annotate_file(job: tuple[str, str], model: str | None, labels: tuple[str, ...] | None,
                   batch_size: int) -> dict[str, Any]:
    """One partition: stream one input file into its output (``annotate_jsonl``), on a worker.

    The output is written atomically, so a failed partition leaves no half file; only
    this small summary travels back to the client.
    """
    annotator = _annotator(model, labels)
    source, target = job
    problems: list[str] = []
    if annotator.warning:
        problems.append(f"{source}: warning: {annotator.warning}")

    def problem(message: str) -> None:
        if len(problems) < MAX_PROBLEMS_PER_PARTITION:
            problems.append(message)

    report = annotate_jsonl(Path(source), Path(target), annotator, batch_size=batch_size,
                            on_problem=problem)
    with _LOCK:
        _STATS["partitions"] += 1
        _STATS["records"] += report.records
    return {"records": report.records, "suggestions": report.suggestions,
            "problems": problems, "problem_count": report.problems}
