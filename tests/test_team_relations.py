"""Relations in team work (issue 26): a copy carries the relations it may show (a blind
copy the pre-annotator's suggestions between the suggestions it carries, pending; a second
opinion the lead's), a version carries each reviewer's relations, and merge checks them
as the untrusted input they are: a forged relation refuses the copy with one sentence and
leaves the project byte for byte as it was.

Copies are handed out and merged with the real CLI (a subprocess, as a lead runs it),
reviewed through the store as the window does, and forged with the sqlite3 module."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import ArticleIn, RelationIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project

REPO = Path(__file__).parents[1]


def text_of(i: int) -> str:
    return f"Report {i}: Chile mines lithium and Peru sells copper to Japan, the IEA said."


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=180)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def forge(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in sql:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def triples(project: Project, article_id: int) -> set[tuple[str, str, str, str]]:
    """(head text, type, tail text, state) of an article's relations, as a user reads them."""
    text = {s.id: s.text for s in project.spans(article_id)}
    return {(text[r.head_id], r.type, text[r.tail_id], r.state)
            for r in project.relations(article_id)}


def version_triples(version) -> set[tuple[str, str, str, str]]:
    return {(f"{version.spans[r.head].start}:{version.spans[r.head].label}", r.type,
             f"{version.spans[r.tail].start}:{version.spans[r.tail].label}", r.state)
            for r in version.relations}


@pytest.fixture
def origin(tmp_path) -> Path:
    """Two articles pre-annotated with Chile GPE, lithium MINERAL, Peru GPE, copper
    MINERAL, Japan GPE and the model's relations Chile PRODUCES lithium and Peru SUPPLIES
    copper; in article 1 the lead accepted Chile PRODUCES lithium, rejected Peru SUPPLIES
    copper and added Peru SUPPLIES Japan, and approved it."""
    path = tmp_path / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=text_of(i), title=f"R{i}", spans=tuple(
            SpanIn(*at(text_of(i), word), label) for word, label in (
                ("Chile", "GPE"), ("lithium", "MINERAL"), ("Peru", "GPE"),
                ("copper", "MINERAL"), ("Japan", "GPE"))),
            relations=(RelationIn(0, 1, "PRODUCES", origin="model", model="m==1"),
                       RelationIn(2, 3, "SUPPLIES", origin="model", model="m==1")))
            for i in (1, 2)])
        produces, supplies = p.relations(1)
        p.update_relation(produces.id, "lead", state="accepted")
        p.update_relation(supplies.id, "lead", state="rejected")
        spans = {s.text: s for s in p.spans(1)}
        p.add_relation(1, spans["Peru"].id, spans["Japan"].id, "SUPPLIES", "lead")
        p.approve_article(1, "lead")
    return path


