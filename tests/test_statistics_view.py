"""Review → Statistics: the window on a small judged project, its PNGs, the heat map's
cells and their sentences, and names from the project shown as they are."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.stats import charts
from core.stats.numbers import gather
from core.store import Project
from tests.gui_helpers import open_window
from tests.suggestion_helpers import suggestions

TEXTS = [
    "Chile mines lithium. China refines cobalt and lithium.",
    "Indonesia exports nickel. The Lualaba province of Congo mines cobalt.",
    "Australia mines lithium near Perth.",
    "Nothing here names a mineral.",
]
HOSTILE = "<b>x</b> & $y$"
PNG = b"\x89PNG\r\n\x1a\n"


_suggestions = suggestions


@pytest.fixture
def judged(tmp_path):
    """Four articles pre-annotated by m1 (two) and m2 (two), three approved by two
    reviewers on two days, two claims, a relation; the second article's title is markup."""
    path = tmp_path / "stats.assay"
    with Project.create(path, rules=store_rules()) as project:
        titles = ["Chile and China", HOSTILE, "Australia", "Nothing"]
        project.add_articles([ArticleIn(text=t, title=title, published=f"2026-10-0{i}")
                              for i, (t, title) in enumerate(zip(TEXTS, titles, strict=True),
                                                             1)])
        ids = [a.id for a in project.list_articles()]
        project.store_annotations([(i, _suggestions(t), None) for i, t in
                                   zip(ids[:2], TEXTS[:2], strict=True)], model="m1")
        project.store_annotations([(i, _suggestions(t), None) for i, t in
                                   zip(ids[2:], TEXTS[2:], strict=True)], model="m2")
        a1, a2, a3, _a4 = ids
        china = next(s for s in project.spans(a1) if s.text == "China")
        project.relabel_span(china.id, "NORP", "ana")
        first = {s.text: s for s in project.spans(a1)}  # Chile mines lithium
        project.add_relation(a1, first["Chile"].id, first["lithium"].id, "PRODUCES", "ana")
        perth = next(s for s in project.spans(a3) if s.text == "Perth")
        project.reject_span(perth.id, "ana")
        project.approve_article(a1, "ana", seconds=30)
        project.approve_article(a2, "ben", seconds=90)
        project.approve_article(a3, "ana", seconds=60)
        project.conn.execute("UPDATE articles SET reviewed_at = '2026-11-02T10:00:00+00:00' "
                             "WHERE id = ?", (a3,))
        project.conn.commit()
        project.add_claim(a1, TEXTS[0].index("China"), len(TEXTS[0]), "ana",
                          verdict="supported")
        project.add_claim(a2, TEXTS[1].index("The"), len(TEXTS[1]), "ben", verdict="refuted")
    return path, ids


@pytest.fixture
def stats(qtbot, tmp_path, judged):
    path, ids = judged
    win = open_window(qtbot, tmp_path, path)
    review = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Review")
    assert win.act_statistics in review.actions()
    win.act_statistics.trigger()
    dialog = win.statistics_window
    assert dialog.isVisible() and not dialog.isModal()
    qtbot.waitUntil(lambda: dialog.numbers is not None and dialog.done_reading(),
                    timeout=30_000)
    yield win, dialog, ids
    qtbot.waitUntil(dialog.done_reading, timeout=30_000)


@pytest.mark.slow
def test_the_window_opens_from_the_review_menu_with_the_projects_numbers(stats):
    win, dialog, _ids = stats
    assert dialog.status.text() == ("4 articles: 3 approved, 0 rejected, 1 to review "
                                    "(1 pending, 0 skipped)")
    assert dialog.status.textFormat() == Qt.TextFormat.PlainText
    progress = dialog.progress_pane.summary.text()
    assert "Median 60 s per article" in progress and "ana 2, ben 1" in progress
    assert dialog.claims_pane.summary.text().startswith(
        "2 claims (0 unchecked, 1 supported, 1 refuted, 0 unverifiable)")
    assert "6 pairs" in dialog.map_pane.summary.text()
    entities = gather(win.project)
    assert dialog.entities_pane.summary.text().startswith(
        f"{sum(entities.entities.values()):,} entities")
    # Two models: a selector, the one with most suggestions first; the chart follows it.
    assert not dialog.model_box.isHidden()
    assert [dialog.model_box.itemText(i) for i in range(dialog.model_box.count())] == [
        "m1", "m2", "all models, side by side"]
    dialog.tabs.setCurrentIndex(1)
    assert dialog.quality_pane.summary.text().startswith("9 suggestions judged: ")
    assert dialog.quality_pane.figure.axes[0].get_title().startswith("m1: 9 suggestions")
    dialog.model_box.setCurrentIndex(1)
    assert dialog.quality_pane.summary.text().startswith("3 suggestions judged: ")
    assert dialog.quality_pane.figure.axes[0].get_title().startswith("m2: 3 suggestions")
    dialog.model_box.setCurrentIndex(2)
    assert len([ax for ax in dialog.quality_pane.figure.axes if ax.get_title()]) == 2


