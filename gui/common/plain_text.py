"""Untrusted text (articles, titles, notes, file names, entry names) is shown as typed.

Qt guesses rich text: a ``QLabel``, a ``QMessageBox`` or a tooltip whose text looks
like markup (``Qt.mightBeRichText``) is rendered as HTML, so a title "<img src=…>"
would load an image and "<b>x</b>" would be bold. Message boxes here are plain text;
tooltips, which are always guessed, get the text escaped inside explicit rich text
(which also lets long ones wrap). Every widget that shows such text uses these.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

_LONG_RUN = re.compile(r"\S{24,}")
_BREAK = "\u200b"  # zero-width space: a place a wrapping label may break, drawn as nothing


def wrappable(text: str, every: int = 16) -> str:
    """``text`` for a word-wrapping label: a run of 24 or more characters without a space
    (a file name, a URL, "CRITICAL_MINERALS_REPORT_FINAL_v3") may break every ``every``
    characters. Without it the label asks for the whole run's width and a title made of
    one long word pushed the window wider than the screen."""
    def breakable(match: re.Match[str]) -> str:
        run = match.group(0)
        return _BREAK.join(run[i:i + every] for i in range(0, len(run), every))
    return _LONG_RUN.sub(breakable, text)


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` exactly (escaped, wrapped, line breaks kept)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def message_box(icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None,
                informative: str = "") -> QMessageBox:
    """A message box whose text and informative text are plain text."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if informative:
        box.setInformativeText(informative)
    # The informative and detailed texts are QLabels inside the box; make them plain too.
    for label in box.findChildren(QWidget):
        if hasattr(label, "setTextFormat"):
            label.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    message_box(QMessageBox.Icon.Warning, title, text, parent).exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    message_box(QMessageBox.Icon.Information, title, text, parent).exec()


def critical(parent: QWidget | None, title: str, text: str) -> None:
    message_box(QMessageBox.Icon.Critical, title, text, parent).exec()
