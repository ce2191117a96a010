"""Every widget shows untrusted text as typed, never as HTML.

Articles, titles, notes, label descriptions, entry names and file names come from
other people. Qt renders a QLabel, a QMessageBox or a tooltip as rich text when it
looks like markup, so "<b>…</b>" would be bold and "<img src=…>" would load. This
test fills a project with markup everywhere, opens each view, and scans every
widget, tooltip and item tooltip in the application.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import open_window

MARK = "<b>HOSTILE</b><img src='x.png'>"
TEXT = f"Hostile Corp said {MARK} in Chile. Hostile Corp mines lithium.\nMore text."


def rendered_as_markup(text: str, fmt: Qt.TextFormat) -> bool:
    """Would Qt render ``text`` as HTML so that the mark's tags disappear?"""
    if "HOSTILE" not in text:
        return False
    if fmt == Qt.TextFormat.PlainText:
        return False
    if fmt == Qt.TextFormat.AutoText and not QtGui_Qt.mightBeRichText(text):
        return False
    doc = QTextDocument()
    doc.setHtml(text)
    return "<b>HOSTILE</b>" not in doc.toPlainText()


def tooltip_shows_markup(tip: str) -> bool:
    return rendered_as_markup(tip, Qt.TextFormat.AutoText)


def scan() -> list[str]:
    """Every place in the running application where the mark is rendered as HTML."""
    bad = []
    for widget in QApplication.allWidgets():
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel) and rendered_as_markup(widget.text(), widget.textFormat()):
            bad.append(f"{name}: {widget.text()[:60]!r}")
        if isinstance(widget, QMessageBox) and rendered_as_markup(widget.text(),
                                                                   widget.textFormat()):
            bad.append(f"{name} text")
        if tooltip_shows_markup(widget.toolTip()):
            bad.append(f"{name} tooltip")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(model.rowCount(), 200)):
                for col in range(model.columnCount()):
                    tip = model.data(model.index(row, col, QModelIndex()),
                                     Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str) and tooltip_shows_markup(tip):
                        bad.append(f"{name} item tooltip ({row}, {col})")
    return bad


def hostile_project(path) -> Project:
    project = Project.create(path, rules=store_rules())
    project.add_label("THREAT", "#ff0000", "", description=MARK)
    project.add_articles([ArticleIn(text=TEXT, title=f"{MARK} title", source=MARK, url=MARK)])
    project.add_span(1, 0, 12, "ORG", "ana", kb_id=None)
    second = TEXT.index("Hostile Corp", 1)
    project.add_span(1, second, second + 12, "ORG", "ana", kb_id=None)
    project.add_span(1, TEXT.index("Chile"), TEXT.index("Chile") + 5, "GPE", "ana")
    project.add_claim(1, 0, TEXT.index("\n"), "ana", note=MARK, evidence_url=MARK)
    project.set_note(1, MARK, "ana")
    return project


def scan_modal_then_close(found: list[str]) -> None:
    """Scan when the next modal box opens, then close it (it would block the test)."""

    def check() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, check)
            return
        found.extend(scan())
        found.append(f"seen {type(box).__name__}")
        box.close()

    QTimer.singleShot(0, check)


def test_markup_in_every_untrusted_text_is_shown_as_typed(qtbot, tmp_path):
    path = tmp_path / "hostile.assay"
    hostile_project(path).close()
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    assert win.view.toPlainText() == TEXT  # the article itself: plain text
    win.view.select_span(1)
    win.claims_review.select(1)
    assert scan() == []

    # "Link the other mentions?" names the entry, whose name anyone could have typed.
    entry = win.project.add_kb_entry("org:hostile", "ORG", MARK, ["Hostile Corp"], "ana")
    found: list[str] = []
    scan_modal_then_close(found)
    win.linking.offer_other_mentions(entry, win.project.span(1))
    assert found[-1] == "seen QMessageBox" and found[:-1] == []

    # "Cannot open project" names the file, and file names may hold anything.
    bad = tmp_path / f"{MARK.replace('/', '')}.assay"
    bad.write_text("not a project")
    found = []
    scan_modal_then_close(found)
    win.open_project(bad)
    assert found[-1] == "seen QMessageBox" and found[:-1] == []
