"""Relations in and out of files (issue 26): Assay JSONL, doccano relation extraction JSONL
and the triples CSV, each read back by its consumer's own code."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import AssayError
from core.formats.export import export
from core.formats.importers import import_paths
from core.models import ArticleIn, RelationType, SpanIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

A1 = "Chile exports lithium to China. Australia is increasing its cooperation with Japan."
A2 = "=Evil Corp funds Lynas, which operates a plant in Malaysia."
A3 = "Nickel from Indonesia is cheap."


def _at(text: str, word: str, label: str, state: str = "accepted",
        kb_id: str | None = None) -> SpanIn:
    start = text.index(word)
    return SpanIn(start, start + len(word), label, origin="reviewer", state=state, kb_id=kb_id)


def _ids(project: Project, article_id: int) -> dict[str, int]:
    return {s.text: s.id for s in project.spans(article_id, include_rejected=True)}


@pytest.fixture
def related(tmp_path):
    """Three approved articles: relations in every state in the first, a head that starts
    with "=" in the second, none in the third; a custom relation type in the scheme."""
    proj = Project.create(tmp_path / "related.assay", rules=store_rules())
    proj.add_articles([
        ArticleIn(text=A1, title="Chile and lithium", published="2026-03-01", spans=(
            _at(A1, "Chile", "GPE", kb_id="CHL"), _at(A1, "lithium", "MINERAL"),
            _at(A1, "China", "GPE", state="suggested"), _at(A1, "Australia", "GPE"),
            _at(A1, "Japan", "GPE"))),
        ArticleIn(text=A2, title="=cmd|' /C calc'!A0", published="2026-03-02", spans=(
            _at(A2, "=Evil Corp", "ORG"), _at(A2, "Lynas", "ORG"),
            _at(A2, "Malaysia", "GPE", kb_id="MYS"))),
        ArticleIn(text=A3, title="Nickel", spans=(
            _at(A3, "Nickel", "MINERAL"), _at(A3, "Indonesia", "GPE"))),
    ])
    proj.add_relation_type(RelationType("OPERATES_IN", ("ORG",), ("GPE",), color="#336699",
                                        description="runs a plant there"), "ann")
    one, two = _ids(proj, 1), _ids(proj, 2)
    proj.add_relation(1, one["Chile"], one["lithium"], "SUPPLIES", "ann")
    proj.add_relation(1, one["Chile"], one["China"], "SUPPLIES", "ann", state="suggested",
                      origin="rules")
    proj.add_relation(1, one["Australia"], one["Japan"], "PARTNERS_WITH", "bob")
    rejected = proj.add_relation(1, one["Australia"], one["Japan"], "SUPPLIES", "ann")
    proj.update_relation(rejected.id, "bob", state="rejected")
    proj.add_relation(2, two["=Evil Corp"], two["Lynas"], "FUNDS", "cy")
    proj.add_relation(2, two["Lynas"], two["Malaysia"], "OPERATES_IN", "cy")
    for article_id in (1, 2, 3):
        proj.set_article_status(article_id, "approved", "ann")
    yield proj
    proj.close()


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _triples(project: Project, article_id: int) -> set[tuple[str, str, str, str]]:
    spans = {s.id: s for s in project.spans(article_id, include_rejected=True)}
    return {(spans[r.head_id].text, r.type, spans[r.tail_id].text, r.state)
            for r in project.relations(article_id, include_dead=True)}


# ---------------------------------------------------------------- Assay JSONL


def test_assay_jsonl_carries_relations_by_span_id_and_offsets(related, tmp_path):
    dest = tmp_path / "out.jsonl"
    export(related, "assay", dest)
    first, second, third = _lines(dest)
    scheme = first["assay_scheme"]["relations"]
    assert [t["name"] for t in scheme][-1] == "OPERATES_IN"
    assert scheme[-1] == {"name": "OPERATES_IN", "head": ["ORG"], "tail": ["GPE"],
                          "symmetric": False, "color": "#336699", "hotkey": "",
                          "description": "runs a plant there"}
    spans = {s["id"]: s for s in first["spans"] + first["other_spans"]}
    got = {(spans[r["head"]]["text"], r["type"], spans[r["tail"]]["text"], r["state"],
            r["origin"], r["updated_by"]) for r in first["relations"]}
    assert got == {("Chile", "SUPPLIES", "lithium", "accepted", "reviewer", "ann"),
                   ("Chile", "SUPPLIES", "China", "suggested", "rules", "ann"),
                   ("Australia", "PARTNERS_WITH", "Japan", "accepted", "reviewer", "bob"),
                   ("Australia", "SUPPLIES", "Japan", "rejected", "reviewer", "bob")}
    for r in first["relations"]:
        for end in ("head", "tail"):
            start, stop = r[f"{end}_span"]
            assert A1[start:stop] == spans[r[end]]["text"]
        assert r["updated_at"] and set(r) == {
            "id", "head", "tail", "head_span", "tail_span", "type", "state", "origin",
            "model", "updated_by", "updated_at"}
    assert [r["type"] for r in second["relations"]] == ["FUNDS", "OPERATES_IN"]
    assert third["relations"] == []  # an article without relations: an empty list


def test_assay_jsonl_round_trips_relations_exactly(related, tmp_path):
    first = tmp_path / "first.jsonl"
    export(related, "assay", first, flt=ArticleFilter())
    fresh = Project.create(tmp_path / "fresh.assay", rules=store_rules())
    report = import_paths(fresh, [first], reviewer="importer")
    assert (report.added, report.problems) == (3, [])
    # Decisions stay decisions and suggestions suggestions, with who and when.
    assert _triples(fresh, 1) == _triples(related, 1)
    assert [(r.state, r.origin, r.updated_by, r.updated_at) for r in fresh.relations(1, True)
            ] == [(r.state, r.origin, r.updated_by, r.updated_at)
                  for r in related.relations(1, True)]
    assert [t.name for t in fresh.relation_types()] == [
        t.name for t in related.relation_types()]
    # Who decided stays on the relation; the audit log says who imported it.
    added = [e for e in fresh.events(1, limit=50) if e["action"] == "relation.add"]
    assert len(added) == 4 and {e["reviewer"] for e in added} == {"importer"}
    again = tmp_path / "again.jsonl"
    export(fresh, "assay", again, flt=ArticleFilter())
    assert again.read_bytes() == first.read_bytes()
    fresh.close()


def test_assay_jsonl_relations_find_their_ends_by_offsets(related, tmp_path):
    """Into a project whose span ids are taken, and with the file's span ids wrong, each
    relation still joins the entities at its offsets."""
    dest = tmp_path / "out.jsonl"
    export(related, "assay", dest)
    lines = _lines(dest)
    for line in lines:
        for r in line["relations"]:
            r["head"], r["tail"] = 999, 998
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    other = Project.create(tmp_path / "other.assay", rules=store_rules())
    other.add_articles([ArticleIn(text="Peru mines copper.", spans=(
        _at("Peru mines copper.", "Peru", "GPE"), _at("Peru mines copper.", "copper",
                                                        "MINERAL")))])
    report = import_paths(other, [edited])
    assert (report.added, report.problems) == (3, [])
    by_title = {other.article(i).title: i for i in other.article_ids()}
    assert _triples(other, by_title["Chile and lithium"]) == _triples(related, 1)
    assert _triples(other, by_title["=cmd|' /C calc'!A0"]) == _triples(related, 2)
    other.close()


def test_a_project_with_relations_keeps_its_types_and_gains_the_missing_ones(related,
                                                                            tmp_path):
    dest = tmp_path / "out.jsonl"
    export(related, "assay", dest)
    other = Project.create(tmp_path / "other.assay", rules=store_rules())
    other.add_relation_type(RelationType("SELLS", ("ORG",), ("MINERAL",), hotkey="z"), "ann")
    text = "Glencore sells cobalt."
    other.add_articles([ArticleIn(text=text, spans=(
        _at(text, "Glencore", "ORG"), _at(text, "cobalt", "MINERAL")))])
    ends = [s.id for s in other.spans(1)]
    other.add_relation(1, ends[0], ends[1], "SELLS", "ann")
    report = import_paths(other, [dest])
    assert (report.added, report.problems) == (3, [])
    names = [t.name for t in other.relation_types()]
    assert names[-2:] == ["SELLS", "OPERATES_IN"] and names.count("SELLS") == 1
    assert other.relation_type("SELLS").hotkey == "z"
    other.close()


def test_an_assay_jsonl_without_relations_still_imports(related, tmp_path):
    dest = tmp_path / "out.jsonl"
    export(related, "assay", dest)
    lines = _lines(dest)
    del lines[0]["assay_scheme"]["relations"]
    for line in lines:
        del line["relations"]
        for span in line["spans"] + line["other_spans"]:
            del span["id"]
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    fresh = Project.create(tmp_path / "fresh.assay", rules=store_rules())
    report = import_paths(fresh, [old])
    assert (report.added, report.problems) == (3, [])
    assert [s.text for s in fresh.spans(2)] == ["=Evil Corp", "Lynas", "Malaysia"]
    assert fresh.relations(1) == [] and "SUPPLIES" in {t.name for t in fresh.relation_types()}
    fresh.close()


def test_an_assay_relation_at_offsets_of_no_entity_is_reported(related, tmp_path):
    dest = tmp_path / "out.jsonl"
    export(related, "assay", dest)
    lines = _lines(dest)
    lines[2 - 1]["relations"][0]["tail_span"] = [0, 3]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    fresh = Project.create(tmp_path / "fresh.assay", rules=store_rules())
    report = import_paths(fresh, [bad])
    assert report.added == 2
    assert [p.line for p in report.problems] == [2]
    assert "relations[0] tail [0, 3) is no entity of the article" in report.problems[0].reason
    fresh.close()


# ---------------------------------------------------------------- doccano


def doccano_python() -> Path:
    """The doccano environment's Python (``make test-deps``); missing: a skip on a
    developer's machine, a failure on CI (where ``make test`` builds it)."""
    found = REPO / ".venv-doccano" / "bin" / "python"
    if (REPO / ".venv-doccano" / ".installed").exists() and found.exists():
        return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("the doccano environment is missing on CI: `make test-deps` builds it")
    pytest.skip("doccano's environment is not built (make test-deps builds .venv-doccano)")