@pytest.mark.slow
def test_every_chart_saves_a_png(stats, tmp_path):
    _win, dialog, _ids = stats
    for k in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(k)
    for pane in dialog.panes():
        path = pane.save_png(str(tmp_path / f"{pane.name}.png"))
        data = (tmp_path / f"{pane.name}.png").read_bytes()
        assert path and data.startswith(PNG) and len(data) > 10_000, pane.name


@pytest.mark.slow
def test_a_chart_is_never_saved_onto_the_project_its_side_files_or_a_pipe(stats, tmp_path):
    """Save PNG… goes through the one destination check: the window's own project, its
    -wal, a pipe (saving would wait for a reader for ever) are refused with a sentence."""
    import hashlib
    import os

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    win, dialog, _ids = stats
    project = win.project.path
    pipe = tmp_path / "chart.png"
    os.mkfifo(pipe)
    files = [project, project.with_name(project.name + "-wal")]

    def digests() -> list[str]:
        return [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]

    before = digests()
    said: list[str] = []

    def read_the_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.done(0)
        else:
            QTimer.singleShot(20, read_the_box)

    pane = dialog.panes()[0]
    for dest in [*files, pipe]:
        QTimer.singleShot(0, read_the_box)
        assert pane.save_png(str(dest)) is None
    assert len(said) == 3 and all(text.startswith("Refused to save the chart to")
                                  for text in said), said
    assert digests() == before


def _click_cell(qtbot, dialog, country: str, mineral: str) -> None:
    """A real mouse click on the cell's centre in the canvas."""
    dialog.tabs.setCurrentIndex(2)
    canvas = dialog.map_pane.canvas
    qtbot.waitExposed(canvas)
    canvas.draw()
    ax = dialog.map_axes()
    countries, minerals = ax._assay_cells
    x, y = ax.transData.transform((minerals.index(mineral), countries.index(country)))
    ratio = canvas.device_pixel_ratio
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(x / ratio), round(canvas.height() - y / ratio)))


@pytest.mark.slow
def test_a_cell_lists_its_sentences_and_one_opens_the_article_there(qtbot, stats):
    win, dialog, ids = stats
    _click_cell(qtbot, dialog, "COD", "mineral:cobalt")
    assert dialog.cell == ("COD", "mineral:cobalt")
    model = dialog.sentence_model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and dialog.done_reading(), timeout=30_000)
    sentence = "The Lualaba province of Congo mines cobalt."
    assert [model.item(0, c).text() for c in range(3)] == ["2026-10-02", HOSTILE, sentence]
    assert dialog.cell_title.text().startswith("DR Congo × cobalt: 1 sentence in 1 article.")
    assert dialog.cell_title.textFormat() == Qt.TextFormat.PlainText

    win.show_article(ids[0])
    listing = dialog.sentence_list
    listing.setCurrentIndex(model.index(0, 2))
    listing.setFocus()
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert win.article.id == ids[1]
    start = TEXTS[1].index(sentence)
    assert win.view.text_selection() == (start, start + len(sentence))

    # A cell nobody filled says so; off the map nothing happens.
    ax = dialog.map_axes()
    countries, minerals = ax._assay_cells
    assert dialog.click_cell(minerals.index("mineral:nickel"), countries.index("COD")) == (
        "COD", "mineral:nickel")
    qtbot.waitUntil(lambda: model.rowCount() == 0 and dialog.done_reading(), timeout=30_000)
    assert "no approved article" in dialog.cell_title.text()
    assert dialog.click_cell(len(minerals) + 3, 0) is None


