"""Formats exact in the small (issue #23 §4): each case as a user meets it, read back with the
consumer's own code (label-studio-sdk, spaCy's CoNLL converter, ``str.splitlines()``) or run
through the real CLI in another process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import AssayError
from core.formats.export import export
from core.models import CLAIM_STATES, ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import ArticleFilter, Project

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

TEXT = "Lithium exports from Chile rose. Trade flows to China grew."


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=REPO, env=ENV,
                          capture_output=True, text=True, timeout=300)


def where(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def accepted(text: str, word: str, label: str) -> SpanIn:
    return SpanIn(*where(text, word), label, origin="reviewer", state="accepted")


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------- Label Studio


def test_label_studio_marks_an_approved_article_without_entities_as_annotated(tmp_path):
    """"No entities here" is a decision: Label Studio shows a task without annotations as
    unlabelled (and hands it out again), so it gets one annotation with an empty result."""
    from label_studio_sdk.label_interface import LabelInterface

    with Project.create(tmp_path / "ls.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Nothing to label in this sentence.", title="E"),
                              ArticleIn(text=TEXT, spans=(accepted(TEXT, "Chile", "GPE"),))])
        project.approve_article(1, "ana")
        project.approve_article(2, "ana")
        dest = tmp_path / "tasks.json"
        export(project, "label-studio", dest)
    interface = LabelInterface((tmp_path / "tasks-config.xml").read_text(encoding="utf-8"))
    empty, full = json.loads(dest.read_text(encoding="utf-8"))
    assert len(empty["annotations"]) == 1
    annotation = empty["annotations"][0]
    assert annotation["result"] == [] and annotation["was_cancelled"] is False
    assert annotation["completed_by_name"] == "ana"
    assert interface.validate_annotation(annotation)
    assert interface.validate_annotation(full["annotations"][0])
    assert [r["value"]["text"] for r in full["annotations"][0]["result"]] == ["Chile"]


# ---------------------------------------------------------------- CoNLL


@pytest.fixture
def trade_flow(tmp_path) -> Path:
    path = tmp_path / "conll.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_label("TRADE FLOW", "#aa5500", "", reviewer="ana")
        project.add_articles([ArticleIn(text=TEXT, spans=(
            accepted(TEXT, "Chile", "GPE"), accepted(TEXT, "Trade flows", "TRADE FLOW")))])
        project.approve_article(1, "ana")
    return path


def _conll_lines(project: Project) -> str:
    """What the CoNLL writer makes of the project's approved articles, unchecked (what the
    export wrote before it refused such labels)."""
    import io

    from core.formats import conll
    from core.formats.base import ExportReport, Sink

    out = io.StringIO()
    records = project.reviewed(project.article_ids(ArticleFilter(status="approved")),
                               tokens=True)
    conll.write(records, Sink(report=ExportReport(), linker=project.linker(), fh=out))
    return out.getvalue()


@pytest.mark.slow
def test_conll_refuses_a_label_with_a_space_by_name(trade_flow, tmp_path):
    from spacy.training.converters import conll_ner_to_docs

    with Project.open(trade_flow, rules=store_rules()) as project:
        written = _conll_lines(project)
    assert "Trade B-TRADE FLOW" in written
    # spaCy's converter takes the second column as the tag: the label is cut to "TRADE".
    (doc,) = conll_ner_to_docs(written, no_print=True)
    assert {e.label_ for e in doc.ents} == {"GPE", "TRADE"}

    dest = tmp_path / "out.conll"
    dest.write_text("an older export\n", encoding="utf-8")
    done = cli("export", str(trade_flow), "-f", "conll", "-o", str(dest))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "'TRADE FLOW'" in done.stderr and "rename" in done.stderr
    errors = [line for line in done.stderr.splitlines() if not line.startswith("exporting")]
    assert len(errors) == 1 and errors[0].startswith("error: Export refused: CoNLL")
    assert dest.read_text(encoding="utf-8") == "an older export\n"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir() if "conll" in p.name) == [
        "conll.assay", "out.conll"]

    # Renamed as the sentence says, the export is whole and spaCy reads the label back.
    assert cli("labels", str(trade_flow), "rename", "TRADE FLOW", "TRADE_FLOW",
               "--reviewer", "ana").returncode == 0
    done = cli("export", str(trade_flow), "-f", "conll", "-o", str(dest))
    assert done.returncode == 0, done.stderr
    (doc,) = conll_ner_to_docs(dest.read_text(encoding="utf-8"), no_print=True)
    assert {(e.text, e.label_) for e in doc.ents} == {("Chile", "GPE"),
                                                      ("Trade flows", "TRADE_FLOW")}


@pytest.mark.slow
def test_conll_exports_when_the_spaced_label_is_left_out(trade_flow, tmp_path):
    dest = tmp_path / "gpe.conll"
    done = cli("export", str(trade_flow), "-f", "conll", "-o", str(dest), "--label", "GPE")
    assert done.returncode == 0, done.stderr
    assert "Chile B-GPE" in dest.read_text(encoding="utf-8")


# ---------------------------------------------------------------- nothing to export


@pytest.fixture
def pending_only(tmp_path) -> Path:
    path = tmp_path / "pending.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, spans=(accepted(TEXT, "Chile", "GPE"),)),
                              ArticleIn(text="Cobalt from the DRC.")])
        project.reject_article(2, "ana")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["assay", "conll", "label-studio", "spacy", "csv"])
def test_an_export_with_nothing_to_export_writes_nothing_and_fails(pending_only, tmp_path,
                                                                   fmt):
    out = tmp_path / "out"
    out.mkdir()
    done = cli("export", str(pending_only), "-f", fmt, "-o", str(out / "data"))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    message = done.stderr.strip()
    assert message.startswith("error: Nothing to export: the project has no approved "
                              "article (it has 1 pending, 1 rejected)")
    assert "--status" in message and "nothing was written" in message
    assert files_in(out) == {}


@pytest.mark.slow
def test_a_filter_matching_nothing_says_what_it_matched(pending_only, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    done = cli("export", str(pending_only), "-f", "doccano", "-o", str(out / "d.jsonl"),
               "--status", "rejected", "--reviewer", "bob")
    assert done.returncode != 0 and files_in(out) == {}
    assert "no rejected article reviewed by 'bob'" in done.stderr
    # The same project with a status that matches: one line, exit 0.
    done = cli("export", str(pending_only), "-f", "doccano", "-o", str(out / "d.jsonl"),
               "--status", "rejected")
    assert done.returncode == 0, done.stderr
    assert len((out / "d.jsonl").read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.slow
def test_versions_without_any_version_is_nothing_to_export(pending_only, tmp_path):
    dest = tmp_path / "v.jsonl"
    done = cli("export", str(pending_only), "-f", "versions", "-o", str(dest),
               "--status", "all")
    assert done.returncode != 0 and not dest.exists()
    assert "0 versions" in done.stderr and "assay-cli merge" in done.stderr


def test_the_export_dialog_says_the_same_sentence(qtbot, pending_only, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from core.formats.export import nothing_matched
    from tests.gui_helpers import open_window

    with Project.open(pending_only, rules=store_rules()) as project:
        sentence = nothing_matched(project, ArticleFilter(status="approved"))
    window = open_window(qtbot, tmp_path, pending_only)
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.close()

    timer = QTimer()
    timer.timeout.connect(close_box)
    timer.start(20)
    dialog = window.jobs.export_dialog()
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    dialog.status.setCurrentIndex(dialog.status.findData("approved"))
    dest = tmp_path / "d.jsonl"
    dialog.destination.setText(str(dest))
    dialog.accept()
    qtbot.waitUntil(lambda: bool(seen) and window.jobs.job is None, timeout=30_000)
    timer.stop()
    assert seen == [sentence]
    assert not dest.exists()


# ---------------------------------------------------------------- U+2028 in every JSONL


LINE_SEPARATORS = "Cobalt\u2028output in Chile rose.\u2029Lithium did not."


def _split_records(path: Path) -> list[dict]:
    """Records as a reader that splits with str.splitlines() sees them."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_every_jsonl_assay_writes_is_one_record_a_line(tmp_path):
    from core.teams.assign import hand_out
    from core.teams.merge import merge_copy

    path = tmp_path / "sep.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([
            ArticleIn(text=LINE_SEPARATORS, title="Cobalt\u2028title", spans=(
                accepted(LINE_SEPARATORS, "Chile", "GPE"),)),
            ArticleIn(text="Nickel from Indonesia.", title="Nickel")])
        paths = hand_out(project, ["ana"], tmp_path / "copies", overlap=1.0)
    with Project.open(paths["ana"], rules=store_rules()) as copy:
        for article_id in copy.article_ids():
            copy.approve_article(article_id, "ana")
    with Project.open(path, rules=store_rules()) as project:
        merge_copy(project, paths["ana"])
        project.approve_article(1, "lead")
        project.approve_article(2, "lead")
        project.add_claim(1, 0, LINE_SEPARATORS.index("."), "lead", note="a\u2029note")
    from core.formats.registry import EXPORTS

    jsonl = [name for name, form in EXPORTS.items() if form.suffix == ".jsonl"]
    assert set(jsonl) >= {"assay", "prodigy", "doccano", "versions"}
    for fmt in jsonl:
        dest = tmp_path / f"{fmt}.jsonl"
        done = cli("export", str(path), "-f", fmt, "-o", str(dest), "--status", "all")
        assert done.returncode == 0, done.stderr
        assert "\u2028" not in dest.read_text(encoding="utf-8")
        records = _split_records(dest)
        assert len(records) == 2, fmt
        texts = [r["text"] for r in records]
        assert LINE_SEPARATORS in texts, fmt  # and it reads back exactly
    # Label Studio writes one JSON array, a task a line: it splits the same way.
    done = cli("export", str(path), "-f", "label-studio", "-o", str(tmp_path / "ls.json"))
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "ls.json").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads("\n".join(lines))[0]["data"]["text"] == \
        LINE_SEPARATORS