def hand_out(origin: Path, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "copies"
    done = cli("assign", origin, "--reviewers", "ana", "--overlap", "1", "--all", *extra,
               "-o", out)
    assert done.returncode == 0, done.stderr
    return out / "team-ana.assay"


def first(copy: Project) -> int:
    return next(a for a in copy.article_ids() if copy.article(a).title == "R1")


@pytest.mark.slow
def test_a_blind_copy_carries_the_suggested_relations_never_the_leads(origin, tmp_path):
    path = hand_out(origin, tmp_path)
    with Project.open(path, rules=store_rules()) as copy:
        assert triples(copy, first(copy)) == {("Chile", "PRODUCES", "lithium", "suggested"),
                                              ("Peru", "SUPPLIES", "copper", "suggested")}
        assert {r.origin for r in copy.relations(first(copy))} == {"model"}
        assert [t.name for t in copy.relation_types()] == [
            t.name for t in Project.open(origin, read_only=True,
                                         rules=store_rules()).relation_types()]


@pytest.mark.slow
def test_a_second_opinion_copy_carries_the_leads_relations(origin, tmp_path):
    path = hand_out(origin, tmp_path, "--show-decisions")
    with Project.open(path, rules=store_rules()) as copy:
        assert triples(copy, first(copy)) == {("Chile", "PRODUCES", "lithium", "accepted"),
                                              ("Peru", "SUPPLIES", "Japan", "accepted")}


@pytest.fixture
def reviewed(origin, tmp_path) -> Path:
    """ana's copy: in R1 she accepts Chile PRODUCES lithium, rejects Peru SUPPLIES copper
    and adds Peru SUPPLIES Japan; she approves both articles."""
    path = hand_out(origin, tmp_path)
    with Project.open(path, rules=store_rules()) as copy:
        article = first(copy)
        rels = {copy.relation_text(r): r for r in copy.relations(article)}
        copy.update_relation(rels["Chile PRODUCES lithium"].id, "ana", state="accepted")
        copy.update_relation(rels["Peru SUPPLIES copper"].id, "ana", state="rejected")
        spans = {s.text: s for s in copy.spans(article)}
        copy.add_relation(article, spans["Peru"].id, spans["Japan"].id, "SUPPLIES", "ana")
        for article_id in copy.article_ids():
            copy.approve_article(article_id, "ana")
    return path


@pytest.mark.slow
def test_a_version_carries_the_reviewers_relations_by_their_spans(origin, reviewed):
    done = cli("merge", origin, reviewed)
    assert done.returncode == 0, done.stderr
    with Project.open(origin, read_only=True, rules=store_rules()) as p:
        (version,) = p.versions([1])
        text = p.article_text(1)
        named = {(text[version.spans[r.head].start:version.spans[r.head].end], r.type,
                  text[version.spans[r.tail].start:version.spans[r.tail].end], r.state)
                 for r in version.relations}
        assert named == {("Chile", "PRODUCES", "lithium", "accepted"),
                         ("Peru", "SUPPLIES", "copper", "rejected"),
                         ("Peru", "SUPPLIES", "Japan", "accepted")}
        (second,) = p.versions([2])  # approving accepted the suggested ones
        assert {r.state for r in second.relations} == {"accepted"}
    again = cli("merge", origin, reviewed)  # the same copy again changes nothing
    assert "0 new, 0 updated, 2 unchanged" in again.stdout


ONE = "(SELECT min(id) FROM articles)"
SPAN = "(SELECT id FROM spans WHERE article_id = {a} AND text = '{text}')"
REL = ("INSERT INTO relations(article_id, head_id, tail_id, type, state, origin) "
       "VALUES ({a}, {head}, {tail}, '{kind}', '{state}', 'reviewer')")


def _rel(head: str, tail: str, kind: str = "SUPPLIES", state: str = "accepted",
         a: str = ONE) -> str:
    return REL.format(a=a, head=SPAN.format(a=ONE, text=head) if not head.isdigit() else head,
                      tail=SPAN.format(a=ONE, text=tail), kind=kind, state=state)


FORGERIES = {
    "an end in another article": [
        REL.format(a=ONE, head="(SELECT max(id) FROM spans)", tail=SPAN.format(
            a=ONE, text="Japan"), kind="SUPPLIES", state="accepted")],
    "an end that is no span": [_rel("999999", "Japan")],
    "a type the scheme lacks": ["PRAGMA foreign_keys = OFF",
                                _rel("Chile", "Japan", kind="INVADES")],
    "labels the type does not allow": [_rel("lithium", "Japan", kind="FUNDS")],
    "a relation twice": [_rel("Chile", "lithium", kind="PRODUCES")],
    "a symmetric one both ways": [_rel("Chile", "Japan", kind="PARTNERS_WITH"),
                                  _rel("Japan", "Chile", kind="PARTNERS_WITH")],
    "a state the store does not know": [_rel("Chile", "Japan", state="maybe")],
    "an entity joined to itself": [_rel("Chile", "Chile", kind="PARTNERS_WITH")],
    "far too many relations": [
        "INSERT INTO relations(article_id, head_id, tail_id, type, state, origin) "
        f"SELECT {ONE}, {SPAN.format(a=ONE, text='Chile')}, "
        f"{SPAN.format(a=ONE, text='Japan')}, 'SUPPLIES', 'rejected', 'reviewer' "
        "FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 20001) SELECT i FROM n)"],
}


@pytest.mark.slow
@pytest.mark.parametrize("what", list(FORGERIES))
def test_a_forged_relation_refuses_the_copy_and_leaves_the_project(origin, reviewed,
                                                                   tmp_path, what):
    forged = tmp_path / "forged.assay"
    shutil.copy(reviewed, forged)
    # Written as a hostile tool would: past the file's own CHECK and trigger-free schema.
    forge(forged, "PRAGMA ignore_check_constraints = ON", *FORGERIES[what])
    before = digest(origin)
    done = cli("merge", origin, forged)
    assert done.returncode != 0, done.stdout
    err = done.stderr.strip()
    assert "Traceback" not in done.stderr and len(err.splitlines()) == 1, done.stderr
    assert "Cannot merge forged.assay" in err and "Nothing was merged" in err
    assert "relation" in err
    assert digest(origin) == before
    assert cli("merge", origin, reviewed).returncode == 0  # the honest one merges


def review_relations(path: Path, reviewer: str, wants: dict[str, str],
                     adds: list[tuple[str, str, str]]) -> None:
    """A reviewer's work in R1 of their copy (``wants``: a suggested relation's text to
    the state they give it; ``adds``: relations they draw), then both articles approved."""
    with Project.open(path, rules=store_rules()) as copy:
        article = first(copy)
        for rel in copy.relations(article):
            copy.update_relation(rel.id, reviewer, state=wants[copy.relation_text(rel)])
        spans = {s.text: s for s in copy.spans(article)}
        for head, kind, tail in adds:
            copy.add_relation(article, spans[head].id, spans[tail].id, kind, reviewer)
        for article_id in copy.article_ids():
            copy.approve_article(article_id, reviewer)


@pytest.fixture
def two_reviewed(origin, tmp_path) -> Path:
    """ana and ben review both articles; in R1 they agree on Chile PRODUCES lithium and
    on the partnership of Chile and Japan (drawn in opposite directions: the type is
    symmetric), ana rejects Peru SUPPLIES copper and draws Peru SUPPLIES Japan, ben keeps
    Peru SUPPLIES copper. R2: both approve the suggestions as they are."""
    out = tmp_path / "copies"
    done = cli("assign", origin, "--reviewers", "ana,ben", "--overlap", "1", "--all",
               "-o", out)
    assert done.returncode == 0, done.stderr
    review_relations(out / "team-ana.assay", "ana",
                     {"Chile PRODUCES lithium": "accepted", "Peru SUPPLIES copper": "rejected"},
                     [("Peru", "SUPPLIES", "Japan"), ("Chile", "PARTNERS_WITH", "Japan")])
    review_relations(out / "team-ben.assay", "ben",
                     {"Chile PRODUCES lithium": "accepted", "Peru SUPPLIES copper": "accepted"},
                     [("Japan", "PARTNERS_WITH", "Chile")])
    done = cli("merge", origin, out / "team-ana.assay", out / "team-ben.assay")
    assert done.returncode == 0, done.stderr
    return origin


@pytest.mark.slow
def test_agreement_reports_relation_f1_per_type_and_kappa(two_reviewed):
    import json

    from sklearn.metrics import cohen_kappa_score

    report = json.loads(cli("agreement", two_reviewed, "--json").stdout)
    overall, (pair,) = report["overall"], report["pairs"]
    # ana 5 relations, ben 5, 4 the same (ends and type): 2·4 / 10.
    assert overall["relation_f1"] == pytest.approx(0.8)
    assert overall["relation_per_type"] == {"PARTNERS_WITH": 1.0, "PRODUCES": 1.0,
                                            "SUPPLIES": 0.5}
    # The entity pairs either related: (Chile, lithium) ×2, (Peru, copper) ×2,
    # (Peru, Japan), (Chile, Japan); what each said of them.
    ana = ["PRODUCES", "none", "SUPPLIES", "PARTNERS", "PRODUCES", "SUPPLIES"]
    ben = ["PRODUCES", "SUPPLIES", "none", "PARTNERS", "PRODUCES", "SUPPLIES"]
    assert pair["relation_kappa"] == pytest.approx(cohen_kappa_score(ana, ben))
    assert pair["relation_pairs_compared"] == 6
    text = cli("agreement", two_reviewed).stdout
    assert "Relation F1 0.800" in text and "SUPPLIES" in text and "relation F1 0.500" in text


def test_relation_kappa_is_undefined_without_relations():
    from core.models import Version
    from core.teams.relation_agreement import RelationTally

    spans = (SpanIn(0, 5, "GPE", state="accepted"), SpanIn(6, 9, "MINERAL", state="accepted"))
    plain = Version(0, 1, "ana", "approved", "", None, None, "c", "", spans, ())
    tally = RelationTally()
    tally.add(plain, plain, ())
    assert (tally.f1(), tally.units) == (None, {})


@pytest.mark.slow
def test_the_agreement_view_shows_relation_agreement(qtbot, two_reviewed, tmp_path):
    from tests.gui_helpers import open_window

    win = open_window(qtbot, tmp_path, two_reviewed)
    win.act_agreement.trigger()
    qtbot.waitUntil(lambda: getattr(win, "agreement_dialog", None) is not None
                    and win.agreement_dialog.isVisible(), timeout=30_000)
    summary = win.agreement_dialog.summary.text()
    assert "relation F1 0.800" in summary
    assert "Relation F1 by type: PARTNERS_WITH 1.000 · PRODUCES 1.000 · SUPPLIES 0.500" \
        in summary
    win.agreement_dialog.close()


def curated(project: Project) -> set[tuple[str, str, str, str]]:
    return triples(project, 1)


def as_stored(project: Project) -> list[tuple]:
    """The article's relations with their ids, who and when (what an undo puts back)."""
    return [(r.id, r.type, r.state, r.origin, r.model, r.updated_by, r.updated_at)
            for r in project.relations(1)]


@pytest.mark.slow
def test_adjudication_shows_where_relations_differ_and_takes_them_with_the_keys(
        qtbot, two_reviewed, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.gui_helpers import open_window

    win = open_window(qtbot, tmp_path, two_reviewed, reviewer="lead")
    view, project = win.view, win.project
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    before = as_stored(project)
    lead = curated(project)
    win.show_article(1)
    QTest.keyClick(view, Qt.Key.Key_A, ctrl | shift)  # Review → Adjudicate
    panel = win.adjudication.panel
    qtbot.waitUntil(lambda: panel.article_ids() == [1])
    # The entities are agreed; the relations differ at Peru, copper and Japan.
    assert "differ in 3 place(s). They agree on 2 relation(s) and differ on 2." in \
        panel.summary.text()
    rows = [panel.regions.topLevelItem(i) for i in range(panel.regions.topLevelItemCount())]
    assert [row.text(0) for row in rows] == ["Peru · relations", "copper · relations",
                                             "Japan · relations"]
    assert "ana&#x27;s relations: Peru SUPPLIES Japan" in rows[0].toolTip(0)  # plain text
    # Ctrl+Shift+1: ana's whole version, her relations with it, on the curated spans.
    QTest.keyClick(view, Qt.Key.Key_1, ctrl | shift)
    assert curated(project) == {("Chile", "PRODUCES", "lithium", "accepted"),
                                ("Peru", "SUPPLIES", "Japan", "accepted"),
                                ("Chile", "PARTNERS_WITH", "Japan", "accepted")}
    QTest.keyClick(view, Qt.Key.Key_Z, ctrl)  # undo: the lead's relations, as they were
    assert as_stored(project) == before and curated(project) == lead
    # Ctrl+Alt+2 on the first place (Peru): ben's relations there replace the curated ones.
    QTest.keyClick(view, Qt.Key.Key_2, ctrl | Qt.KeyboardModifier.AltModifier)
    assert curated(project) == {("Chile", "PRODUCES", "lithium", "accepted"),
                                ("Peru", "SUPPLIES", "copper", "accepted")}
    QTest.keyClick(view, Qt.Key.Key_Z, ctrl)
    assert as_stored(project) == before and curated(project) == lead
    win.close()


@pytest.mark.slow
def test_the_agreed_relations_are_settled_and_a_version_taken_by_the_cli(two_reviewed):
    done = cli("adjudicate", two_reviewed, "take", "1", "ben")
    assert done.returncode == 0, done.stderr
    with Project.open(two_reviewed, read_only=True, rules=store_rules()) as p:
        assert curated(p) == {("Chile", "PRODUCES", "lithium", "accepted"),
                              ("Peru", "SUPPLIES", "copper", "accepted"),
                              ("Chile", "PARTNERS_WITH", "Japan", "accepted")}
    done = cli("adjudicate", two_reviewed, "auto", "--replace")
    assert done.returncode == 0, done.stderr
    with Project.open(two_reviewed, read_only=True, rules=store_rules()) as p:
        # What both have: the entities, Chile PRODUCES lithium and the partnership (drawn
        # the other way round by ben: one relation either way, merged in text order).
        assert curated(p) == {("Chile", "PRODUCES", "lithium", "accepted"),
                              ("Chile", "PARTNERS_WITH", "Japan", "accepted")}


@pytest.mark.slow
def test_taking_a_version_undoes_and_redoes_with_the_same_relation_ids(two_reviewed):
    """Later edits name relations by id: a redo gives the taken relations their ids again,
    so an edit of one of them still undoes and redoes after it."""
    from core.review.history import History
    from core.review.relation_edits import UpdateRelation
    from core.teams.adjudicate import take_version

    with Project.open(two_reviewed, rules=store_rules()) as p:
        history = History(p, "lead")
        (ana,) = [v for v in p.versions([1]) if v.reviewer == "ana"]
        for edit in take_version(ana, approve=False):
            history.do(edit)
        taken = as_stored(p)
        supplies = next(r for r in p.relations(1) if r.type == "SUPPLIES")
        history.do(UpdateRelation(supplies.id, "reject", state="rejected"))
        history.undo()
        history.undo()
        history.redo()
        assert [r[:4] for r in as_stored(p)] == [r[:4] for r in taken]
        history.redo()
        assert p.relation(supplies.id).state == "rejected"