@pytest.mark.slow
def test_refresh_reads_the_numbers_again(qtbot, stats):
    win, dialog, ids = stats
    win.project.approve_article(ids[3], "ana", seconds=12)
    dialog.refresh_button.click()
    assert dialog.busy.isVisible()
    qtbot.waitUntil(dialog.done_reading, timeout=30_000)
    assert dialog.status.text().startswith("4 articles: 4 approved")


@pytest.mark.slow
def test_the_figures_draw_empty_projects_and_names_with_dollars(tmp_path):
    with Project.create(tmp_path / "empty.assay", rules=store_rules()) as project:
        n = gather(project)
    figures = [charts.progress_figure(n.progress), charts.entities_figure(n.entities, {}),
               charts.quality_figure(n.quality),
               charts.country_mineral_figure(n.country_minerals, n.names),
               charts.claims_figure(n.claims, n.names)]
    with Project.create(tmp_path / "dollars.assay", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXTS[0], title="t")])
        (article,) = project.list_articles()
        project.store_annotations([(article.id, _suggestions(TEXTS[0]), None)],
                                  model="$m$ 1")
        project.approve_article(article.id, "a $ reviewer", seconds=5)
        project.approve_article(article.id, "a $ reviewer", seconds=5)
        d = gather(project)
    d.names["CHN"] = "$\\frac{1}{2}$ land"
    figures += [charts.progress_figure(d.progress), charts.quality_figure(d.quality),
                charts.country_mineral_figure(d.country_minerals, d.names)]
    for fig in figures:
        fig.savefig(io.BytesIO(), format="png")  # mathtext would fail on an odd "$"
    texts = [t.get_text() for ax in figures[-1].axes for t in ax.get_yticklabels()]
    assert r"\$\frac{1}{2}\$ land" in texts
    assert charts.plain("a\n  b$", 0) == r"a b\$"
    assert charts.plain("x" * 30, 10) == "x" * 9 + "…"


def _one_article_project(path, text: str, title: str, approve: bool) -> None:
    with Project.create(path, rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=text, title=title)])
        (a,) = [x.id for x in p.list_articles()]
        spans = [SpanIn(text.index(w), text.index(w) + len(w), label, origin="model")
                 for w, label in (("Chile", "GPE"), ("lithium", "MINERAL")) if w in text]
        p.store_annotations([(a, spans, None)], model="m1")
        if approve:
            p.approve_article(a, "ana", seconds=5)


@pytest.mark.slow
def test_opening_another_project_reads_its_numbers_even_mid_read(qtbot, tmp_path,
                                                                 monkeypatch):
    """File → Open while the last project's numbers are read: the window shows the new
    project's, and a sentence of the old one never opens an article of the new."""
    import time

    import gui.statistics.window as view

    real = view.gather
    monkeypatch.setattr(view, "gather", lambda p: (time.sleep(0.5), real(p))[1])
    a, b = tmp_path / "a.assay", tmp_path / "b.assay"
    _one_article_project(a, "Chile mines lithium.", "Project A", approve=True)
    _one_article_project(b, "Peru waits. Chile mines lithium too.", "Project B", approve=False)
    window = open_window(qtbot, tmp_path, a)
    window.act_statistics.trigger()
    dialog = window.statistics_window
    window.open_project(b)  # while A's numbers are still being read
    qtbot.waitUntil(lambda: dialog.numbers is not None and dialog.done_reading(),
                    timeout=30000)
    assert dialog.status.text().startswith("1 article")
    assert "0 approved" in dialog.status.text()  # B's, not A's
    assert dialog.numbers.country_minerals.cells == {}


def test_the_window_opens_within_the_screen(stats):
    """It asked for 1100 × 720 whatever the screen: on a 1024 × 640 laptop its title bar
    and buttons were out of reach (issue 25). Offscreen, the screen is 800 × 600."""
    _win, dialog, _ids = stats
    free = dialog.screen().availableGeometry()
    assert dialog.width() <= free.width() and dialog.height() <= free.height()
    assert dialog.width() >= 0.8 * min(1100, free.width())  # still as big as fits
