"""Linking an entity to its canonical id: the field under the entity table, its completer,
and the dialog that adds a canonical entry to the project.

Pre-annotation already fills links by name (``core.nlp.linking``); the reviewer checks
them here. Typing shows matching entries by id or name ("united" offers
``USA — United States``); Enter links the selected entity, an empty field
unlinks it. An id the lists do not know is refused, so that typos do not
become ids: the reviewer adds a canonical entry first (New…), which lives in
the project file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from core.errors import AssayError
from core.models import Span
from core.nlp.linking import KbEntry, family
from core.review.edits import AddKbEntry, LinkSpans, UpdateSpan
from gui.kb_entries_dialog import KbEntriesDialog
from gui.plain_text import message_box

if TYPE_CHECKING:
    from gui.main_window import MainWindow

SEPARATOR = " — "
ID_PREFIXES = {"MINERAL": "mineral:", "ORG": "org:", "LOC": "region:"}


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
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.field.setCompleter(self.completer)
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

    def show_span(self, span: Span | None, entries: list[KbEntry], current: str) -> None:
        """Enable for a live entity, with the choices of its label and its current link."""
        usable = span is not None and span.live
        self.field.setEnabled(usable)
        self.new_button.setEnabled(usable)
        self.choices.setStringList([e.display() for e in entries] if usable else [])
        # Another entity selected: what was typed for the previous one (not confirmed
        # with Enter) is dropped, never applied to the new one.
        moved = (span.id if span else None) != self.span_id
        self.span_id = span.id if span else None
        if moved or not self.field.hasFocus():
            self.field.setText(current if usable else "")


class KbEntryDialog(QDialog):
    """Id, name and aliases of a new canonical entry for one label."""

    def __init__(self, label: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New canonical {label} entry")
        self.label = label
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        self.id_field = QLineEdit(ID_PREFIXES.get(label, "") + slug)
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


class Linking:
    """Connects the link field to the selected entity and runs links as undoable edits."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.editor: LinkEditor = window.link_editor
        self.editor.link_entered.connect(self.link)
        self.editor.new_entry_requested.connect(self.new_entry)
        self.dialog: KbEntryDialog | None = None
        self.prompt: QMessageBox | None = None
        self.actions: list[QAction] = [
            window._action("&Link entity…", "L", self.focus),
            window._action("New canonical &entry…", None, self.new_entry),
            window._action("Canonical entries of this &project…", None, self.show_entries),
        ]
        self.entries_dialog: KbEntriesDialog | None = None

    def refresh(self) -> None:
        w = self.window
        span = w.view.selected_span()
        if w.project is None or span is None:
            self.editor.show_span(None, [], "")
            return
        linker = w.project.linker()
        entry = linker.entry(span.label, span.kb_id) if span.kb_id else None
        current = entry.display() if entry else (span.kb_id or "")
        self.editor.show_span(span, linker.choices(span.label), current)

    def focus(self) -> None:
        if self.window.view.selected_span() is None:
            self.window.statusBar().showMessage("Click an entity first, then press L.", 4000)
            return
        self.window.side_tabs.setCurrentIndex(0)
        self.editor.field.setFocus()
        self.editor.field.selectAll()

    def resolve(self, label: str, typed: str) -> str | None:
        """The id a typed text means: an id, a completer line, or a known name."""
        w = self.window
        assert w.project is not None
        typed = typed.strip()
        if not typed:
            return None
        linker = w.project.linker()
        kb_id = typed.split(SEPARATOR, 1)[0].strip()
        if linker.entry(label, kb_id) is not None:
            return kb_id
        by_name = linker.link(label, typed, guess=False)
        if by_name is None:
            raise AssayError(f"No {label} entry matches {typed!r}; add one with New….")
        return by_name

    def link(self, typed: str) -> None:
        w = self.window
        span = w.view.selected_span()
        if w.project is None or span is None:
            return
        try:
            kb_id = self.resolve(span.label, typed)
        except AssayError as exc:
            w.command_failed(str(exc))
            return
        w.view.setFocus()
        if kb_id != span.kb_id:
            w._push(UpdateSpan(span.id, "link entity", kb_id=kb_id))
        self.refresh()

    def new_entry(self) -> None:
        """Add a canonical entry for the selected entity's label and link the entity to it."""
        w = self.window
        span = w.view.selected_span()
        if w.project is None or span is None:
            w.statusBar().showMessage("Click an entity first.", 4000)
            return
        if w._refuse_if_read_only("add a canonical entry"):
            return
        self.dialog = KbEntryDialog(span.label, span.text, w)
        accepted = self.dialog.exec() == QDialog.DialogCode.Accepted
        values = self.dialog.values()
        self.dialog = None
        if not accepted:
            return
        added = AddKbEntry(values[0], span.label, values[1], list(values[2]),
                           article_id=span.article_id)
        if not w._push(added):  # undoable like every other edit
            return
        entry = added.entry
        assert entry is not None
        w._push(UpdateSpan(span.id, "link entity", kb_id=entry.id))
        self.offer_other_mentions(entry, span)
        self.refresh()

    def show_entries(self) -> None:
        """List (and delete) the project's own canonical entries."""
        w = self.window
        if w.project is None or w._refuse_if_read_only("change canonical entries"):
            return
        self.entries_dialog = KbEntriesDialog(w.project, w.reviewer, w)
        self.entries_dialog.exec()
        self.entries_dialog = None
        self.refresh()

    def offer_other_mentions(self, entry: KbEntry, span: Span) -> None:
        """After a new entry, offer to link every other unlinked mention of its names."""
        w = self.window
        assert w.project is not None
        labels = {lb.name for lb in w.project.labels() if family(lb.name) == entry.label}
        others = [i for i in w.project.unlinked_mentions(entry, labels) if i != span.id]
        if not others:
            return
        box = message_box(QMessageBox.Icon.Question, "Link the other mentions?",
                          f"{len(others)} other unlinked mention(s) of "
                          f"{', '.join(repr(n) for n in (entry.name, *entry.aliases)[:3])} "
                          f"in this project. Link them to {entry.id} too?", w)
        yes = box.addButton(f"Link {len(others)}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Only this one", QMessageBox.ButtonRole.RejectRole)
        self.prompt = box
        box.exec()
        self.prompt = None
        if box.clickedButton() is yes and w.article is not None:
            w._push(LinkSpans(w.article.id, others, entry.id))