def doccano_reads(path: Path) -> dict:
    """What doccano's own importer stores from ``path`` (``tests/doccano/read_back.py``)."""
    done = subprocess.run([str(doccano_python()), str(REPO / "tests" / "doccano" /
                                                       "read_back.py"), str(path)],
                          capture_output=True, text=True, timeout=600, cwd=path.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_doccano_relations_read_back_by_doccanos_importer(related, tmp_path):
    dest = tmp_path / "doccano.jsonl"
    export(related, "doccano-relations", dest)
    stored = doccano_reads(dest)
    assert stored["errors"] == []
    expected = []
    for article_id in related.article_ids():
        spans = {s.id: [s.start, s.end, s.label] for s in related.spans(article_id)
                 if s.state == "accepted"}
        expected.append({
            "text": related.article(article_id).text,
            "spans": sorted(spans.values()),
            "relations": sorted([spans[r.head_id], r.type, spans[r.tail_id]]
                                for r in related.relations(article_id)
                                if r.state == "accepted" and r.head_id in spans
                                and r.tail_id in spans)})
    assert [{k: e[k] for k in ("text", "spans", "relations")} for e in stored["examples"]
            ] == expected
    assert expected[1]["relations"][0] == [[0, 10, "ORG"], "FUNDS", [17, 22, "ORG"]]
    assert expected[2]["relations"] == []  # an article without relations
    assert [e["meta"]["article_id"] for e in stored["examples"]] == [1, 2, 3]


def test_doccano_relations_import_back_as_accepted(related, tmp_path):
    dest = tmp_path / "doccano.jsonl"
    export(related, "doccano-relations", dest)
    fresh = Project.create(tmp_path / "fresh.assay", rules=store_rules())
    fresh.add_relation_type(RelationType("OPERATES_IN", ("ORG",), ("GPE",)), "ann")
    report = import_paths(fresh, [dest])
    assert (report.added, report.problems) == (3, [])
    for article_id in (1, 2, 3):
        kept = {t for t in _triples(related, article_id) if t[3] == "accepted"
                and "China" not in t}  # China: a suggested entity, not exported
        assert _triples(fresh, article_id) == kept
    assert {r.origin for r in fresh.relations(2)} == {"imported"}
    fresh.close()


def test_a_doccano_relation_to_no_entity_is_reported(tmp_path):
    path = tmp_path / "re.jsonl"
    path.write_text(json.dumps({
        "text": "Chile exports lithium.", "entities": [
            {"id": 4, "start_offset": 0, "end_offset": 5, "label": "GPE"},
            {"id": 9, "start_offset": 14, "end_offset": 21, "label": "MINERAL"}],
        "relations": [{"id": 1, "from_id": 4, "to_id": 8, "type": "PRODUCES"}]}) + "\n",
        encoding="utf-8")
    fresh = Project.create(tmp_path / "fresh.assay", rules=store_rules())
    report = import_paths(fresh, [path])
    assert report.added == 0
    assert "relations[0] to_id 8 is no entity of the text" in report.problems[0].reason
    fresh.close()


# ---------------------------------------------------------------- the triples CSV


def test_triples_csv_reads_back_exactly_with_formulas_neutralised(related, tmp_path):
    dest = tmp_path / "triples.csv"
    report = export(related, "triples", dest)
    assert report.summary() == "3 article(s), 4 relation(s)"
    with dest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows == [
        {"head": "Chile", "head_kb_id": "CHL", "type": "SUPPLIES", "tail": "lithium",
         "tail_kb_id": "",
         "evidence": "Chile exports lithium to China.", "article_id": "1",
         "title": "Chile and lithium", "date": "2026-03-01", "reviewer": "ann"},
        {"head": "Australia", "head_kb_id": "",
         "type": "PARTNERS_WITH", "tail": "Japan",
         "tail_kb_id": "",
         "evidence": "Australia is increasing its cooperation with Japan.",
         "article_id": "1", "title": "Chile and lithium", "date": "2026-03-01",
         "reviewer": "bob"},
        # A head and a title a spreadsheet would run are written as text ('=…).
        {"head": "'=Evil Corp", "head_kb_id": "", "type": "FUNDS", "tail": "Lynas",
         "tail_kb_id": "", "evidence": "'" + A2,
         "article_id": "2", "title": "'=cmd|' /C calc'!A0", "date": "2026-03-02",
         "reviewer": "cy"},
        {"head": "Lynas", "head_kb_id": "",
         "type": "OPERATES_IN", "tail": "Malaysia", "tail_kb_id": "MYS", "evidence": "'" + A2,
         "article_id": "2", "title": "'=cmd|' /C calc'!A0", "date": "2026-03-02",
         "reviewer": "cy"}]


def test_triples_csv_reads_back_the_same_with_pandas(related, tmp_path):
    pd = pytest.importorskip("pandas")  # label-studio-sdk's, in the dev environment
    dest = tmp_path / "triples.csv"
    export(related, "triples", dest)
    with dest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    frame = pd.read_csv(dest, dtype=str, keep_default_na=False)
    assert frame.to_dict(orient="records") == rows
    assert list(frame["head"]) == ["Chile", "Australia", "'=Evil Corp", "Lynas"]


def test_the_cli_and_the_export_dialog_offer_the_relation_formats(related, qtbot, tmp_path):
    helped = subprocess.run([sys.executable, "-m", "core.cli", "export", "--help"], cwd=REPO,
                            env=ENV, capture_output=True, text=True, timeout=300)
    assert "doccano-relations" in helped.stdout and "triples" in helped.stdout
    related.close()
    dest = tmp_path / "t.csv"
    done = subprocess.run([sys.executable, "-m", "core.cli", "export", str(related.path),
                           "-f", "triples", "-o", str(dest)], cwd=REPO, env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "4 relation(s)" in done.stdout + done.stderr
    from tests.gui_helpers import open_window

    window = open_window(qtbot, tmp_path, related.path)
    dialog = window.jobs.export_dialog()
    for fmt in ("doccano-relations", "triples"):
        assert dialog.format.findData(fmt) >= 0
    dialog.format.setCurrentIndex(dialog.format.findData("doccano-relations"))
    out = tmp_path / "d.jsonl"
    dialog.destination.setText(str(out))
    dialog.accept()
    qtbot.waitUntil(lambda: out.exists() and window.jobs.job is None, timeout=30_000)
    assert [len(x["relations"]) for x in _lines(out)] == [2, 2, 0]


def test_triples_evidence_spans_the_sentences_of_both_ends(tmp_path):
    text = "Australia and Japan met. Later, Australia signed with Japan.\nA heading"
    proj = Project.create(tmp_path / "p.assay", rules=store_rules())
    proj.add_articles([ArticleIn(text=text, spans=(
        _at(text, "Australia", "GPE"), SpanIn(text.rindex("Japan"), text.rindex("Japan") + 5,
                                               "GPE", "reviewer", "accepted")))])
    ids = [s.id for s in proj.spans(1)]
    proj.add_relation(1, ids[0], ids[1], "PARTNERS_WITH", "ann")
    proj.set_article_status(1, "approved", "ann")
    export(proj, "triples", tmp_path / "t.csv")
    with (tmp_path / "t.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["evidence"] == "Australia and Japan met. Later, Australia signed with Japan."
    proj.close()


def test_triples_of_articles_without_relations_are_refused_with_a_reason(tmp_path):
    proj = Project.create(tmp_path / "p.assay", rules=store_rules())
    proj.add_articles([ArticleIn(text=A3, spans=(_at(A3, "Nickel", "MINERAL"),))])
    proj.set_article_status(1, "approved", "ann")
    with pytest.raises(AssayError, match="0 relation.*accept relations between accepted"):
        export(proj, "triples", tmp_path / "t.csv")
    assert not (tmp_path / "t.csv").exists()
    proj.close()


def test_only_accepted_relations_between_accepted_entities_are_exported(related, tmp_path):
    export(related, "doccano-relations", tmp_path / "d.jsonl")
    first = _lines(tmp_path / "d.jsonl")[0]
    names = {e["id"]: A1[e["start_offset"]:e["end_offset"]] for e in first["entities"]}
    assert "China" not in names.values()  # a suggested entity
    assert [(names[r["from_id"]], r["type"], names[r["to_id"]]) for r in first["relations"]
            ] == [("Chile", "SUPPLIES", "lithium"), ("Australia", "PARTNERS_WITH", "Japan")]
