"""Undoable review edits: ``QUndoCommand``s whose redo and undo are core store calls.

The stack is per project, not per article, so an edit can be undone after
switching to another article and back; undoing it brings its article back
into view so the reviewer sees what changed.

``QUndoStack.push`` runs ``redo`` and cannot see a Python exception, so an
edit is first run by ``run_first`` (which raises if core refuses it) and only
then pushed; the push's own ``redo`` call is skipped.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from core.errors import AssayError
from core.store import Project


class EditContext(Protocol):
    """What a command needs from the window."""

    project: Project | None
    reviewer: str

    def article_changed(self, article_id: int) -> None: ...

    def command_failed(self, message: str) -> None: ...


class StoreCommand(QUndoCommand):
    """Base: subclasses implement ``_do`` and ``_undo`` with core calls."""

    def __init__(self, ctx: EditContext, article_id: int, text: str) -> None:
        super().__init__(text)
        assert ctx.project is not None
        self.ctx = ctx
        self.project: Project = ctx.project
        self.reviewer = ctx.reviewer
        self.article_id = article_id
        self._skip_redo = False

    def run_first(self) -> None:
        """Apply the edit now; raises AssayError (nothing changed) if core refuses it."""
        self._do()
        self._skip_redo = True
        self.ctx.article_changed(self.article_id)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guarded(self._do)

    def undo(self) -> None:
        self._guarded(self._undo)

    def _guarded(self, step) -> None:
        try:
            step()
        except AssayError as exc:  # e.g. a pre-annotation run changed the article since
            self.ctx.command_failed(f"Cannot {self.text()}: {exc}")
        self.ctx.article_changed(self.article_id)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddSpanCommand(StoreCommand):
    """Create a span; undo deletes it, redo recreates it under the same id."""

    def __init__(self, ctx: EditContext, article_id: int, start: int, end: int,
                 label: str) -> None:
        super().__init__(ctx, article_id, f"add {label}")
        self.start, self.end, self.label = start, end, label
        self.span_id: int | None = None

    def _do(self) -> None:
        span = self.project.add_span(self.article_id, self.start, self.end, self.label,
                                     self.reviewer, span_id=self.span_id)
        self.span_id = span.id

    def _undo(self) -> None:
        assert self.span_id is not None
        self.project.delete_span(self.span_id, self.reviewer)


class UpdateSpanCommand(StoreCommand):
    """Relabel, resize, accept, reject or relink a span; undo restores every field."""

    FIELDS = ("start", "end", "label", "state", "kb_id")

    def __init__(self, ctx: EditContext, span_id: int, text: str, **changes: object) -> None:
        assert ctx.project is not None
        before = ctx.project.span(span_id)
        super().__init__(ctx, before.article_id, text)
        self.span_id = span_id
        self.before = {k: getattr(before, k) for k in self.FIELDS}
        self.after = {**self.before, **changes}

    def _do(self) -> None:
        self.project.update_span(self.span_id, self.reviewer, **self.after)

    def _undo(self) -> None:
        self.project.update_span(self.span_id, self.reviewer, **self.before)


class ArticleStatusCommand(StoreCommand):
    """Approve, reject or skip an article; undo restores its status and its suggestions."""

    def __init__(self, ctx: EditContext, article_id: int, status: str,
                 seconds: float | None) -> None:
        super().__init__(ctx, article_id, f"{status[:-2] if status.endswith('ed') else status}"
                         " article")
        self.status = status
        self.seconds = seconds
        self.before = self.project.article(article_id).status
        self.accepted: list[int] = []

    def _do(self) -> None:
        self.accepted = self.project.set_article_status(
            self.article_id, self.status, self.reviewer, seconds=self.seconds,
            accept_suggestions=self.status == "approved",
        )

    def _undo(self) -> None:
        self.project.set_article_status(self.article_id, self.before, self.reviewer,
                                        resuggest=self.accepted)


class NoteCommand(StoreCommand):
    """Replace an article's note."""

    def __init__(self, ctx: EditContext, article_id: int, note: str) -> None:
        super().__init__(ctx, article_id, "edit note")
        self.note = note
        self.before = self.project.article(article_id).note or ""

    def _do(self) -> None:
        self.project.set_note(self.article_id, self.note, self.reviewer)

    def _undo(self) -> None:
        self.project.set_note(self.article_id, self.before, self.reviewer)


class LinkSpansCommand(StoreCommand):
    """Link many spans (in any article) to one canonical id; undo unlinks them again."""

    def __init__(self, ctx: EditContext, article_id: int, span_ids: list[int],
                 kb_id: str) -> None:
        super().__init__(ctx, article_id, f"link {len(span_ids)} entities to {kb_id}")
        self.span_ids = span_ids
        self.kb_id = kb_id
        self.before: dict[int, str | None] = {}

    def _do(self) -> None:
        for span_id in self.span_ids:
            before, _after = self.project.update_span(span_id, self.reviewer, kb_id=self.kb_id)
            self.before[span_id] = before.kb_id

    def _undo(self) -> None:
        for span_id in self.span_ids:
            self.project.update_span(span_id, self.reviewer, kb_id=self.before.get(span_id))
