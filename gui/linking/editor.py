"""Linking an entity to its canonical id: the field under the entity table, its completer,
and the dialog that adds a canonical entry to the project.

Pre-annotation already fills links by name (``core.nlp.linking``); the reviewer checks
them here. Typing lists the entries whose id, name or any alias has a word starting with
what was typed ("inner" offers ``CN-NM — Nei Mongol Zizhiqu (Autonomous region), also
Inner Mongolia``), by the core's rule (``core.nlp.kb_search``, the one the CLI uses);
Enter links the selected entity, an empty field unlinks it. An id the lists do not know
is refused, so that typos do not become ids: the reviewer adds a canonical entry first
(New…), which lives in the project file.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from core.models import KbFound, Span
from core.nlp.kb_resolve import new_id

Search = Callable[[str], list[KbFound]]  # typed text -> the entries it finds, best first
LIST_WIDTH = 480  # the widest the field's list of choices grows (it is narrower than a line)


class LinkEditor(QWidget):
    """``Link [USA — United States    ] [New…]`` for the selected entity."""

    link_entered = Signal(str)
    new_entry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Link: type a country, mineral or organisation")
        self.field.setClearButtonEnabled(True)
        self.choices = QStringListModel(self)
        self.completer = QCompleter(self.choices, self)
        # The list is the core's search, already filtered and ranked: shown as it is.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.field.setCompleter(self.completer)
        self.field.textEdited.connect(self._typed)
        self.search: Search | None = None
        self.field.returnPressed.connect(lambda: self.link_entered.emit(self.field.text()))
        self.new_button = QPushButton("New…")
        self.new_button.setToolTip("Add a canonical entry to this project")
        self.new_button.clicked.connect(self.new_entry_requested)
        self.span_id: int | None = None
        label = QLabel("Link")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.new_button)

    def show_span(self, span: Span | None, search: Search | None, current: str) -> None:
        """Enable for a live entity, with the search of its label's list and its link."""
        usable = span is not None and span.live
        self.field.setEnabled(usable)
        self.new_button.setEnabled(usable)
        self.search = search if usable else None
        # Another entity selected: what was typed for the previous one (not confirmed
        # with Enter) is dropped, never applied to the new one.
        moved = (span.id if span else None) != self.span_id
        self.span_id = span.id if span else None
        if moved or not self.field.hasFocus():
            self.field.setText(current if usable else "")
            self.field.setCursorPosition(0)  # a narrow field shows the id, not the name's end


    def _typed(self, text: str) -> None:
        """Each letter typed: the entries it finds, best first, in the field's list."""
        found = self.search(text) if self.search is not None and text.strip() else []
        lines = [f.line() for f in found]
        self.choices.setStringList(lines)
        popup = self.completer.popup()
        if found and popup is not None:
            # The field is narrow in the side panel: the list is as wide as its lines (up to
            # a limit) and grows to the left, so "also" names are read, not cut.
            wanted = max(popup.fontMetrics().horizontalAdvance(line) for line in lines) + 40
            rect = self.field.rect()
            rect.setLeft(rect.right() - min(max(rect.width(), wanted), LIST_WIDTH))
            self.completer.complete(rect)
            # The field opens its list again after this (as wide as itself): once more after.
            QTimer.singleShot(0, lambda: self._widen(rect))
        elif popup is not None:
            popup.hide()


    def _widen(self, rect: QRect) -> None:
        popup = self.completer.popup()
        if popup is not None and popup.isVisible():
            self.completer.complete(rect)


class KbEntryDialog(QDialog):
    """Id, name and aliases of a new canonical entry for one label."""

    def __init__(self, label: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New canonical {label} entry")
        self.label = label
        self.id_field = QLineEdit(new_id(label, text))
        self.name_field = QLineEdit(text)
        self.aliases_field = QLineEdit(text)
        self.aliases_field.setPlaceholderText("other names, separated by ;")
        form = QFormLayout(self)
        shown = QLabel(label)
        shown.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("Label", shown)
        form.addRow("Id", self.id_field)
        form.addRow("Name", self.name_field)
        form.addRow("Aliases", self.aliases_field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())

    def values(self) -> tuple[str, str, list[str]]:
        aliases = [a.strip() for a in self.aliases_field.text().split(";") if a.strip()]
        return self.id_field.text().strip(), self.name_field.text().strip(), aliases
