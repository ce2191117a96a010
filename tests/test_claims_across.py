"""Claims across articles (issue 16): what other articles say about a claim's countries,
minerals and organisations, in the store, on the command line and in the Claims tab.

Every number is checked against a small project built here from texts we wrote."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.cli import main
from core.models import ArticleIn, ClaimIn, SpanIn
from core.nlp.facts import facts
from core.nlp.figures import compare, figures_in, parse_figure
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.claims_across import subjects
from gui.claims.across_panel import ITEM_ROLE
from tests.gui_helpers import open_window

# (title, published, status, text, [(part, label, state)], [(part, state, verdict)])
A1 = ("China refines 70% of the world's cobalt, the IEA said. China also buys cobalt.\n"
      "Prices were flat.")
A2 = "Chinese refiners processed 60 per cent of cobalt in 2023, traders said. Chile mines copper."
A3 = "China's share of cobalt refining is 70 %, analysts said.\nCobalt is mined in Lualaba."
A4 = "China refines cobalt too, a blog said."
A5 = "China mines cobalt, the spam said."
A6 = "China stockpiles cobalt, officials said."
A7 = "Kolwezi in Lualaba shipped 40,000 tonnes of cobalt."
A8 = "China sells cobalt at \u202e$5 billion <b>cheap</b>."
HOSTILE_TITLE = "<b>Bold</b> <img src=x> \x1b[31mred"
ARTICLES = [
    ("Claimed", "2024-03-01", "pending", A1,
     [("China", "GPE", "accepted"), ("70%", "PERCENT", "accepted"),
      ("cobalt", "MINERAL", "accepted"), ("IEA", "ORG", "accepted"),
      ("China@1", "GPE", "accepted"), ("cobalt@1", "MINERAL", "accepted")],
     [(A1[:54], "accepted", "unchecked")]),
    ("Newest", "2024-06-10", "approved", A2,
     [("Chinese", "NORP", "accepted"), ("60 per cent", "PERCENT", "accepted"),
      ("cobalt", "MINERAL", "accepted"), ("2023", "DATE", "accepted"),
      ("Chile", "GPE", "accepted"), ("copper", "MINERAL", "accepted")], []),
    ("Same figure", "2023-11-05", "approved", A3,
     [("China", "GPE", "accepted"), ("cobalt", "MINERAL", "accepted"),
      ("Lualaba", "GPE", "accepted"), ("Cobalt", "MINERAL", "accepted")],
     [("China's share of cobalt refining is 70 %, analysts said.", "accepted", "refuted")]),
    ("Rejected entity", "2025-01-01", "pending", A4,
     [("China", "GPE", "rejected"), ("cobalt", "MINERAL", "accepted")], []),
    ("Rejected article", "2025-02-01", "rejected", A5,
     [("China", "GPE", "accepted"), ("cobalt", "MINERAL", "accepted")], []),
    ("Dismissed claim", "2023-05-01", "pending", A6,
     [("China", "GPE", "accepted"), ("cobalt", "MINERAL", "accepted")],
     [(A6, "dismissed", "unchecked")]),
    ("", "", "pending", A7,
     [("Lualaba", "GPE", "accepted"), ("40,000 tonnes", "", ""),
      ("cobalt", "MINERAL", "accepted")], []),
    (HOSTILE_TITLE, "2023-01-01", "pending", A8,
     [("China", "GPE", "accepted"), ("cobalt", "MINERAL", "accepted"),
      ("$5 billion", "MONEY", "accepted")], []),
]


def _span(text: str, part: str, label: str, state: str) -> SpanIn:
    """The first occurrence of ``part``, or with ``@n`` the (n+1)-th."""
    part, _, nth = part.partition("@")
    start = -1
    for _ in range(int(nth or 0) + 1):
        start = text.index(part, start + 1)
    return SpanIn(start, start + len(part), label, origin="model", state=state)


def build(path) -> Project:
    project = Project.create(path, rules=store_rules())
    project.add_articles([ArticleIn(
        text=text, title=title, published=published,
        spans=tuple(_span(text, p, lb, st) for p, lb, st in spans if lb),
        claims=tuple(ClaimIn(text.index(p), text.index(p) + len(p), verdict, state=state)
                     for p, state, verdict in claims))
        for title, published, _status, text, spans, claims in ARTICLES])
    for article_id, (*_, status, _t, _s, _c) in enumerate(ARTICLES, 1):
        if status == "approved":
            project.approve_article(article_id, "ana")
        elif status == "rejected":
            project.reject_article(article_id, "ana")
    return project


@pytest.fixture
def project(tmp_path):
    project = build(tmp_path / "across.assay")
    yield project
    project.close()


def claim_of(project: Project, article_id: int) -> int:
    return project.claims(article_id)[0].id


def rows(across) -> list[tuple]:
    return [(i.article_id, i.kind, i.verdict, i.text,
             tuple((f.text, f.relation) for f in i.figures), i.dates) for i in across.items]


# ---------------------------------------------------------------- the rules


def test_what_a_claim_is_about():
    assert subjects(["CHN", "mineral:cobalt", "org:iea"]) == (
        ("CHN", "mineral:cobalt"), ("org:iea", "mineral:cobalt"))
    assert subjects(["CD-LU", "mineral:cobalt", "COD"]) == (("COD", "mineral:cobalt"),)
    assert subjects(["USA", "CHL"]) == (("CHL", "USA"),)  # one kind: both in a sentence
    assert subjects(["mineral:lithium"]) == (("mineral:lithium",),)
    assert subjects([]) == ()


def test_figures_are_compared_by_kind_and_value():
    assert parse_figure("US$2,000 million", "MONEY").value == parse_figure("$2 billion",
                                                                          "MONEY").value
    assert parse_figure("A$2 billion", "MONEY").kind == "money:AUD"
    assert parse_figure("40 kt").kind == "tonnes" and parse_figure("40 kt").value == 40_000
    assert parse_figure("1.2 million tonnes").value == parse_figure("1,200,000 tonnes").value
    assert parse_figure("seventy per cent", "PERCENT").value is None
    seventy = [parse_figure("70%", "PERCENT")]
    assert compare(parse_figure("70 per cent"), seventy) == "same"
    assert compare(parse_figure("60%", "PERCENT"), seventy) == "differs"
    assert compare(parse_figure("60 tonnes"), seventy) == ""  # nothing of its kind
    assert compare(parse_figure("seventy per cent", "PERCENT"), seventy) == ""
    text = "It fell 12% to 40,000 tonnes, worth $3bn."
    found = figures_in(text, 0, len(text), [(text.index("$3bn"), len(text) - 1, "MONEY")])
    assert [(f.text, f.kind) for f in found] == [
        ("12%", "percent"), ("40,000 tonnes", "tonnes"), ("$3bn", "money:USD")]
    # A dollar the table does not know is its own currency; bare numbers are not compared.
    assert parse_figure("R$3bn", "MONEY").kind == "money:R$"
    assert compare(parse_figure("R$3bn", "MONEY"), [parse_figure("$3bn", "MONEY")]) == ""
    assert compare(parse_figure("3", "CARDINAL"), [parse_figure("12", "CARDINAL")]) == ""


# ---------------------------------------------------------------- the store


def test_a_claim_finds_the_other_articles_newest_first_with_figures_marked(project):
    across = project.claims_across(claim_of(project, 1))
    assert across.pairs == (("CHN", "mineral:cobalt"), ("org:iea", "mineral:cobalt"))
    assert [f.text for f in across.figures] == ["70%"]
    # Not article 1 (the claim's own, though its second sentence names China and cobalt),
    # nor 4 (China rejected), nor 5 (rejected), nor 7 (the DRC, not China); 6's claim is
    # dismissed, so its sentence counts as a sentence.
    assert rows(across) == [
        (2, "sentence", "", A2[:71], (("60 per cent", "differs"),), ("2023",)),
        (3, "claim", "refuted", A3.split("\n")[0], (("70 %", "same"),), ()),
        (6, "sentence", "", A6, (), ()),
        (8, "sentence", "", A8, (("$5 billion", ""),), ()),
    ]
    assert [i.published for i in across.items] == [
        "2024-06-10", "2023-11-05", "2023-05-01", "2023-01-01"]
    assert [i.status for i in across.items] == ["approved", "approved", "pending", "pending"]
    assert across.items[0].differs and not across.items[1].differs
    assert across.items[0].pairs == (("CHN", "mineral:cobalt"),)  # "Chinese" is China
    assert (across.articles, across.scanned, across.truncated) == (4, 4, False)
    # Stored as one line without the escape (core.store.imports), markup kept, shown plainly.
    assert across.items[3].title == "<b>Bold</b> <img src=x> [31mred"


def test_a_province_counts_as_its_country_and_undated_articles_come_last(project):
    across = project.mentions_across(["COD", "mineral:cobalt"])
    assert [(i.article_id, i.text, i.published) for i in across.items] == [
        (3, "Cobalt is mined in Lualaba.", "2023-11-05"), (7, A7, "")]
    assert across.items[1].title == "Kolwezi in Lualaba shipped 40,000 tonnes of cobalt."
    assert [(f.text, f.kind, f.relation) for f in across.items[1].figures] == [
        ("40,000 tonnes", "tonnes", "")]  # no claim: nothing to differ from
    by_province = project.mentions_across(["CD-LU", "mineral:cobalt"])
    assert rows(by_province) == rows(across)


def test_the_limit_says_how_many_more_there_are(project):
    across = project.claims_across(claim_of(project, 1), limit=1)
    assert [i.article_id for i in across.items] == [2]
    assert (across.articles, across.scanned, across.truncated) == (4, 1, True)


def test_sentences_are_the_facts_rule(project):
    """For a country and a mineral, the sentences found are core.nlp.facts' sentences."""
    across = project.mentions_across(["CHN", "mineral:cobalt"])
    found = {(i.article_id, i.start, i.end) for i in across.items if i.kind == "sentence"}
    expected = set()
    for article_id in (1, 2, 3, 6, 8):  # not rejected, naming both
        spans = [s for s in project.spans(article_id) if s.live]
        claims = project.claims(article_id)  # a live claim stands for its sentence
        text = project.article_text(article_id)
        expected |= {(article_id, f.start, f.end) for f in facts(text, spans)
                     if f.country_id == "CHN" and f.mineral.kb_id == "mineral:cobalt"
                     and not any(c.start < f.end and f.start < c.end for c in claims)}
    assert found == expected and len(found) == 4


