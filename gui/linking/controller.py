"""Runs links as undoable edits: the link field, New… entries and linking other mentions.

The widgets are in ``gui.linking.editor``; this connects them to the selected entity
and to the store through the window's ``push`` (``gui.review_host``).
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox

from core.errors import AssayError
from core.models import Article, Span
from core.nlp.kb_resolve import labels_of_family, resolve_typed
from core.nlp.linking import KbEntry
from core.review.edits import AddKbEntry, LinkSpans, UpdateSpan
from core.review.session import ReviewSession
from gui.common.plain_text import message_box
from gui.linking.editor import KbEntryDialog, LinkEditor
from gui.linking.kb_entries_dialog import KbEntriesDialog
from gui.review_host import ReviewHost


class Linking:
    """Connects the link field to the selected entity and runs links as undoable edits."""

    def __init__(self, window: ReviewHost) -> None:
        self.window = window
        self.editor: LinkEditor = window.link_editor
        self.editor.link_entered.connect(self.link)
        self.editor.new_entry_requested.connect(self.new_entry)
        self.dialog: KbEntryDialog | None = None
        self.prompt: QMessageBox | None = None
        self.actions: list[QAction] = [
            window.action("&Link entity…", "L", self.focus, help=(
                "Entities", "Link the selected entity to its canonical id (country, mineral, …)")),
            window.action("New canonical &entry…", None, self.new_entry),
            window.action("Canonical entries of this &project…", None, self.show_entries),
        ]
        self.entries_dialog: KbEntriesDialog | None = None
        window.view.span_selected.connect(self.selected)

    def attach(self, session: ReviewSession) -> None:
        """Follow a newly opened project: the selected entity, its link and the entries
        offered change with the open article, its spans and the project's entries."""
        session.article_opened.connect(self.opened)
        session.spans_changed.connect(self.refresh)
        session.kb_entries_changed.connect(self.refresh)

    def opened(self, _article: Article | None) -> None:
        self.refresh()

    def selected(self, _span_id: int | None) -> None:
        self.refresh()

    def refresh(self) -> None:
        w = self.window
        span = w.view.selected_span()
        if w.project is None or span is None:
            self.editor.show_span(None, None, "")
            return
        linker = w.project.linker()
        current = linker.describe(span.label, span.kb_id) if span.kb_id else ""
        label = span.label
        self.editor.show_span(span, lambda typed: linker.search(label, typed), current)

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
        return resolve_typed(w.project.linker(), label, typed)

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
        if kb_id == span.kb_id or not w.push(UpdateSpan(span.id, "link entity", kb_id=kb_id)):
            self.refresh()  # nothing changed: the field shows the link as it is again

    def new_entry(self) -> None:
        """Add a canonical entry for the selected entity's label and link the entity to it."""
        w = self.window
        span = w.view.selected_span()
        if w.project is None or span is None:
            w.statusBar().showMessage("Click an entity first.", 4000)
            return
        if w.refuse_if_read_only("add a canonical entry"):
            return
        self.dialog = KbEntryDialog(span.label, span.text, w.window())
        accepted = self.dialog.exec() == QDialog.DialogCode.Accepted
        values = self.dialog.values()
        self.dialog = None
        if not accepted:
            return
        added = AddKbEntry(values[0], span.label, values[1], list(values[2]),
                           article_id=span.article_id)
        if not w.push(added):  # undoable like every other edit
            return
        entry = added.entry
        assert entry is not None
        w.push(UpdateSpan(span.id, "link entity", kb_id=entry.id))
        self.offer_other_mentions(entry, span)

    def show_entries(self) -> None:
        """List (and delete) the project's own canonical entries."""
        w = self.window
        if w.project is None or w.refuse_if_read_only("change canonical entries"):
            return
        assert w.session is not None
        self.entries_dialog = KbEntriesDialog(w.session, w.window())
        self.entries_dialog.exec()
        self.entries_dialog = None

    def offer_other_mentions(self, entry: KbEntry, span: Span) -> None:
        """After a new entry, offer to link every other unlinked mention of its names."""
        w = self.window
        assert w.project is not None
        labels = labels_of_family((lb.name for lb in w.project.labels()), entry.label)
        others = [i for i in w.project.unlinked_mentions(entry, labels) if i != span.id]
        if not others:
            return
        box = message_box(QMessageBox.Icon.Question, "Link the other mentions?",
                          f"{len(others)} other unlinked mention(s) of "
                          f"{', '.join(repr(n) for n in (entry.name, *entry.aliases)[:3])} "
                          f"in this project. Link them to {entry.id} too?", w.window())
        yes = box.addButton(f"Link {len(others)}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Only this one", QMessageBox.ButtonRole.RejectRole)
        self.prompt = box
        box.exec()
        self.prompt = None
        if box.clickedButton() is yes and w.article is not None:
            w.push(LinkSpans(w.article.id, others, entry.id))
