"""Pre-annotation beyond one machine: records in, records with suggestions out, imported.

``annotate_records`` (the unit an engine maps over a partition), ``assay-cli annotate-jsonl``
(one file, constant memory, atomic output) and the Dask recipe on a real two-worker local
cluster. Every output is imported into a real project and read back: the suggestions must
arrive as suggestions (pending a reviewer), the same ones ``assay-cli annotate`` makes.
Texts are written for these tests.
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from core.cli import main
from core.formats.importers import import_paths
from core.jobs.annotate import annotate_project
from core.jobs.records import _Blocks, _nth_kept, _ToRaw, annotate_records
from core.jobs.records_jsonl import annotate_jsonl
from core.nlp.pipeline import load_annotator
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.normalise import normalise_text

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "Cobalt output in the DRC rose 30% in 2024, the IEA said.",
    "Lithium prices fell in Chile.\nThe U.S. Department of Energy granted $200 million.",
    "Australia and Japan signed a rare earths deal with Lynas Rare Earths Ltd. last week.",
    "Indonesia banned nickel ore exports | Glencore said graphite from China was cheaper.",
]
# Texts the project stores differently from the record: the offsets must still line up.
AWKWARD = [
    "\ufeffZambia raised copper royalties.\r\nCobalt from the DRC went to China.",
    "Argentina\x07 and Bolivia hold lithium.\rRio Tinto bought a mine in Canada.",
    "A \ud800 broken pair, then nickel from Indonesia and 40% of the market.",
]


@pytest.fixture(scope="module")
def annotator():
    return load_annotator()


def write_jsonl(path: Path, records: list) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write((record if isinstance(record, str) else json.dumps(record)) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def stored_spans(path: Path) -> list[set[tuple]]:
    """Each article's spans in a project file: (start, end, label, text, origin, state,
    kb_id, model), read with sqlite3 since no Project method returns the span's model."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute('SELECT article_id, start, "end", label, text, origin, state, '
                            "kb_id, model FROM spans").fetchall()
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    finally:
        conn.close()
    return [{tuple(r[1:]) for r in rows if r[0] == i} for i in ids]


def imported_spans(tmp_path: Path, files: list[Path], name: str = "p") -> list[set[tuple]]:
    """Import ``files`` into a new project; each article's spans as comparable tuples."""
    with Project.create(tmp_path / f"{name}.assay", rules=store_rules()) as project:
        report = import_paths(project, files)
        assert report.problems == [], report.problems
    return stored_spans(tmp_path / f"{name}.assay")


# ------------------------------------------------------------------ annotate_records


@pytest.mark.slow
def test_records_come_back_with_suggestions_that_import_as_suggestions(annotator, tmp_path):
    records = [{"text": t, "title": f"T{i}", "source": "tests", "url": f"https://x.test/{i}",
                "published": "2026-01-02", "meta": {"batch": 7, "tags": ["a"]}}
               for i, t in enumerate(TEXTS)]
    out = list(annotate_records(iter(records), annotator, batch_size=3))
    assert len(out) == len(records)
    for before, after in zip(records, out, strict=True):
        assert {k: after[k] for k in before} == before  # everything else passes through
        assert after["model"] == annotator.model_id
        assert after["spans"], after
        for span in after["spans"]:
            assert after["text"][span["start"]:span["end"]] == span["text"]
            assert span["state"] == "suggested" and span["origin"] in ("model", "rules")
            assert span["model"] == annotator.model_id
    assert records[0] == {"text": TEXTS[0], "title": "T0", "source": "tests",
                          "url": "https://x.test/0", "published": "2026-01-02",
                          "meta": {"batch": 7, "tags": ["a"]}}  # the input is not mutated
    found = {(s["text"], s["label"]) for s in out[0]["spans"]}
    assert {("Cobalt", "MINERAL"), ("DRC", "GPE"), ("30%", "PERCENT")} <= found

    spans = imported_spans(tmp_path, [write_jsonl(tmp_path / "out.jsonl", out)])
    assert [len(s) for s in spans] == [len(r["spans"]) for r in out]
    for article, record in zip(spans, out, strict=True):
        assert {(s[0], s[1], s[2], s[4], s[5], s[7]) for s in article} == {
            (s["start"], s["end"], s["label"], s["origin"], "suggested", annotator.model_id)
            for s in record["spans"]}
    with Project.open(tmp_path / "p.assay", rules=store_rules()) as project:
        first = project.article(1)
        assert (first.title, first.source, first.url, first.status) == (
            "T0", "tests", "https://x.test/0", "pending")
        assert ("DRC", "COD") in {(s.text, s.kb_id) for s in project.spans(1)}
        # Pre-annotated elsewhere counts: a later `annotate` has nothing to redo.
        assert first.model == annotator.model_id
        assert project.articles_to_annotate() == []


