"""The link field finds a place by any word of its English name (issue 25): "Inner" found
nothing, only ISO's "Nei Mongol" did. Typed in the real window, chosen from the list with
the keyboard, and read back from the project file."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window, where

TEXT = "Rare earth output in Baotou rose, and Ganzhou's smelters bought more ore."


def kb_ids(path) -> list[str | None]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT kb_id FROM spans ORDER BY id")]


def lines(editor) -> list[str]:
    model = editor.completer.completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_typing_inner_offers_inner_mongolia_and_links_it(qtbot, tmp_path):
    path = tmp_path / "link.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="Baotou", spans=(
            SpanIn(*where(TEXT, "Baotou"), "GPE"),))])
    window = open_window(qtbot, tmp_path, path)
    window.show_article(1)
    window.view.select_span(window.project.spans(1)[0].id)
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    editor = window.link_editor
    assert editor.field.hasFocus()
    qtbot.keyClicks(editor.field, "Inner")
    popup = editor.completer.popup()
    assert popup.isVisible()
    assert lines(editor)[0] == "CN-NM — Inner Mongolia (Nei Mongol Zizhiqu)"
    qtbot.waitUntil(lambda: popup.width() > editor.field.width())  # wide enough to read
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # the first line, as a reviewer picks it
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.field.text().startswith("CN-NM — ")
    qtbot.keyClick(editor.field, Qt.Key.Key_Return)  # link it
    assert kb_ids(path) == ["CN-NM"]
    assert window.view.hasFocus()  # Enter gave the keyboard back to the text


def test_a_word_inside_a_name_and_an_accentless_spelling_find_the_entry(qtbot, tmp_path):
    path = tmp_path / "link.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="Baotou", spans=(
            SpanIn(*where(TEXT, "Baotou"), "GPE"),))])
    window = open_window(qtbot, tmp_path, path)
    window.show_article(1)
    window.view.select_span(window.project.spans(1)[0].id)
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    editor = window.link_editor
    qtbot.keyClicks(editor.field, "katanga")
    assert lines(editor)[0] == "CD-HK — Haut-Katanga (Province)"
    editor.field.clear()
    qtbot.keyClicks(editor.field, "cote d")
    assert lines(editor)[0] == "CIV — Côte d'Ivoire"
    before = kb_ids(path)
    editor.field.setText("Inner")  # Enter on what was typed: refused, and says what to pick
    editor.completer.popup().hide()
    qtbot.keyClick(editor.field, Qt.Key.Key_Return)
    assert kb_ids(path) == before
    assert "Did you mean CN-NM (Inner Mongolia)" in window.statusBar().currentMessage()