def test_an_unlinked_claim_is_about_nothing(tmp_path):
    with Project.create(tmp_path / "p.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Prices rose 5% last year.", title="t")])
        claim = project.add_claim(1, 0, 25, "ana")
        across = project.claims_across(claim.id)
    assert (across.pairs, across.items, across.articles) == ((), [], 0)


# ---------------------------------------------------------------- the command line


def test_cli_about_ids_prints_one_line_per_item(project, capsys):
    assert main(["claims", str(project.path), "--about", "CHN,mineral:cobalt"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "About: CHN + mineral:cobalt"
    assert out[1] == "6 item(s) from 5 of 5 article(s) naming it, newest first"
    assert out[2] == ("2024-06-10  #2  Newest  [approved]  sentence  60 per cent  "
                      + A2[:71])  # no claim asked about: no figure marked
    assert out[3] == ("2024-03-01  #1  Claimed  [pending]  unchecked  70%  " + A1[:54])
    assert out[4] == ("2024-03-01  #1  Claimed  [pending]  sentence  "
                      "China also buys cobalt.")
    assert out[5].startswith("2023-11-05  #3  Same figure  [approved]  refuted  70 %  China's")
    assert len(out) == 8
    hostile = out[7]
    assert "\x1b" not in hostile and "\u202e" not in hostile
    assert hostile.startswith("2023-01-01  #8  <b>Bold</b> <img src=x> [31mred  [pending]")


def test_cli_claim_marks_differing_figures_and_names_resolve(project, capsys):
    claim_id = claim_of(project, 1)
    assert main(["claims", str(project.path), "--claim", str(claim_id)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "About: CHN + mineral:cobalt · org:iea + mineral:cobalt"
    assert out[1].startswith(f"Claim {claim_id} in article 1 (its figures: 70%;")
    assert "  60 per cent≠  " in out[3] and "  70 %  " in out[4]
    assert main(["claims", str(project.path), "--about", "China, cobalt", "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == ("2 item(s) from 2 of 5 article(s) naming it, newest first "
                      "(more exist: raise --limit)")


def test_cli_json(project, capsys):
    assert main(["claims", str(project.path), "--claim", str(claim_of(project, 1)),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["articles"] == 4 and data["article_id"] == 1
    first = data["items"][0]
    assert (first["article_id"], first["kind"], first["differs"]) == (2, "sentence", True)
    assert first["figures"][0] == {"text": "60 per cent", "kind": "percent", "value": 60.0,
                                   "relation": "differs"}
    assert data["items"][3]["title"] == "<b>Bold</b> <img src=x> [31mred"  # JSON keeps it


def test_cli_refuses_what_names_nothing(project, capsys):
    assert main(["claims", str(project.path), "--about", "no such thing!"]) == 1
    assert "neither an id" in capsys.readouterr().err
    assert main(["claims", str(project.path), "--claim", "999"]) == 1
    assert "No claim with id 999" in capsys.readouterr().err


# ---------------------------------------------------------------- the Claims tab


@pytest.fixture
def window(qtbot, tmp_path):
    build(tmp_path / "across.assay").close()
    win = open_window(qtbot, tmp_path, tmp_path / "across.assay")
    win.show_article(1)
    return win


def select(qtbot, win, claim_id: int | None) -> None:
    """Select a claim as the window does, and wait for the list (read in the background)."""
    win.claims_review.select(claim_id)
    qtbot.waitUntil(lambda: not win.claims_review.across.busy)


def panel_rows(win) -> list[tuple[int, str]]:
    model = win.claims_panel.across.model
    return [(model.data(model.index(r, 0), ITEM_ROLE).article_id,
             model.data(model.index(r, 0))) for r in range(model.rowCount())]


def click_row(qtbot, win, row: int) -> None:
    lst = win.claims_panel.across.list
    rect = lst.visualRect(win.claims_panel.across.model.index(row, 0))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_selecting_a_claim_fills_the_panel_and_a_click_opens_the_item(qtbot, window):
    win = window
    claim_id = claim_of(win.project, 1)
    win.claims_panel.across.list.setFocus()
    win.claims_review.step(1)  # ]: the article's first claim
    assert win.claims_panel.selected_id == claim_id
    assert win.claims_panel.across.subject.text() == "Looking across the corpus…"
    qtbot.waitUntil(lambda: not win.claims_review.across.busy)
    assert [r[0] for r in panel_rows(win)] == [2, 3, 6, 8]
    assert panel_rows(win)[0][1] == ("2024-06-10 · sentence · 60 per cent ≠ · #2 Newest · "
                                     + A2[:71])
    panel = win.claims_panel.across
    assert panel.legend.isVisible() and panel.legend.text() == "≠ differs"
    assert "same kind" in panel.legend.toolTip()
    assert panel.subject.text() == ("China + cobalt; International Energy Agency + cobalt: "
                                    "4 item(s) in 4 article(s).")
    click_row(qtbot, win, 0)
    assert win.article.id == 2
    start = A2.index("Chinese")
    assert win.view.text_selection() == (start, start + 71)
    assert [r[0] for r in panel_rows(win)] == [2, 3, 6, 8]  # still about the claim
    assert panel.back.isVisible()
    click_row(qtbot, win, 1)  # a claim: selected in the Claims table and the text
    assert win.article.id == 3
    assert win.claims_panel.selected_id == claim_of(win.project, 3)
    assert win.view.selected_claim_id == claim_of(win.project, 3)
    assert [r[0] for r in panel_rows(win)] == [2, 3, 6, 8]
    qtbot.mouseClick(panel.back, Qt.MouseButton.LeftButton)
    assert win.article.id == 1 and win.claims_panel.selected_id == claim_id
    assert not panel.back.isVisible()


def test_enter_opens_the_current_item_and_keeps_the_list_in_reach(qtbot, window):
    win = window
    select(qtbot, win, claim_of(win.project, 1))
    panel = win.claims_panel.across
    panel.list.setFocus()
    panel.select_row(3)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert win.article.id == 8
    assert win.view.text_selection() == (0, len(A8))
    assert panel.list.hasFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Up)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert win.article.id == 6


def test_another_claim_selected_by_hand_makes_the_list_about_it(qtbot, window):
    win = window
    select(qtbot, win, claim_of(win.project, 1))
    click_row(qtbot, win, 1)  # article 3's claim: the list stays on article 1's
    assert not win.claims_review.across.busy
    assert [r[0] for r in panel_rows(win)] == [2, 3, 6, 8]
    win.claims_review.select(None)
    select(qtbot, win, claim_of(win.project, 3))  # the reviewer picks it
    assert [r[0] for r in panel_rows(win)] == [2, 1, 1, 6, 8]  # article 1: claim, sentence


def test_untrusted_text_is_plain_in_the_panel(qtbot, window):
    win = window
    select(qtbot, win, claim_of(win.project, 1))
    model = win.claims_panel.across.model
    index = model.index(3, 0)
    assert "<b>Bold</b> <img src=x>" in model.data(index)
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Bold&lt;/b&gt; &lt;img src=x&gt;" in tip and "<img" not in tip
    assert win.claims_panel.across.subject.textFormat() == Qt.TextFormat.PlainText
    win.claims_panel.across.list.viewport().grab()  # painting hostile text does not fail


def test_the_panel_fits_a_laptop_screen(qtbot, window):
    win = window
    win.resize(1024, 640)
    select(qtbot, win, claim_of(win.project, 1))
    QApplication.processEvents()
    panel = win.claims_panel.across
    lst = panel.list
    row = lst.visualRect(panel.model.index(0, 0))
    assert lst.viewport().height() >= row.height()  # the first item whole
    assert row.width() >= lst.viewport().width() - 2  # the item spans the list
    assert not lst.horizontalScrollBar().isVisible()
    assert panel.subject.height() >= panel.subject.heightForWidth(panel.subject.width())
    table = win.claims_panel.table
    assert table.height() >= (table.horizontalHeader().height()
                              + table.rowHeight(0))  # its one claim shows whole


def test_an_item_is_wrapped_whole_and_the_list_has_the_room(qtbot, window):
    """Issue 25: in a 1024x640 window items were cut to about 20 characters, and the
    claims table above kept empty rows while the list of items was short."""
    from PySide6.QtGui import QFontMetrics

    from gui.claims.across_panel import PAD, passage_height

    win = window
    win.resize(1024, 640)
    select(qtbot, win, claim_of(win.project, 1))
    QApplication.processEvents()
    panel = win.claims_panel.across
    lst = panel.list
    item = panel.model.items[0]
    assert item.text == A2[:71]  # the whole sentence
    metrics = QFontMetrics(lst.font())
    line = metrics.lineSpacing()
    wrapped = passage_height(metrics, item.text, lst.viewport().width() - 2 * PAD)
    assert wrapped >= 2 * line  # the narrow column wraps it...
    row = lst.visualRect(panel.model.index(0, 0))
    assert row.height() >= 2 * line + wrapped  # ...and the item is tall enough for all of it
    table = win.claims_panel.table  # one claim: the list of items gets the room
    assert win.claims_panel.model.rowCount() == 1
    assert lst.height() > table.height()
    assert table.height() <= (table.horizontalHeader().height() + 2 * table.rowHeight(0)
                              + 2 * table.frameWidth())