def test_the_same_spans_as_annotating_the_imported_project(annotator, tmp_path):
    """CRLF, a lone CR, a BOM, a control character and a lone surrogate: the record keeps its
    text, yet the spans land exactly where ``assay-cli annotate`` puts them."""
    records = [{"text": t} for t in TEXTS + AWKWARD]
    raw = write_jsonl(tmp_path / "raw.jsonl", records)
    with Project.create(tmp_path / "local.assay", rules=store_rules()) as project:
        assert import_paths(project, [raw]).problems == []
        annotate_project(project, annotator)
    local = stored_spans(tmp_path / "local.assay")
    out = list(annotate_records(records, annotator))
    assert [r["text"] for r in out] == [r["text"] for r in records]
    remote = imported_spans(tmp_path, [write_jsonl(tmp_path / "out.jsonl", out)], "remote")
    assert remote == local
    assert all(local[len(TEXTS):])  # the awkward texts do have entities
    assert ("Bolivia", "GPE") in {(s[3], s[2]) for s in local[len(TEXTS) + 1]}


def test_a_broken_record_is_skipped_with_its_reason_and_the_rest_goes_on(annotator, capsys):
    records = [{"text": TEXTS[0]}, {"title": "no text"}, {"text": 42}, ["not", "a", "dict"],
               {"text": "  \n "}, {"text": TEXTS[1], "spans": [{"start": 0, "end": 999,
                                                                  "label": "ORG"}]},
               {"text": TEXTS[2]}]
    skipped: list[tuple[int, str]] = []
    out = list(annotate_records(records, annotator, on_skip=lambda i, why:
                                skipped.append((i, why))))
    assert [r["text"] for r in out] == [TEXTS[0], TEXTS[2]]
    assert [i for i, _ in skipped] == [1, 2, 3, 4, 5]
    reasons = [why for _, why in skipped]
    assert reasons[0] == 'no "text" field'
    assert "not a string" in reasons[1] and "not a JSON object" in reasons[2]
    assert reasons[3] == "empty text" and "does not fit the text" in reasons[4]
    # Without a handler: one line on stderr per skipped record, numbered from 1.
    list(annotate_records(records[:3], annotator))
    assert capsys.readouterr().err.splitlines() == [
        'record 2 skipped: no "text" field',
        'record 3 skipped: "text" is not a string (found int)']


@Language.component("poison_for_records")
def _poison(doc):
    if "POISON" in doc.text:
        raise ValueError("this record breaks the pipeline")
    return doc


@pytest.mark.slow
def test_a_record_the_pipeline_fails_on_is_skipped_alone():
    annotator = load_annotator()
    annotator.nlp.add_pipe("poison_for_records", first=True)
    records = [{"text": f"Report {i}: cobalt from the DRC."} for i in range(5)]
    records[3] = {"text": "Report 3: POISON lithium from Chile."}
    skipped: list[tuple[int, str]] = []
    out = list(annotate_records(records, annotator, batch_size=2,
                                on_skip=lambda i, why: skipped.append((i, why))))
    assert [r["text"][:8] for r in out] == ["Report 0", "Report 1", "Report 2", "Report 4"]
    assert all(r["spans"] for r in out)
    assert [i for i, _ in skipped] == [3] and "breaks the pipeline" in skipped[0][1]


