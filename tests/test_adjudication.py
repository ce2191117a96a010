"""Adjudication: reviewers' versions side by side, the regions where they differ, taking a
region or a whole version into the curated spans, on the undo history; and the window's
adjudication view driven with real keys. Expected lanes and regions are written by hand."""

from __future__ import annotations

import pytest

from core.models import ArticleIn, SpanIn, Version
from core.nlp.store_rules import store_rules
from core.review.history import History
from core.store import Project
from core.teams.adjudicate import (
    AdoptSpans,
    TakeRegion,
    compare,
    last_change,
    next_region,
    settle,
    take_region,
)

TEXT = "Albemarle Corp. and Tianqi Lithium buy lithium in Chile and Western Australia."
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def span(word: str, label: str, kb_id: str | None = None) -> SpanIn:
    return SpanIn(*at(word), label, origin="reviewer", state="accepted", kb_id=kb_id)


def version(reviewer: str, *spans: SpanIn, status: str = "approved") -> Version:
    return Version(id=0, article_id=1, reviewer=reviewer, status=status, note="",
                   review_seconds=30.0, reviewed_at="2026-12-02T10:00:00Z",
                   copy_id=f"copy-{reviewer}", merged_at="", spans=tuple(spans), claims=())


# ana, ben and cy agree on lithium and Chile. They differ on the companies (ana: one ORG
# "Albemarle Corp."; ben: "Albemarle" only; cy: nothing), on Tianqi (ana and ben ORG, cy
# nothing) and on Western Australia (ana LOC, ben and cy GPE).
ANA = version("ana", span("Albemarle Corp.", "ORG", "Q1"), span("Tianqi Lithium", "ORG"),
              span("lithium", "MINERAL"),
              span("Chile", "GPE"), span("Western Australia", "LOC"))
BEN = version("ben", span("Albemarle", "ORG"), span("Tianqi Lithium", "ORG"),
              span("lithium", "MINERAL"), span("Chile", "GPE"),
              span("Western Australia", "GPE"))
CY = version("cy", span("lithium", "MINERAL"), span("Chile", "GPE"),
             span("Western Australia", "GPE"))


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "adj.assay"
    with Project.create(path, name="adj", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=TEXT, title="Buyers", spans=(
            SpanIn(*at("Albemarle"), "ORG"), SpanIn(*at("Chile"), "GPE")))])
        p.put_versions([ANA, BEN, CY], "lead")
        yield p


def test_lanes_and_regions_are_what_each_reviewer_marked():
    c = compare([CY, ANA, BEN])  # the order given does not matter: by reviewer
    assert c.reviewers == ("ana", "ben", "cy")
    lithium, chile = (*at("lithium"), "MINERAL"), (*at("Chile"), "GPE")
    assert c.agreed == {lithium, chile}
    assert c.lanes[2] == ((*lithium, True), (*chile, True),
                          (*at("Western Australia"), "GPE", False))
    # Three regions: the Albemarle spans joined, Tianqi, Western Australia.
    assert [(r.start, r.end) for r in c.regions] == [
        at("Albemarle Corp."), at("Tianqi Lithium"), at("Western Australia")]
    first = c.regions[0]
    assert first.spans == {"ana": ((*at("Albemarle Corp."), "ORG"),),
                           "ben": ((*at("Albemarle"), "ORG"),), "cy": ()}
    assert c.region_at(at("Corp.")[0]) is first
    assert c.region_at(at("Chile")[0]) is None  # agreed: nothing to settle there
    assert next_region(c.regions, 0, 1) is c.regions[1]  # after the cursor at 0
    assert next_region(c.regions, at("Western")[0], 1) is first  # wraps round
    assert next_region(c.regions, at("Albemarle")[0], -1) is c.regions[-1]