@pytest.mark.slow
def test_annotate_jsonl_output_is_one_record_a_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": LINE_SEPARATORS, "title": "a\u2028b"},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    assert len(source.read_text(encoding="utf-8").splitlines()) == 4  # what json.dumps does
    out = tmp_path / "out.jsonl"
    done = cli("annotate-jsonl", str(source), str(out))
    assert done.returncode == 0, done.stderr
    (record,) = _split_records(out)
    assert record["text"] == LINE_SEPARATORS and record["title"] == "a\u2028b"


def test_the_job_protocol_is_one_message_a_line():
    from core.jobs import protocol

    line = protocol.encode(protocol.Warning("model\u2028missing"))
    assert line.splitlines() == [line]
    assert protocol.decode(line) == protocol.Warning("model\u2028missing")


# ---------------------------------------------------------------- label names


@pytest.mark.parametrize("name", ["G\u200bPE", "GP\u00adE", "\u200dGPE", "GPE\u2060",
                                  "G\ufeffPE", "G\u200ePE"])
@pytest.mark.slow
def test_a_label_name_with_an_invisible_character_is_refused(tmp_path, name):
    path = tmp_path / "inv.assay"
    Project.create(path, rules=store_rules()).close()
    before = path.read_bytes()
    done = cli("labels", str(path), "add", name, "--reviewer", "ana")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "invisible" in done.stderr and "U+" in done.stderr
    assert path.read_bytes() == before
    done = cli("labels", str(path), "rename", "GPE", name, "--reviewer", "ana")
    assert done.returncode != 0 and "invisible" in done.stderr
    with Project.open(path, rules=store_rules()) as project:
        assert name not in project.label_names() and "GPE" in project.label_names()