def test_existing_spans_are_kept_and_win_over_overlapping_suggestions(annotator, tmp_path):
    text = "Nickel from Indonesia and cobalt from Zambia went to China."
    record = {"text": text, "spans": [
        # A reviewer's accepted span: kept, and the model's "Nickel" MINERAL is not added.
        {"start": 0, "end": 6, "label": "ORG", "state": "accepted", "origin": "reviewer"},
        # A rejected suggestion: kept, and not suggested again.
        {"start": 12, "end": 21, "label": "GPE", "state": "rejected", "origin": "model"},
        # An earlier run's suggestion: replaced by this run's.
        {"start": 38, "end": 44, "label": "ORG", "state": "suggested", "origin": "model"},
    ]}
    [out] = annotate_records([record], annotator)
    got = [(text[s["start"]:s["end"]], s["label"], s["state"]) for s in out["spans"]]
    assert got[:2] == [("Nickel", "ORG", "accepted"), ("Indonesia", "GPE", "rejected")]
    assert out["spans"][0] is record["spans"][0]  # kept exactly as it was
    assert ("Zambia", "GPE", "suggested") in got and ("Zambia", "ORG", "suggested") not in got
    assert ("cobalt", "MINERAL", "suggested") in got
    assert not any(s["label"] == "MINERAL" and s["start"] == 0 for s in out["spans"])
    # Re-running over the output changes nothing.
    assert list(annotate_records([out], annotator)) == [out]
    # doccano's [start, end, label] lists are copied into "spans" (the importer reads that).
    other = text.replace("China", "Japan")  # another article (the same text is a duplicate)
    [doccano] = annotate_records([{"text": other, "label": [[0, 6, "MINERAL"]]}], annotator)
    assert doccano["label"] == [[0, 6, "MINERAL"]]
    assert doccano["spans"][0] == {"start": 0, "end": 6, "label": "MINERAL", "text": "Nickel",
                                   "origin": "imported", "state": "accepted"}
    [spans, doc_spans] = imported_spans(
        tmp_path, [write_jsonl(tmp_path / "o.jsonl", [out, doccano])])
    assert (0, 6, "ORG", "Nickel", "reviewer", "accepted", None, None) in spans
    assert (12, 21, "GPE", "Indonesia", "model", "rejected", "IDN", None) in spans
    assert (0, 6, "MINERAL", "Nickel", "imported", "accepted", "mineral:nickel",
            None) in doc_spans
    assert sum(1 for s in doc_spans if s[5] == "suggested") == len(doccano["spans"]) - 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\r\n\x07\ufeff ", max_size=30))
def test_offsets_map_back_onto_the_raw_text(raw):
    """Every character of the normalised text is the raw character ``_ToRaw`` points at."""
    norm = raw
    for _ in range(8):
        if normalise_text(norm) == norm:
            break
        norm = normalise_text(norm)
    back = _ToRaw(raw)
    for k, ch in enumerate(norm):
        i = back.start(k)
        assert raw[i] == ch or (raw[i] == "\r" and ch == "\n")
        assert back.end(k + 1) == i + 1
    dropped = sorted({1, 4, 5, 9})
    kept = [p for p in range(20) if p not in dropped]
    assert [_nth_kept(dropped, k) for k in range(len(kept))] == kept


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8)), max_size=8),
       st.integers(0, 30), st.integers(1, 8))
@pytest.mark.slow
def test_overlap_with_kept_spans_is_found_however_they_lie(spans, start, length):
    kept = [(s, s + n) for s, n in spans]
    expected = any(start < e and start + length > s for s, e in kept)
    assert _Blocks(kept).overlap(start, start + length) == expected


# ------------------------------------------------------------------ assay-cli annotate-jsonl


@pytest.mark.slow
def test_cli_annotates_a_file_reports_bad_lines_and_the_output_imports(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": TEXTS[0], "id": "a"}) + "\n\n"
                   + '{"text": "Cobalt from Zambia.", broken\n'
                   + json.dumps({"title": "no text"}) + "\n"
                   + json.dumps({"text": TEXTS[1], "id": "b"}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["annotate-jsonl", str(src), str(out), "--batch-size", "1"]) == 0
    captured = capsys.readouterr()
    assert f"problem: {src}:3: malformed JSON (Expecting property name enclosed in double " \
           "quotes at column 33)" in captured.err
    assert f'problem: {src}:4: no "text" field' in captured.err
    assert "Pre-annotated 2 record(s)" in captured.out and "2 problem(s)" in captured.out
    records = read_jsonl(out)
    assert [r["id"] for r in records] == ["a", "b"]
    assert not list(tmp_path.glob("*.partial"))
    project = tmp_path / "p.assay"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(out)]) == 0
    with Project.open(project, rules=store_rules()) as proj:
        spans = proj.spans(2)
        assert spans and {s.state for s in spans} == {"suggested"}
        assert ("U.S. Department of Energy", "ORG") in {(s.text, s.label) for s in spans}
    # --labels keeps only those labels.
    assert main(["annotate-jsonl", str(src), str(out), "--labels", "MINERAL"]) == 0
    assert {s["label"] for r in read_jsonl(out) for s in r["spans"]} == {"MINERAL"}