@pytest.mark.slow
def test_taking_a_region_replaces_only_what_touches_it_and_keeps_the_reviewers_link(project):
    c = compare(project.versions([1]))
    history = History(project, "lead")
    history.do(AdoptSpans(1, [SpanIn(*a, label, origin="reviewer", state="accepted")
                              for *a, label in sorted(c.agreed)], "take the agreed spans"))
    curated = project.spans(1)
    assert [s.text for s in curated] == ["lithium", "Chile"]
    edit = TakeRegion(1, take_region(curated, c, c.regions[0], "ana"), "take ana's span",
                      c.regions[0], "ana")
    history.do(edit)
    spans = project.spans(1)
    assert [(s.text, s.label, s.updated_by) for s in spans] == [
        ("Albemarle Corp.", "ORG", "lead"), ("lithium", "MINERAL", "lead"),
        ("Chile", "GPE", "lead")]
    assert spans[0].kb_id == "Q1"  # ana's link comes with her span
    assert edit.focus.span_id == spans[0].id  # the view selects what was taken
    # Taking ben's view of the same region replaces ana's span with his narrower one;
    # cy's view of it is "nothing here".
    curated = project.spans(1)
    history.do(TakeRegion(1, take_region(curated, c, c.regions[0], "ben"), "t", c.regions[0],
                          "ben"))
    assert [s.text for s in project.spans(1)][:1] == ["Albemarle"]
    history.do(TakeRegion(1, take_region(project.spans(1), c, c.regions[0], "cy"), "t",
                          c.regions[0], "cy"))
    assert [s.text for s in project.spans(1)] == ["lithium", "Chile"]
    # Every step comes off again, exactly.
    history.undo()
    history.undo()
    assert [s.text for s in project.spans(1)] == ["Albemarle Corp.", "lithium", "Chile"]
    history.undo()
    history.undo()
    assert [(s.text, s.state) for s in project.spans(1)] == [
        ("Albemarle", "suggested"), ("Chile", "suggested")]


def test_the_agreed_spans_are_taken_once_on_a_pending_untouched_article(project):
    versions = project.versions([1])
    assert settle(1, "pending", project.spans(1), versions).outcome == "take"
    assert settle(1, "approved", project.spans(1), versions).outcome == "decided"
    History(project, "lead").do(AdoptSpans(1, [], "clear"))
    assert settle(1, "pending", [], versions).outcome == "take"  # something agreed to take
    History(project, "lead").do(AdoptSpans(1, [span("Chile", "GPE")], "took"))
    assert settle(1, "pending", project.spans(1), versions).outcome == "decided"
    who, when = last_change(project, 1)
    assert who == "lead" and when.startswith("20")


# ---------------------------------------------------------------- in the window

OTHER = "Cobalt from Congo goes to China."


