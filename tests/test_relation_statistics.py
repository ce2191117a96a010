"""Relations in the statistics keep their sums (issue 26): after edits, undos, a merge and
an adjudication, relations per type and state in ``assay-cli stats``, the report and the
statistics window equal a GROUP BY of the relation rows. The numbers come from
``relation_counts``, which every write keeps; this checks that it is kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core.nlp.store_rules import store_rules
from core.review.edits import AddSpan, UpdateSpan
from core.review.history import History
from core.review.relation_edits import AddRelation, DeleteRelation, UpdateRelation
from core.store import Project
from tests.test_team_relations import cli, origin, review_relations  # noqa: F401


def grouped(path: Path) -> dict[str, dict[str, int]]:
    """Relations per type and state, counted from the rows themselves."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, state, count(*) FROM relations GROUP BY type, state")
        out: dict[str, dict[str, int]] = {}
        for kind, state, n in rows:
            out.setdefault(kind, {})[state] = n
        return out
    finally:
        conn.close()


def nonzero(relations: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {k: {s: n for s, n in by.items() if n} for k, by in relations.items()
            if any(by.values())}


def stats(path: Path) -> dict[str, dict[str, int]]:
    done = cli("stats", path, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["relations"]


@pytest.fixture
def edited(origin, tmp_path) -> Path:  # noqa: F811
    """The team project after edits and undos on the one history (draw, accept, reject,
    retype, delete, an entity added and related, undone and redone, an entity rejected),
    a merge of
    ana's copy and taking her version."""
    with Project.open(origin, rules=store_rules()) as p:
        history = History(p, "lead")
        spans = {s.text: s for s in p.spans(2)}
        history.do(AddRelation(2, spans["Chile"].id, spans["Japan"].id, "PARTNERS_WITH"))
        produces, supplies = p.relations(2)[:2]
        history.do(UpdateRelation(produces.id, "accept", state="accepted"))
        history.do(UpdateRelation(supplies.id, "reject", state="rejected"))
        history.do(UpdateRelation(supplies.id, "retype", type="RESTRICTS"))
        history.undo()
        history.do(DeleteRelation(p.relation(produces.id)))
        history.undo()
        history.undo()
        history.redo()
        text = p.article_text(2)
        iea = AddSpan(2, text.index("IEA"), text.index("IEA") + 3, "ORG")
        history.do(iea)
        assert iea.span_id is not None
        history.do(AddRelation(2, iea.span_id, spans["Chile"].id, "FUNDS"))
        history.undo()
        history.undo()  # the entity goes; its relation went first
        history.redo()
        history.redo()
        history.do(UpdateSpan(spans["Japan"].id, "reject", state="rejected"))
    out = tmp_path / "copies"
    assert cli("assign", origin, "--reviewers", "ana", "--overlap", "1", "--all", "-o",
               out).returncode == 0
    review_relations(out / "team-ana.assay", "ana",
                     {"Chile PRODUCES lithium": "accepted", "Peru SUPPLIES copper": "accepted"},
                     [("Chile", "PARTNERS_WITH", "Japan"), ("Peru", "SUPPLIES", "Japan")])
    assert cli("merge", origin, out / "team-ana.assay").returncode == 0
    assert cli("adjudicate", origin, "take", 1, "ana").returncode == 0
    return origin


@pytest.mark.slow
def test_relations_per_type_and_state_equal_the_rows(edited):
    counted = grouped(edited)
    assert counted  # something to count, in more than one state
    assert len({s for by in counted.values() for s in by}) >= 2
    assert nonzero(stats(edited)) == counted
    text = cli("stats", edited).stdout
    assert "Relations per type (" in text and "SUPPLIES" in text
    page = edited.with_suffix(".html")
    assert cli("report", edited, "-o", page).returncode == 0
    html = page.read_text(encoding="utf-8")
    assert 'id="relation-types"' in html and "Relations per type" in html


@pytest.mark.slow
def test_the_statistics_window_shows_relations_per_type(qtbot, edited, tmp_path):
    from tests.gui_helpers import open_window

    counted = grouped(edited)
    win = open_window(qtbot, tmp_path, edited)
    win.act_statistics.trigger()
    dialog = win.statistics_window
    qtbot.waitUntil(lambda: dialog.numbers is not None and dialog.done_reading(),
                    timeout=30_000)
    dialog.tabs.setCurrentWidget(dialog.relations_pane)
    total = sum(sum(by.values()) for by in counted.values())
    accepted = sum(by.get("accepted", 0) for by in counted.values())
    assert dialog.relations_pane.summary.text().startswith(
        f"{total} relations: {accepted} accepted")
    axes = dialog.relations_pane.figure.axes[0]
    assert axes.get_title() == f"Relations per type: {total}"
    qtbot.waitUntil(dialog.done_reading, timeout=30_000)