@pytest.mark.slow
def test_cli_reads_stdin_and_writes_stdout(tmp_path, capsys, monkeypatch):
    data = (json.dumps({"text": TEXTS[0]}) + "\n").encode() + b'{"text": "\xff"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["annotate-jsonl", "-", "-"]) == 0
    captured = capsys.readouterr()
    [record] = [json.loads(line) for line in captured.out.splitlines()]
    assert record["text"] == TEXTS[0] and record["spans"]
    assert "problem: stdin:2: not UTF-8" in captured.err
    assert "Pre-annotated 1 record(s)" in captured.err  # stdout holds only the records


def test_cli_refuses_what_it_must_not_write_and_missing_input(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": TEXTS[0]}])
    assert main(["annotate-jsonl", str(tmp_path / "nope.jsonl"), str(tmp_path / "o")]) == 1
    assert "No such file" in capsys.readouterr().err
    project = tmp_path / "p.assay"
    assert main(["new", str(project)]) == 0
    before = project.read_bytes()
    assert main(["annotate-jsonl", str(src), str(project)]) == 1
    assert "it is an SQLite database" in capsys.readouterr().err
    assert project.read_bytes() == before
    assert main(["annotate-jsonl", str(src), str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_an_interrupted_run_leaves_no_half_file(annotator, tmp_path, monkeypatch):
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": f"{i}: {t}"} for i in range(40)
                                              for t in TEXTS[:1]])
    out = tmp_path / "out.jsonl"
    out.write_text("the previous result\n")
    real = annotator.annotate
    calls = []

    def failing(texts, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(texts, **kwargs)

    monkeypatch.setattr(annotator, "annotate", failing)
    with pytest.raises(KeyboardInterrupt):
        annotate_jsonl(src, out, annotator, batch_size=8)
    assert out.read_text() == "the previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


@pytest.mark.slow
def test_ctrl_c_on_the_command_line_leaves_no_output(tmp_path):
    """A real process, interrupted while the output is half written: OUT never appears."""
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": f"Report {i}. " + " ".join(TEXTS)}
                                              for i in range(4000)])
    out = tmp_path / "out.jsonl"
    # As from a terminal: Ctrl+C's signal is not ignored. A test run started in the
    # background of a non-interactive shell inherits SIGINT ignored, and so would the CLI.
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "annotate-jsonl", str(src),
                             str(out), "--batch-size", "16"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 0 for p in tmp_path.glob("out.jsonl.*partial")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    assert not out.exists()  # half written: only under the temporary name
    proc.send_signal(signal.SIGINT)
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert f"Cancelled: nothing was written to {out}" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.slow
def test_the_file_is_streamed_in_constant_memory(annotator, tmp_path):
    """32 MB of records (big pass-through metadata, short texts): the peak of Python memory
    while annotating them stays a small fraction of the input, so nothing holds the file
    (measured: about 2 MB, of which 1.6 MB is the pipeline's own working memory)."""
    blob = "minerals " * 4500  # ~40 KB per record
    src = tmp_path / "big.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(800):
            fh.write(json.dumps({"text": f"Report {i}: cobalt from the DRC.",
                                 "meta": {"blob": blob, "n": i}}) + "\n")
    size = src.stat().st_size
    assert size > 32_000_000
    list(annotate_records([{"text": TEXTS[0]}], annotator))  # warm the pipeline's caches
    tracemalloc.start()
    try:
        report = annotate_jsonl(src, tmp_path / "out.jsonl", annotator, batch_size=8)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.records == 800 and report.problems == 0
    assert peak < size / 8, f"peak {peak:,} bytes for a {size:,}-byte input"
    assert (tmp_path / "out.jsonl").stat().st_size > size


# ------------------------------------------------------------------ Dask