def review_in_window(qtbot, tmp_path, copy_path, reviewer: str) -> None:
    """cy's review of the first article, done in the window with real keys and a drag:
    reject the suggested Albemarle, label lithium and Western Australia, approve both."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tests.gui_helpers import drag_select, open_window

    win = open_window(qtbot, tmp_path / reviewer, copy_path, reviewer=reviewer)
    first = next(a for a in win.project.article_ids() if win.project.article(a).title == "Buyers")
    win.show_article(first)
    view = win.view
    QTest.keyClick(view, Qt.Key.Key_Tab)  # the first entity: the suggested Albemarle
    assert view.selected_span().text == "Albemarle"
    QTest.keyClick(view, Qt.Key.Key_Delete)
    for word, key in (("lithium", Qt.Key.Key_1), ("Western Australia", Qt.Key.Key_2)):
        drag_select(view, *at(word))
        QTest.keyClick(view, key)
    QTest.keyClick(view, Qt.Key.Key_A)  # approve, and on to the other article
    QTest.keyClick(view, Qt.Key.Key_A)
    win.close()


def reviewed_by_three(tmp_path, qtbot=None):
    """An origin of two articles handed out to ana, ben and cy (each gets both), each
    copy reviewed through the store as the window does (with ``qtbot``: cy reviews in the
    window), all three merged back. On the first article they differ as ANA, BEN and CY
    do above; on the second they agree."""
    from core.teams.assign import hand_out
    from core.teams.merge import merge_copy

    origin = tmp_path / "team.assay"
    with Project.create(origin, name="team", rules=store_rules()) as p:
        p.add_articles([
            ArticleIn(text=TEXT, title="Buyers", spans=(
                SpanIn(*at("Albemarle"), "ORG"), SpanIn(*at("Chile"), "GPE"))),
            ArticleIn(text=OTHER, title="Cobalt", spans=(
                SpanIn(0, 6, "MINERAL"), SpanIn(12, 17, "GPE")))])
        paths = hand_out(p, ["ana", "ben", "cy"], tmp_path / "out", overlap=1.0)
    plans = {"ana": [("Albemarle Corp.", "ORG"), ("Tianqi Lithium", "ORG"),
                     ("lithium", "MINERAL"), ("Western Australia", "LOC")],
             "ben": [("Tianqi Lithium", "ORG"), ("lithium", "MINERAL"),
                     ("Western Australia", "GPE")],
             "cy": [("lithium", "MINERAL"), ("Western Australia", "GPE")]}
    for reviewer, path in paths.items():
        if reviewer == "cy" and qtbot is not None:
            (tmp_path / reviewer).mkdir()
            review_in_window(qtbot, tmp_path, path, reviewer)
            continue
        with Project.open(path, rules=store_rules()) as copy:
            first = next(a for a in copy.article_ids() if copy.article(a).title == "Buyers")
            if reviewer != "ben":  # ben keeps the suggested "Albemarle"
                albemarle = next(s for s in copy.spans(first) if s.text == "Albemarle")
                copy.update_span(albemarle.id, reviewer, state="rejected")
            for word, label in plans[reviewer]:
                copy.add_span(first, *at(word), label, reviewer)
            for article_id in copy.article_ids():
                copy.approve_article(article_id, reviewer)
    with Project.open(origin, rules=store_rules()) as p:
        for path in paths.values():
            merge_copy(p, path)
    return origin


@pytest.mark.slow
@pytest.mark.parametrize("cy_in_the_window", [False, True])
def test_the_merged_versions_compare_as_written_by_hand(qtbot, tmp_path, cy_in_the_window):
    origin = reviewed_by_three(tmp_path, qtbot if cy_in_the_window else None)
    with Project.open(origin, rules=store_rules()) as p:
        c = compare(p.versions([1]))
        mine = compare([ANA, BEN, CY])
        assert (c.reviewers, c.lanes, c.regions) == (mine.reviewers, mine.lanes, mine.regions)
        assert compare(p.versions([2])).regions == ()


@pytest.mark.slow
def test_a_team_of_three_adjudicates_in_the_window_with_keys(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from core.cli import main as cli
    from tests.gui_helpers import click_offset, open_window

    origin = reviewed_by_three(tmp_path, qtbot)  # cy reviewed in the window
    win = open_window(qtbot, tmp_path, origin, reviewer="lead")
    view = win.view
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    take = ctrl | Qt.KeyboardModifier.AltModifier  # Ctrl+1… are the claim verdicts
    win.show_article(1)
    QTest.keyClick(view, Qt.Key.Key_A, ctrl | shift)  # Review → Adjudicate
    assert win.adjudication.active and win.side_tabs.currentWidget() is win.adjudication.panel
    panel = win.adjudication.panel
    qtbot.waitUntil(lambda: panel.article_ids() == [1])  # the worklist, read in the background
    # Opening took the agreed spans (one edit, undoable) and drew three lanes.
    assert [(s.text, s.label, s.state) for s in win.session.spans] == [
        ("lithium", "MINERAL", "accepted"), ("Chile", "GPE", "accepted")]
    assert win.history.undo_title == "take the spans all reviewers agree on"
    assert view.comparison is not None and len(view.comparison.lanes) == 3
    assert panel.regions.topLevelItemCount() == 3
    first = panel.regions.topLevelItem(0)
    assert first.text(0) == "Albemarle Corp." and [
        first.data(i, Qt.ItemDataRole.AccessibleTextRole) for i in range(1, 5)] == [
        "ORG", "ORG", "—", "—"]  # shown as chips in the label's colour
    assert [panel.reviewers.topLevelItem(i).text(1) for i in range(3)] == ["ana", "ben", "cy"]
    # The cursor starts on the first region; Ctrl+Alt+1 takes ana's span there, selected.
    assert panel.regions.currentItem() is panel.regions.topLevelItem(0)
    QTest.keyClick(view, Qt.Key.Key_1, take)
    assert view.selected_span().text == "Albemarle Corp."
    assert panel.regions.topLevelItem(0).data(4, Qt.ItemDataRole.AccessibleTextRole) == "ORG"
    # Space, Space: Western Australia; Ctrl+Alt+2 takes ben's GPE.
    QTest.keyClick(view, Qt.Key.Key_Space)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert panel.regions.currentItem() is panel.regions.topLevelItem(2)
    QTest.keyClick(view, Qt.Key.Key_2, take)
    assert view.selected_span().text == "Western Australia"
    assert view.selected_span().label == "GPE"
    # Tianqi: cy marked nothing, and the usual keys still edit the curated version.
    QTest.keyClick(view, Qt.Key.Key_Space, shift)
    QTest.keyClick(view, Qt.Key.Key_1, take)
    assert view.selected_span().text == "Tianqi Lithium"
    QTest.keyClick(view, Qt.Key.Key_3, take)  # cy's view: nothing there
    assert "Tianqi Lithium" not in [s.text for s in win.session.spans]
    QTest.keyClick(view, Qt.Key.Key_Z, ctrl)  # undo: on the same history as every edit
    assert [s.text for s in win.session.spans] == [
        "Albemarle Corp.", "Tianqi Lithium", "lithium", "Chile", "Western Australia"]
    click_offset(view, at("Tianqi")[0])
    QTest.keyClick(view, Qt.Key.Key_Delete)  # the usual keys edit the curated version
    assert "Tianqi Lithium" not in [s.text for s in win.session.spans if s.live]
    QTest.keyClick(view, Qt.Key.Key_2, ctrl | shift)  # ben's whole version
    assert [s.text for s in win.session.spans] == [
        "Albemarle", "Tianqi Lithium", "lithium", "Chile", "Western Australia"]
    QTest.keyClick(view, Qt.Key.Key_Z, ctrl)
    QTest.keyClick(view, Qt.Key.Key_A)  # approve the curated version
    with Project.open(origin, read_only=True, rules=store_rules()) as p:
        article = p.article(1)
        assert (article.status, article.reviewed_by) == ("approved", "lead")
    assert panel.articles.topLevelItem(0).text(2) == "approved"
    win.close()
    out = tmp_path / "curated.jsonl"
    assert cli(["export", str(origin), "-f", "assay", "-o", str(out)]) == 0
    import json
    record = json.loads(out.read_text().splitlines()[0])
    assert [(s["text"], s["label"]) for s in record["spans"]] == [
        ("Albemarle Corp.", "ORG"), ("lithium", "MINERAL"), ("Chile", "GPE"),
        ("Western Australia", "GPE")]


# ---------------------------------------------------------------- what a review found


def test_a_take_keeps_the_ids_of_unchanged_spans_so_older_edits_still_undo(project):
    from core.review.edits import UpdateSpan

    c = compare(project.versions([1]))
    history = History(project, "lead")
    chile = next(s for s in project.spans(1) if s.text == "Chile")
    history.do(UpdateSpan(chile.id, "accept", state="accepted"))
    accepted_chile = next(s for s in project.spans(1) if s.text == "Chile")
    region = c.regions[-1]  # Western Australia: Chile is not touched by it
    history.do(TakeRegion(1, take_region(project.spans(1), c, region, "ben"), "t", region,
                          "ben"))
    assert next(s for s in project.spans(1) if s.text == "Chile").id == chile.id
    history.undo()
    history.undo()  # the accept, by id: still there
    assert [(s.text, s.state) for s in project.spans(1)] == [
        ("Albemarle", "suggested"), ("Chile", "suggested")]
    history.redo()
    history.redo()
    spans = project.spans(1)
    assert [(s.text, s.label) for s in spans] == [
        ("Albemarle", "ORG"), ("Chile", "GPE"), ("Western Australia", "GPE")]
    again = next(s for s in spans if s.text == "Chile")
    assert (again.id, again.state) == (accepted_chile.id, "accepted")


def test_the_worklist_counts_approved_versions_only(tmp_path):
    from core.teams.adjudicate import by_article, to_adjudicate

    path = tmp_path / "w.assay"
    with Project.create(path, name="w", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=TEXT, title="Buyers")])
        p.put_versions([ANA, version("ben", *ANA.spans), version("cy", status="rejected")],
                       "lead")
        assert [v.reviewer for v in by_article(p)[1]] == ["ana", "ben"]
        assert to_adjudicate(p) == []  # the two who approved agree


def test_a_cursor_just_after_a_region_is_still_in_it():
    c = compare([ANA, BEN, CY])
    assert c.region_at(at("Western Australia")[1]) is c.regions[-1]
    assert c.region_index(at("Western Australia")[1] + 2) is None


def window_on_three(qtbot, tmp_path):
    from tests.gui_helpers import open_window

    origin = reviewed_by_three(tmp_path)
    win = open_window(qtbot, tmp_path, origin, reviewer="lead")
    win.show_article(1)
    win.adjudication.act_mode.trigger()
    qtbot.waitUntil(lambda: win.jobs.job is None)
    return win


@pytest.mark.slow
def test_undoing_the_agreed_take_sticks_and_space_never_sticks(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    win = window_on_three(qtbot, tmp_path)
    view = win.view
    take = "take the spans all reviewers agree on"
    ctrl_z = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    win.show_article(2)  # all agree here: taken too
    win.show_article(1)
    QTest.keyClick(view, *ctrl_z)  # undoes article 2's take, which reopens article 2...
    assert win.article.id == 2 and all(s.state == "suggested" for s in win.session.spans)
    assert win.history.redo_title == take  # ...without taking it again
    QTest.keyClick(view, *ctrl_z)
    assert win.article.id == 1 and all(s.state == "suggested" for s in win.session.spans)
    win.show_article(2)
    win.show_article(1)  # back: the undone take sticks
    assert all(s.state == "suggested" for s in win.session.spans)
    # The suggested "Albemarle" starts where the first region starts; Space moves on
    # through every region and round, never stuck on one.
    seen = []
    for _ in range(4):
        QTest.keyClick(view, Qt.Key.Key_Space)
        seen.append(win.adjudication.panel.regions.currentIndex().row())
    assert seen == [1, 2, 0, 1]


def test_markup_in_reviewer_names_and_text_stays_plain_in_the_adjudicate_tab(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeWidget

    from tests.gui_helpers import open_window

    path = tmp_path / "m.assay"
    with Project.create(path, name="m", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=TEXT, title="<b>Buyers</b>")])
        p.put_versions([version("<i>ana</i>", *ANA.spans), version("<b>ben</b>", *BEN.spans)],
                       "lead")
    win = open_window(qtbot, tmp_path, path, reviewer="lead")
    win.show_article(1)
    win.adjudication.act_mode.trigger()
    qtbot.waitUntil(lambda: win.jobs.job is None)
    panel = win.adjudication.panel
    tips = [tree.topLevelItem(r).toolTip(c) for tree in panel.findChildren(QTreeWidget)
            for r in range(tree.topLevelItemCount()) for c in range(tree.columnCount())]
    tips += [panel.regions.headerItem().toolTip(c) for c in range(panel.regions.columnCount())]
    shown = [t for t in tips if t]
    assert any("ana" in t for t in shown) and any("Buyers" in t for t in shown)
    for tip in shown:  # escaped inside plain_tip's paragraph, never raw markup
        assert "<b>" not in tip and "<i>" not in tip
    assert panel.summary.textFormat() == Qt.TextFormat.PlainText