@pytest.mark.slow
def test_a_scheme_file_cannot_bring_an_invisible_label(tmp_path):
    scheme = tmp_path / "zw.json"
    scheme.write_text(json.dumps({"labels": [{"name": "GPE", "color": "#ffaa00"},
                                             {"name": "G\u200bPE", "color": "#ffaa01"}]}),
                      encoding="utf-8")
    path = tmp_path / "zw.assay"
    done = cli("new", str(path), "--scheme", str(scheme))
    assert done.returncode != 0 and "invisible" in done.stderr and not path.exists()
    Project.create(tmp_path / "p.assay", rules=store_rules()).close()
    done = cli("labels", str(tmp_path / "p.assay"), "import", str(scheme), "--reviewer", "ana")
    assert done.returncode != 0 and "invisible" in done.stderr


# ---------------------------------------------------------------- scheme files


@pytest.mark.slow
def test_a_scheme_file_with_a_bom_is_read(tmp_path):
    scheme = tmp_path / "bom.json"
    data = {"name": "bom", "labels": [{"name": "TRADE", "color": "#112233", "hotkey": "t",
                                       "description": "trade flows"}]}
    scheme.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode("utf-8"))
    done = cli("new", str(tmp_path / "new.assay"), "--scheme", str(scheme))
    assert done.returncode == 0, done.stderr
    Project.create(tmp_path / "p.assay", rules=store_rules()).close()
    done = cli("labels", str(tmp_path / "p.assay"), "import", str(scheme), "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    for name in ("new.assay", "p.assay"):
        with Project.open(tmp_path / name, rules=store_rules()) as project:
            assert project.label("TRADE").description == "trade flows"


@pytest.mark.slow
def test_a_scheme_description_that_is_an_object_is_refused(tmp_path):
    scheme = tmp_path / "obj.json"
    scheme.write_text(json.dumps({"labels": [
        {"name": "TRADE", "color": "#112233", "description": {"en": "trade flows"}}]}),
        encoding="utf-8")
    path = tmp_path / "p.assay"
    Project.create(path, rules=store_rules()).close()
    before = path.read_bytes()
    done = cli("labels", str(path), "import", str(scheme), "--reviewer", "ana")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "description of label 1 (TRADE) is an object, not text" in done.stderr
    assert path.read_bytes() == before
    done = cli("new", str(tmp_path / "new.assay"), "--scheme", str(scheme))
    assert done.returncode != 0 and "is an object, not text" in done.stderr
    assert not (tmp_path / "new.assay").exists()
    with pytest.raises(AssayError, match="not text"):
        Project.create(tmp_path / "api.assay", scheme=scheme, rules=store_rules())


# ---------------------------------------------------------------- the HTML report


@pytest.mark.slow
def test_the_report_cleans_steering_characters_from_table_cells(tmp_path):
    """A reviewer name or a model from a copy may carry ESC and RLO; the charts drop them
    (``one_line``) and so do the tables."""
    hostile_reviewer = "ana\x1b[2J\u202eneb"
    hostile_model = "m\x1b]0;owned\x07odel\u2066"
    path = tmp_path / "r.assay"
    with Project.create(path, rules=store_rules()) as project:
        # A name Project.create refuses, as a project from elsewhere may still carry it.
        project.set_meta("name", "Proj\x1b[31mect")
        project.add_articles([ArticleIn(text=TEXT)])
        project.store_annotations([(1, [SpanIn(*where(TEXT, "Chile"), "GPE")], None)],
                                  model=hostile_model)
        project.approve_article(1, hostile_reviewer, seconds=30)
    out = tmp_path / "report.html"
    done = cli("report", str(path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert '<td class="t">ana [2J neb</td>' in page  # the name, cleaned
    for char in ("\x1b", "\u202e", "\u2066", "\x07"):
        assert char not in page, repr(char)


# ---------------------------------------------------------------- ids on the command line


@pytest.mark.parametrize("given", ["99999999999999999999999", "²", "١", "-1", "1e3"])
@pytest.mark.parametrize("command", [("claims", "--claim", "{}"),
                                     ("claims", "--about", "USA", "--limit", "{}"),
                                     ("adjudicate", "take", "{}", "ana")])
@pytest.mark.slow
def test_an_id_the_cli_cannot_use_is_one_sentence(tmp_path, command, given):
    path = tmp_path / "ids.assay"
    Project.create(path, rules=store_rules()).close()
    args = [a.format(given) for a in command]
    done = cli(args[0], str(path), *args[1:])
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr
    (sentence,) = [line for line in done.stderr.splitlines() if "error:" in line]
    assert "whole number from 1 to 9223372036854775807" in sentence
    assert repr(given) in sentence


# ---------------------------------------------------------------- Assay JSONL round trip


T_ONE = "Lithium exports from Chile rose 12% in 2024. Trade flows to China grew."
T_TWO = "Cobalt from the DRC went to Finland, said Indonesia."
T_THREE = "Nickel output in Indonesia rose 30% last year."


def _decided_project(path: Path) -> None:
    """Decisions of every kind: a custom scheme (a label added with a key and a guideline,
    one recoloured, one deleted), approved, rejected and pending articles, accepted,
    rejected and suggested spans, a link removed by a reviewer, claims accepted with a
    verdict, suggested and dismissed, a note, seconds spent."""
    with Project.create(path, rules=store_rules()) as project:
        project.add_label("TRADE FLOW", "#123456", "t", "flows of goods", reviewer="ana")
        project.delete_label("LAW", "ana")
        project.update_label("GPE", "ana", color="#abcdef")
        project.add_articles([
            ArticleIn(text=T_ONE, title="one", url="http://x/1", spans=(
                SpanIn(*where(T_ONE, "Chile"), "GPE"), SpanIn(*where(T_ONE, "China"), "GPE"),
                accepted(T_ONE, "Trade flows", "TRADE FLOW"))),
            ArticleIn(text=T_TWO, title="two", spans=(
                SpanIn(*where(T_TWO, "DRC"), "GPE"), SpanIn(*where(T_TWO, "Indonesia"), "GPE"))),
            ArticleIn(text=T_THREE, source="three.txt", spans=(
                SpanIn(*where(T_THREE, "Nickel"), "MINERAL"),)),
            ArticleIn(text="Nothing to see.", title="skipped")])
        china = next(s for s in project.spans(1) if s.text == "China")
        project.reject_span(china.id, "ana")
        project.add_claim(1, 0, T_ONE.index(".") + 1, "ana", verdict="supported",
                          evidence_url="http://e", note="checked")
        project.approve_article(1, "ana", seconds=12.5)
        indonesia = next(s for s in project.spans(2) if s.text == "Indonesia")
        project.set_span_kb(indonesia.id, None, "ben")  # ben says: not linked
        project.reject_article(2, "ben", seconds=3)
        suggested = project.suggest_claims(3, "rules")
        assert suggested
        project.update_claim(suggested[0].id, "cy", state="dismissed")
        project.set_note(3, "look again", "cy")
        project.skip_article(4, "cy")


@pytest.mark.slow
def test_assay_jsonl_round_trips_byte_for_byte_through_the_cli(tmp_path):
    source = tmp_path / "source.assay"
    _decided_project(source)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    done = cli("export", str(source), "-f", "assay", "-o", str(first), "--status", "all")
    assert done.returncode == 0, done.stderr
    assert cli("new", str(tmp_path / "copy.assay")).returncode == 0
    done = cli("import", str(tmp_path / "copy.assay"), str(first))
    assert done.returncode == 0 and "4 article(s)" in done.stdout, done.stdout + done.stderr
    assert "label scheme was taken" in done.stdout
    assert "problem" not in done.stderr
    done = cli("export", str(tmp_path / "copy.assay"), "-f", "assay", "-o", str(second),
               "--status", "all")
    assert done.returncode == 0, done.stderr
    assert second.read_bytes() == first.read_bytes()

    with Project.open(tmp_path / "copy.assay", rules=store_rules()) as copy, \
            Project.open(source, rules=store_rules()) as original:
        # What a user sees in the copy: the scheme, the decisions, who made them, the links.
        assert [(lb.name, lb.color, lb.hotkey, lb.description) for lb in copy.labels()] == [
            (lb.name, lb.color, lb.hotkey, lb.description) for lb in original.labels()]
        for article_id in original.article_ids():
            a, b = original.article(article_id), copy.article(article_id)
            assert (b.status, b.reviewed_by, b.reviewed_at, b.review_seconds, b.note) == (
                a.status, a.reviewed_by, a.reviewed_at, a.review_seconds, a.note)
            assert [s[1:] for s in copy.spans(article_id)] == [  # all but the span ids
                s[1:] for s in original.spans(article_id)]
            assert copy.claims(article_id, CLAIM_STATES) == original.claims(article_id,
                                                                            CLAIM_STATES)
        assert copy.counts_by_status() == original.counts_by_status()
        unlinked = next(s for s in copy.spans(2) if s.text == "Indonesia")
        assert unlinked.kb_id is None  # ben's decision, not relinked by name


@pytest.mark.slow
def test_imported_decisions_are_logged_as_imported(tmp_path):
    """The copy's decisions keep their reviewers' names and times, but its audit log says
    they came in with an import, by whom, and names no decision event of this project."""
    import sqlite3

    source = tmp_path / "source.assay"
    _decided_project(source)
    export_file = tmp_path / "all.jsonl"
    assert cli("export", str(source), "-f", "assay", "-o", str(export_file),
               "--status", "all").returncode == 0
    Project.create(tmp_path / "copy.assay", rules=store_rules()).close()
    # the CLI's import runs as reviewer "import"
    assert cli("import", str(tmp_path / "copy.assay"), str(export_file)).returncode == 0
    conn = sqlite3.connect(tmp_path / "copy.assay")
    events = conn.execute("SELECT reviewer, article_id, action, payload FROM events "
                          "ORDER BY id").fetchall()
    conn.close()
    actions = [action for _who, _article, action, _payload in events]
    assert not [a for a in actions if a in ("article.approved", "article.rejected",
                                            "article.skipped", "span.update", "claim.update")]
    imported = {article: json.loads(payload) for who, article, action, payload in events
                if action == "article.imported"}
    assert set(imported) == {1, 2, 3, 4}
    assert all(who == "import" for who, _a, action, _p in events if action == "article.imported")
    assert imported[1]["status"] == "approved" and imported[1]["reviewed_by"] == "ana"
    assert imported[2]["reviewed_by"] == "ben" and "ben" in imported[2]["decided_by"]
    assert "label.import" in actions


@pytest.mark.slow
def test_an_assay_export_into_a_project_with_spans_adds_only_missing_labels(tmp_path):
    source = tmp_path / "source.assay"
    _decided_project(source)
    export_file = tmp_path / "all.jsonl"
    assert cli("export", str(source), "-f", "assay", "-o", str(export_file),
               "--status", "all").returncode == 0
    target = tmp_path / "busy.assay"
    with Project.create(target, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, spans=(accepted(TEXT, "Chile", "GPE"),))])
        before = {lb.name: lb for lb in project.labels()}
    done = cli("import", str(target), str(export_file))
    assert done.returncode == 0, done.stderr
    with Project.open(target, rules=store_rules()) as project:
        after = {lb.name: lb for lb in project.labels()}
        assert after["GPE"] == before["GPE"]  # its own colour stays
        assert "LAW" in after and after["TRADE FLOW"].hotkey == "t"
        assert project.counts_by_status()["approved"] == 1


@pytest.mark.slow
def test_a_forged_assay_export_is_stored_or_refused_without_a_traceback(tmp_path):
    """Ids beyond SQLite's integers, lone surrogates in names, notes and stamps: the
    articles import (the id renumbered, the surrogates as U+FFFD) and say so in the log."""
    forged = tmp_path / "forged.jsonl"
    lines = [{"id": 10**30, "text": "Chile mines lithium.", "status": "approved",
              "reviewed_by": "mallory\ud800", "reviewed_at": "2026-01-01", "note": "n\udfff",
              "review_seconds": 5, "model": None, "source": "s\ud801",
              "spans": [{"start": 0, "end": 5, "label": "GPE", "text": "Chile",
                         "origin": "reviewer", "state": "accepted", "kb_id": None,
                         "updated_by": "mallory\udc00", "updated_at": "2026"}],
              "claims": [], "other_spans": [], "other_claims": [],
              "assay_scheme": {"labels": [{"name": "GPE", "color": "#abcdef", "hotkey": "2",
                                           "description": ""}]}},
             {"id": 3, "text": "Peru mines copper.", "status": "made up"}]
    forged.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    path = tmp_path / "p.assay"
    Project.create(path, rules=store_rules()).close()
    done = cli("import", str(path), str(forged))
    assert "Traceback" not in done.stderr, done.stderr
    assert "Imported 1 article(s)" in done.stdout
    assert "forged.jsonl:2" in done.stderr and "has no status" in done.stderr
    with Project.open(path, rules=store_rules()) as project:
        (article_id,) = project.article_ids()
        article = project.article(article_id)
        assert article_id == 1 and article.reviewed_by == "mallory\ufffd"
        assert article.note == "n\ufffd" and article.source == "s\ufffd"
        assert [s.updated_by for s in project.spans(article_id)] == ["mallory\ufffd"]
        assert [lb.name for lb in project.labels()] == ["GPE"]


@pytest.mark.slow
def test_the_window_shows_the_scheme_an_imported_export_brings(qtbot, tmp_path):
    from tests.gui_helpers import open_window

    source = tmp_path / "source.assay"
    _decided_project(source)
    export_file = tmp_path / "all.jsonl"
    assert cli("export", str(source), "-f", "assay", "-o", str(export_file),
               "--status", "all").returncode == 0
    fresh = tmp_path / "fresh.assay"
    Project.create(fresh, rules=store_rules()).close()
    window = open_window(qtbot, tmp_path / "settings", fresh)
    assert "TRADE FLOW" not in window.label_bar.buttons
    job = window.jobs.start_import([str(export_file)])
    qtbot.waitSignal(job.finished, timeout=30_000).wait()
    qtbot.waitUntil(lambda: window.jobs.job is None, timeout=30_000)
    assert "TRADE FLOW" in window.label_bar.buttons and "LAW" not in window.label_bar.buttons


@pytest.mark.slow
def test_a_forged_rejected_span_refuses_the_assay_export(tmp_path):
    """Assay JSONL writes rejected spans too, so they are checked like accepted ones: a
    span whose text no longer matches (forged with sqlite3) refuses the export."""
    import sqlite3

    source = tmp_path / "source.assay"
    _decided_project(source)
    conn = sqlite3.connect(source)
    conn.execute("UPDATE spans SET text = 'Japan' WHERE state = 'rejected'")
    conn.commit()
    conn.close()
    dest = tmp_path / "out.jsonl"
    done = cli("export", str(source), "-f", "assay", "-o", str(dest), "--status", "all")
    assert done.returncode != 0 and "'Japan' but the text there is 'China'" in done.stderr
    assert not dest.exists()