@pytest.mark.slow
def test_dask_recipe_on_two_local_workers(annotator, tmp_path):
    """Four partitions on a real two-process cluster: both workers annotate, each loads the
    pipeline once, the output is what annotate_records gives here, and it imports."""
    distributed = pytest.importorskip("distributed")  # the extra is installed by make test
    from core.jobs.dask_recipe import annotate_with_dask, preload, worker_state

    inputs = tmp_path / "in"
    inputs.mkdir()
    parts = []
    for p in range(4):
        records: list = [{"text": f"Part {p}, item {i}: {TEXTS[(p + i) % len(TEXTS)]}",
                          "meta": {"part": p, "item": i}} for i in range(12)]
        if p == 1:
            records.insert(3, '{"text": "Cobalt", oops')
            records.insert(6, {"title": "no text"})
        parts.append(write_jsonl(inputs / f"part-{p}.jsonl", records))
    out_dir = tmp_path / "out"
    started = time.perf_counter()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        preload(client)
        report = annotate_with_dask(str(inputs / "part-*.jsonl"), out_dir, client)
        states = client.run(worker_state)
    seconds = time.perf_counter() - started
    assert len(states) == 2
    assert all(s["loads"] == 1 and s["partitions"] >= 1 for s in states.values()), states
    assert sum(s["partitions"] for s in states.values()) == 4
    assert report.records == 48 and report.problem_count == 2
    assert report.problems == [f"{parts[1]}:4: malformed JSON (Expecting property name "
                               "enclosed in double quotes at column 20)",
                               f'{parts[1]}:7: no "text" field']
    assert [p.name for p in report.outputs] == [f"part-{p}.jsonl" for p in range(4)]
    assert sorted(p.name for p in out_dir.iterdir()) == [p.name for p in report.outputs]
    for part, output in zip(parts, report.outputs, strict=True):
        records = [json.loads(line) for line in part.read_text().splitlines()
                   if not line.startswith('{"text": "Cobalt", oops')]
        assert read_jsonl(output) == list(annotate_records(records, annotator,
                                                           on_skip=lambda i, why: None))
    spans = imported_spans(tmp_path, report.outputs)
    assert len(spans) == 48 and all(spans)
    assert {s[5] for article in spans for s in article} == {"suggested"}
    assert {s[4] for article in spans for s in article} == {"model", "rules"}
    assert seconds < 60


@pytest.mark.slow
def test_dask_is_an_extra_the_app_does_not_carry():
    """The recipe is the only importer of Dask, and the bundle excludes it."""
    users = [p.relative_to(ROOT).as_posix() for p in (ROOT / "core").rglob("*.py")
             if "import dask" in p.read_text(encoding="utf-8")
             or "from dask" in p.read_text(encoding="utf-8")]
    assert users == ["core/jobs/dask_recipe.py"]
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert '"dask"' in spec and '"distributed"' in spec
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = ("import sys, core.cli, core.jobs.records_jsonl; "
            "sys.exit(any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


def test_the_readme_spark_recipe_runs_and_its_output_imports(annotator, tmp_path, monkeypatch):
    """The README's PySpark snippet, run on a stand-in for the few SparkContext calls it makes
    (Spark itself needs a JVM): partitions of lines without their newline in, part files out."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Pre-annotating a corpus too big for one machine"):]
    code = section[section.index("def annotate_partition"):]
    code = "import json\nfrom core.jobs.records import annotate_records\n" \
           "from core.jobs.records_jsonl import dumps_record\n\n" + code[:code.index("```")]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in range(2):
        write_jsonl(corpus / f"{p}.jsonl", [{"text": f"{p}/{i}: {t}"} for i, t in
                                            enumerate(TEXTS)])

    class Rdd:
        def __init__(self, parts):
            self.parts = parts

        def mapPartitions(self, fn):  # Spark's names
            return Rdd([list(fn(iter(part))) for part in self.parts])

        def saveAsTextFile(self, folder):
            out = tmp_path / folder
            out.mkdir()
            for i, part in enumerate(self.parts):
                (out / f"part-{i:05d}").write_text("".join(f"{x}\n" for x in part))

    class SparkContext:
        def textFile(self, pattern):
            return Rdd([p.read_text().splitlines() for p in sorted(tmp_path.glob(pattern))])

    import core.nlp.pipeline

    monkeypatch.setattr(core.nlp.pipeline, "load_annotator", lambda: annotator)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"sc": SparkContext()})
    parts = sorted((tmp_path / "annotated").iterdir())
    assert [p.name for p in parts] == ["part-00000", "part-00001"]
    for part in parts:
        part.rename(part.with_name(part.name + ".jsonl"))
    spans = imported_spans(tmp_path, sorted((tmp_path / "annotated").iterdir()))
    assert len(spans) == 8 and all(spans)
    assert {s[5] for article in spans for s in article} == {"suggested"}
