"""Exporters: content of every format, spaCy training on the output, round trips, refusals."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from core.cli import main
from core.errors import AssayError
from core.formats.export import export
from core.formats.importers import import_paths
from core.formats.registry import FORMATS
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project

A1 = "Lithium prices fell in Chile.\nGlencore said demand would rise in Australia."
A2 = "Cobalt output in the DRC rose 30% in 2024. Nickel was flat."
A3 = "Nickel from Indonesia is cheap."


def _span(text: str, word: str, label: str, state: str = "accepted",
          kb_id: str | None = None) -> SpanIn:
    start = text.index(word)
    return SpanIn(start, start + len(word), label, origin="reviewer", state=state, kb_id=kb_id)


def _approve(project: Project, *ids: int, reviewer: str = "ann") -> None:
    marks = ",".join("?" * len(ids))
    project.conn.execute(
        f"UPDATE articles SET status = 'approved', reviewed_by = ?, "
        f"reviewed_at = '2026-01-02T03:04:05' WHERE id IN ({marks})", (reviewer, *ids))


EXPECTED = {
    A1: {(0, 7, "MINERAL"), (23, 28, "GPE"), (A1.index("Australia"),
                                               A1.index("Australia") + 9, "GPE")},
    A2: {(0, 6, "MINERAL"), (21, 24, "GPE"), (30, 33, "PERCENT"), (37, 41, "DATE"),
         (43, 49, "MINERAL")},
}


@pytest.fixture
def small(tmp_path):
    """Two approved articles (with suggested and rejected spans) and one pending article."""
    proj = Project.create(tmp_path / "small.assay", rules=store_rules())
    proj.add_articles([
        ArticleIn(text=A1, title="Lithium, Chile", source="tests", url="http://x/1",
                  published="2026-01-01", spans=(
                      _span(A1, "Lithium", "MINERAL"), _span(A1, "Chile", "GPE"),
                      _span(A1, "Glencore", "ORG", state="suggested"),
                      _span(A1, "demand", "EVENT", state="rejected"),
                      _span(A1, "Australia", "GPE"))),
        ArticleIn(text=A2, title="Cobalt", source="tests", spans=(
            _span(A2, "Cobalt", "MINERAL", kb_id="Q740"), _span(A2, "DRC", "GPE"),
            _span(A2, "30%", "PERCENT"), _span(A2, "2024", "DATE"),
            _span(A2, "Nickel", "MINERAL"))),
        ArticleIn(text=A3, title="Pending", source="tests",
                  spans=(_span(A3, "Nickel", "MINERAL"),)),
    ])
    _approve(proj, 1, 2)
    proj.add_claim(2, 0, 41, "ann", verdict="supported", evidence_url="http://e", note="ok")
    yield proj
    proj.close()


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _ents(records, key="spans"):
    return {r["text"]: {(s["start"], s["end"], s["label"]) for s in r[key]} for r in records}


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".assay"
                  and not p.name.endswith((".assay-wal", ".assay-shm")))


# ---------------------------------------------------------------- content per format


def test_assay_jsonl_carries_every_decision(small, tmp_path):
    dest = tmp_path / "out.jsonl"
    report = export(small, "assay", dest)
    assert (report.articles, report.spans, report.files) == (2, 8, [dest])
    records = _lines(dest)
    assert [lb["name"] for lb in records[0]["assay_scheme"]["labels"]] == [
        lb.name for lb in small.labels()]
    assert "assay_scheme" not in records[1]  # the first line carries the scheme
    assert _ents(records) == EXPECTED  # "spans": the accepted ones, as in every format
    assert {(s["text"], s["state"]) for s in records[0]["other_spans"]} == {
        ("Glencore", "suggested"), ("demand", "rejected")}
    first = records[0]
    assert {k: first[k] for k in ("title", "source", "url", "published", "status",
                                  "reviewed_by", "reviewed_at", "note")} == {
        "title": "Lithium, Chile", "source": "tests", "url": "http://x/1",
        "published": "2026-01-01", "status": "approved", "reviewed_by": "ann",
        "reviewed_at": "2026-01-02T03:04:05", "note": ""}
    span = records[1]["spans"][0]
    assert {k: v for k, v in span.items() if k not in ("updated_by", "updated_at")} == {
        "id": 6, "start": 0, "end": 6, "label": "MINERAL", "text": "Cobalt", "origin": "reviewer",
        "state": "accepted", "kb_id": "Q740"}
    assert span["updated_by"] == "import" and span["updated_at"]
    claim = records[1]["claims"][0]
    assert {k: claim[k] for k in ("start", "end", "text", "verdict", "evidence_url", "note",
                                  "updated_by", "state")} == {
        "start": 0, "end": 41, "text": "Cobalt output in the DRC rose 30% in 2024",
        "verdict": "supported", "evidence_url": "http://e", "note": "ok", "updated_by": "ann",
        "state": "accepted"}
    assert _leftovers(tmp_path) == ["out.jsonl"]


def test_doccano_jsonl(small, tmp_path):
    dest = tmp_path / "doccano.jsonl"
    export(small, "doccano", dest)
    records = _lines(dest)
    assert [set(r) for r in records] == [{"text", "label", "article_id", "title", "source",
                                          "url", "published"}] * 2
    assert [r["article_id"] for r in records] == [1, 2]
    assert {r["text"]: {tuple(x) for x in r["label"]} for r in records} == EXPECTED


def test_prodigy_jsonl_has_tokens_and_inclusive_token_end(small, tmp_path):
    dest = tmp_path / "prodigy.jsonl"
    export(small, "prodigy", dest)
    records = _lines(dest)
    assert _ents(records) == EXPECTED
    rec = records[1]
    assert rec["answer"] == "accept"
    tokens = rec["tokens"]
    assert tokens[0] == {"text": "Cobalt", "start": 0, "end": 6, "id": 0, "ws": True}
    assert all(rec["text"][t["start"]:t["end"]] == t["text"] for t in tokens)
    for span in rec["spans"]:
        first, last = tokens[span["token_start"]], tokens[span["token_end"]]
        assert (first["start"], last["end"]) == (span["start"], span["end"])
    pct = next(s for s in rec["spans"] if s["label"] == "PERCENT")
    assert pct["token_end"] - pct["token_start"] == 1  # "30" "%": two tokens, inclusive end
    assert rec["spans"][0]["kb_id"] == "Q740"
    assert rec["meta"]["title"] == "Cobalt"


def test_csv_of_entities(small, tmp_path):
    dest = tmp_path / "ents.csv"
    export(small, "csv", dest)
    with dest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["article_id", "title", "start", "end", "text", "label", "kb_id",
                             "kb_name", "topics"]
    assert len(rows) == 8
    assert rows[0] == {"article_id": "1", "title": "Lithium, Chile", "start": "0", "end": "7",
                       "text": "Lithium", "label": "MINERAL", "kb_id": "", "kb_name": "",
                       "topics": ""}
    cobalt = next(r for r in rows if r["text"] == "Cobalt")
    assert cobalt["kb_id"] == "Q740"
    assert "Glencore" not in {r["text"] for r in rows}


@pytest.mark.slow
def test_conll_iob_lines_and_spacy_convert(small, tmp_path):
    dest = tmp_path / "ents.conll"
    export(small, "conll", dest)
    text = dest.read_text(encoding="utf-8")
    blocks = [b.splitlines() for b in text.strip().split("\n\n")]
    assert blocks[0] == ["-DOCSTART- -X- O O"]
    assert blocks[1] == ["Lithium B-MINERAL", "prices O", "fell O", "in O", "Chile B-GPE", ". O"]
    assert blocks[2][0] == "Glencore O"  # suggested span: not exported
    assert "Australia B-GPE" in blocks[2]
    assert blocks[3] == ["-DOCSTART- -X- O O"]
    assert blocks[4][:5] == ["Cobalt B-MINERAL", "output O", "in O", "the O", "DRC B-GPE"]
    assert "30 B-PERCENT" in blocks[4] and "% I-PERCENT" in blocks[4]
    assert blocks[5] == ["Nickel B-MINERAL", "was O", "flat O", ". O"]  # core.text.sentences split
    assert "Indonesia" not in text  # pending article left out
    assert len(blocks) == 6
    assert all(len(line.split(" ")) == 2 for b in blocks for line in b
               if not line.startswith("-DOCSTART-"))

    out = tmp_path / "converted"
    out.mkdir()
    done = subprocess.run([sys.executable, "-m", "spacy", "convert", str(dest), str(out),
                           "--converter", "ner"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(out / "ents.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == 2  # one document per article, split at -DOCSTART-
    labels = sorted(e.label_ for d in docs for e in d.ents)
    assert labels == sorted(lb for v in EXPECTED.values() for *_, lb in v)


def test_spacy_docbin_entities_match(small, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    dest = tmp_path / "train.spacy"
    report = export(small, "spacy", dest)
    assert report.files == [dest]
    docs = list(DocBin().from_disk(dest).get_docs(spacy.blank("en").vocab))
    assert {d.text: {(e.start_char, e.end_char, e.label_) for e in d.ents} for d in docs} \
        == EXPECTED
    assert next(e for e in docs[1].ents if e.text == "Cobalt").kb_id_ == "Q740"


def test_spacy_split_is_seeded_and_complete(tmp_path):
    proj = _training_project(tmp_path, 20)
    dest = tmp_path / "corpus.spacy"
    report = export(proj, "spacy", dest, split=0.8, seed=3)
    train, dev = tmp_path / "corpus-train.spacy", tmp_path / "corpus-dev.spacy"
    assert report.files == [train, dev] and not dest.exists()
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    train_texts = [d.text for d in DocBin().from_disk(train).get_docs(vocab)]
    dev_texts = [d.text for d in DocBin().from_disk(dev).get_docs(vocab)]
    assert (len(train_texts), len(dev_texts)) == (16, 4)
    assert set(train_texts).isdisjoint(dev_texts)
    again = export(proj, "spacy", tmp_path / "again.spacy", split=0.8, seed=3)
    assert [d.text for d in DocBin().from_disk(again.files[1]).get_docs(vocab)] == dev_texts
    with pytest.raises(AssayError):
        export(proj, "doccano", tmp_path / "x.jsonl", split=0.5)
    with pytest.raises(AssayError):
        export(proj, "spacy", tmp_path / "x.spacy", split=1.5)
    proj.close()


# ---------------------------------------------------------------- spaCy can train on it


def _training_project(tmp_path, n, words=(40, 80)):
    from bench.corpus import synthetic_articles

    proj = Project.create(tmp_path / f"train{n}.assay", rules=store_rules())
    proj.add_articles(synthetic_articles(n, words=words, with_spans=True))
    proj.conn.execute("UPDATE spans SET state = 'accepted'")
    _approve(proj, *range(1, n + 1))
    return proj


@pytest.fixture(scope="module")
def spacy_setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spacy")
    # `spacy debug data` fails a blank pipeline with fewer than 100 training docs.
    proj = _training_project(folder, 130, words=(15, 30))
    export(proj, "spacy", folder / "corpus.spacy", split=0.8, seed=0)
    proj.close()
    cfg = folder / "cfg.cfg"
    done = subprocess.run([sys.executable, "-m", "spacy", "init", "config", "-l", "en",
                           "-p", "ner", str(cfg)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    paths = ["--paths.train", str(folder / "corpus-train.spacy"),
             "--paths.dev", str(folder / "corpus-dev.spacy")]
    return folder, cfg, paths


@pytest.mark.slow
def test_spacy_debug_data_accepts_export(spacy_setup):
    _folder, cfg, paths = spacy_setup
    done = subprocess.run([sys.executable, "-m", "spacy", "debug", "data", str(cfg), *paths],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_spacy_train_runs_on_export(spacy_setup):
    folder, cfg, paths = spacy_setup
    out = folder / "model"
    done = subprocess.run([sys.executable, "-m", "spacy", "train", str(cfg), *paths,
                           "--training.max_steps", "5", "--training.eval_frequency", "5",
                           "--output", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "model-last").is_dir()


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["assay", "doccano", "prodigy"])
def test_round_trip_through_import(small, tmp_path, fmt):
    dest = tmp_path / f"{fmt}.jsonl"
    export(small, fmt, dest)
    fresh = Project.create(tmp_path / f"fresh-{fmt}.assay", rules=store_rules())
    report = import_paths(fresh, [dest])
    assert report.added == 2 and not report.problems
    got = {}
    for article_id in fresh.article_ids():
        spans = fresh.spans(article_id)
        if fmt == "assay":  # it carries every decision: suggested and rejected ones too
            spans = [s for s in spans if s.state == "accepted"]
        assert all(s.state == "accepted" for s in spans)
        got[fresh.article(article_id).text] = {(s.start, s.end, s.label) for s in spans}
    assert got == EXPECTED
    if fmt != "doccano":
        assert fresh.article(1).title == "Lithium, Chile"
    fresh.close()


# ---------------------------------------------------------------- filters


def test_filters_labels_and_status(small, tmp_path):
    dest = tmp_path / "all.jsonl"
    report = export(small, "doccano", dest, flt=ArticleFilter())
    assert report.articles == 3 and A3 in {r["text"] for r in _lines(dest)}
    report = export(small, "doccano", dest, labels=["MINERAL"])
    assert report.spans == 3
    assert {lb for r in _lines(dest) for *_, lb in r["label"]} == {"MINERAL"}
    before = dest.read_bytes()
    with pytest.raises(AssayError, match="no approved article reviewed by 'bob'"):
        export(small, "doccano", dest, flt=ArticleFilter(status="approved", reviewer="bob"))
    assert dest.read_bytes() == before  # a filter matching nothing writes nothing
    with pytest.raises(AssayError, match="NOPE"):
        export(small, "doccano", dest, labels=["NOPE"])
    with pytest.raises(AssayError, match="Unknown export format"):
        export(small, "xml", dest)


# ---------------------------------------------------------------- refusals, cancel, errors


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_span_refuses_and_writes_nothing(small, tmp_path, fmt):
    small.conn.execute("UPDATE spans SET start = start + 1 WHERE text = 'Chile'")
    dest = tmp_path / "out" / f"bad.{fmt}"
    dest.parent.mkdir()
    with pytest.raises(AssayError, match=r"span \d+ GPE \[24, 28\) says 'Chile'"):
        export(small, fmt, dest, split=0.5 if fmt == "spacy" else None)
    assert list(dest.parent.iterdir()) == []


def test_overlap_and_out_of_range_are_listed(small, tmp_path):
    small.conn.execute("UPDATE spans SET \"end\" = 200 WHERE text = 'Lithium'")
    small.conn.execute(
        "INSERT INTO spans(article_id, start, \"end\", label, text, origin, state) "
        "VALUES (2, 0, 2, 'ORG', 'Co', 'reviewer', 'accepted')")
    dest = tmp_path / "bad.jsonl"
    with pytest.raises(AssayError) as info:
        export(small, "assay", dest)
    message = str(info.value)
    assert "does not fit the text" in message and "overlaps" in message
    assert not dest.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_cancel_leaves_no_file(small, tmp_path, fmt):
    calls = []

    def cancel_after_first():
        calls.append(1)
        return len(calls) > 1  # the first article is written, the second cancels

    dest = tmp_path / f"cancel.{fmt}"
    report = export(small, fmt, dest, should_cancel=cancel_after_first)
    assert report.cancelled and report.files == []
    assert _leftovers(tmp_path) == []
    report = export(small, fmt, dest, should_cancel=lambda: True)
    assert report.cancelled and _leftovers(tmp_path) == []


def test_error_while_writing_keeps_old_file(small, tmp_path, monkeypatch):
    from dataclasses import replace

    from core.formats.registry import EXPORTS

    dest = tmp_path / "keep.jsonl"
    dest.write_text("old\n")

    def boom(records, sink):
        sink.fh.write("half")
        raise OSError("disk full")

    monkeypatch.setitem(EXPORTS, "doccano", replace(EXPORTS["doccano"], write=boom))
    with pytest.raises(AssayError, match="disk full. Nothing was written"):
        export(small, "doccano", dest)
    assert dest.read_text() == "old\n" and _leftovers(tmp_path) == ["keep.jsonl"]


def test_progress_reports_every_article(small, tmp_path):
    seen = []
    export(small, "csv", tmp_path / "p.csv", progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 2), (1, 2), (2, 2)]


# ---------------------------------------------------------------- CLI


def test_cli_export(small, tmp_path, capsys):
    path = str(small.path)
    out = tmp_path / "cli.jsonl"
    assert main(["export", path, "--format", "doccano", "--output", str(out)]) == 0
    assert f"Exported 2 article(s), 8 entities to {out}" in capsys.readouterr().out
    assert main(["export", path, "--format", "csv", "--output", str(tmp_path / "c.csv"),
                 "--status", "all", "--label", "MINERAL", "--label", "GPE"]) == 0
    assert "Exported 3 article(s), 7 entities" in capsys.readouterr().out
    assert main(["export", path, "-f", "spacy", "-o", str(tmp_path / "s.spacy"),
                 "--split", "0.5", "--seed", "1", "--reviewer", "ann"]) == 0
    assert (tmp_path / "s-train.spacy").exists() and (tmp_path / "s-dev.spacy").exists()
    capsys.readouterr()
    small.conn.execute("UPDATE spans SET text = 'X' WHERE text = 'Chile'")
    assert main(["export", path, "-f", "assay", "-o", str(tmp_path / "bad.jsonl")]) == 1
    assert "Export refused" in capsys.readouterr().err
    assert not (tmp_path / "bad.jsonl").exists()


def test_entities_inside_one_token_are_split_out_not_dropped(tmp_path):
    import spacy
    from spacy.tokens import DocBin

    text = "LithiumChile is one token.\nA line break inside\nan entity stays one sentence."
    proj = Project.create(tmp_path / "t.assay", rules=store_rules())
    inside = text.index("inside")
    proj.add_articles([ArticleIn(text=text, spans=(
        SpanIn(0, 7, "MINERAL", state="accepted"), SpanIn(7, 12, "GPE", state="accepted"),
        SpanIn(inside, text.index("entity") + 6, "EVENT", state="accepted")))])
    _approve(proj, 1)
    export(proj, "conll", tmp_path / "t.conll")
    lines = (tmp_path / "t.conll").read_text().split("\n")
    assert lines[2:4] == ["Lithium B-MINERAL", "Chile B-GPE"]
    at = lines.index("inside B-EVENT")
    assert lines[at + 1:at + 3] == ["an I-EVENT", "entity I-EVENT"]  # no sentence break
    report = export(proj, "spacy", tmp_path / "t.spacy")
    assert report.spans == 3
    (doc,) = DocBin().from_disk(tmp_path / "t.spacy").get_docs(spacy.blank("en").vocab)
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (0, 7, "MINERAL"), (7, 12, "GPE"), (inside, text.index("entity") + 6, "EVENT")]
    proj.close()
