"""A link made by name follows the entity's text and label; a link a reviewer chose stays.

Written the way it broke: the window's relabel and edge keys are ``UpdateSpan`` edits, and
"US Launches Global Initiative" (LAW) relabelled GPE and shrunk to "US" stayed unlinked
while every other "US" was ``USA``, so the facts CSV missed its (country, mineral) row.
"""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from core.formats.export import export
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.review.edits import SetStatus, UpdateSpan
from core.review.history import History
from core.store import Project
from tests.gui_helpers import click_offset, open_window

# Text we wrote for these tests.
TEXT = ("US Launches Global Initiative on lithium supplies.\n"
        "The US buys lithium from Chile.")
HEADLINE = "US Launches Global Initiative"


def at(part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(part, start + 1)
    return start, start + len(part)


def make(path) -> Project:
    proj = Project.create(path, rules=store_rules())
    accepted = {"origin": "model", "state": "accepted"}  # linked by name on import
    proj.add_articles([ArticleIn(text=TEXT, title="Initiative", spans=(
        SpanIn(*at(HEADLINE), "LAW", **accepted),
        SpanIn(*at("lithium"), "MINERAL", **accepted),
        SpanIn(*at("US", 1), "GPE", **accepted),
        SpanIn(*at("lithium", 1), "MINERAL", **accepted),
        SpanIn(*at("Chile"), "GPE", **accepted)))])
    return proj


def fact_rows(proj: Project, dest) -> set[tuple[str, str, str, str]]:
    export(proj, "facts", dest)
    with open(dest, encoding="utf-8", newline="") as fh:
        return {(r["sentence_start"], r["country"], r["country_id"], r["mineral_id"])
                for r in csv.DictReader(fh)}


def headline(proj: Project):
    return next(s for s in proj.spans(1) if s.start == 0)


@pytest.mark.parametrize("order", ["relabel first", "shrink first"])
def test_relabel_and_shrink_edits_link_by_name_and_the_facts_export_has_the_row(
        tmp_path, order):
    proj = make(tmp_path / "p.assay")
    history = History(proj, "ana")
    span = headline(proj)
    assert span.kb_id is None
    relabel = UpdateSpan(span.id, "relabel as GPE", label="GPE", state="accepted")
    shrink = UpdateSpan(span.id, "move end", start=0, end=2, state="accepted")
    for edit in ([relabel, shrink] if order == "relabel first" else [shrink, relabel]):
        history.do(edit)
    assert (headline(proj).text, headline(proj).label, headline(proj).kb_id) == (
        "US", "GPE", "USA")
    history.undo()
    history.undo()
    assert (headline(proj).text, headline(proj).label, headline(proj).kb_id) == (
        HEADLINE, "LAW", None)
    history.redo()
    history.redo()
    assert headline(proj).kb_id == "USA"
    history.do(SetStatus(1, "approved"))
    rows = fact_rows(proj, tmp_path / "facts.csv")
    assert ("0", "US", "USA", "mineral:lithium") in rows
    proj.close()


def test_a_link_the_reviewer_chose_stays_through_relabel_and_resize_edits(tmp_path):
    proj = make(tmp_path / "p.assay")
    history = History(proj, "ana")
    chile = next(s for s in proj.spans(1) if s.text == "Chile")
    assert chile.kb_id == "CHL"
    history.do(UpdateSpan(chile.id, "link entity", kb_id="PER"))
    history.do(UpdateSpan(chile.id, "relabel as LOC", label="LOC", state="accepted"))
    history.do(UpdateSpan(chile.id, "move end", start=chile.start, end=chile.end - 1,
                          state="accepted"))
    assert proj.span(chile.id).kb_id == "PER"
    proj.close()


def test_the_window_keys_relabel_and_shrink_and_the_link_follows(qtbot, tmp_path):
    path = tmp_path / "w.assay"
    make(path).close()
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    view = win.view
    click_offset(view, 1)
    assert view.selected_span().text == HEADLINE
    qtbot.keyClick(view, Qt.Key.Key_2)  # GPE's key
    assert win.project.span(view.selected_span().id).label == "GPE"
    for _ in range(3):  # Alt+Left: the end edge one token back, three times
        qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    span = win.project.span(view.selected_span().id)
    assert (span.text, span.label, span.kb_id) == ("US", "GPE", "USA")
    qtbot.keyClick(view, Qt.Key.Key_A)  # approve
    assert win.project.article(1).status == "approved"
    rows = fact_rows(win.project, tmp_path / "facts.csv")
    assert ("0", "US", "USA", "mineral:lithium") in rows
