"""Every reviewer decision as an edit: ``apply`` and ``revert`` are store calls.

An edit is made with what it changes; ``apply`` does it and remembers what undoing
needs (the id it created, the fields it replaced), ``revert`` puts everything back.
Either raises :class:`~core.errors.AssayError` when the store refuses (nothing
changed then). ``focus`` names what the reviewer should see after either: the
article, and the entity or claim the edit touched.

Edits that touch many rows (linking every other mention) are one store call in one
transaction, so a refusal half-way leaves nothing half-done.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from types import EllipsisType
from typing import Any

from core.errors import InvalidEdit
from core.models import Claim
from core.nlp.linking import KbEntry
from core.review.approval import ApprovalSummary
from core.store import Project


@dataclass(frozen=True)
class Focus:
    """What to show after an edit or its undo: an article, and maybe a span or claim in it
    (``article_id`` None: a project-wide edit, such as one of the label scheme)."""

    article_id: int | None
    span_id: int | None = None
    claim_id: int | None = None
    relation_id: int | None = None


class Edit:
    """Base of all edits. Subclasses set ``title`` and implement ``_do`` and ``_undo``."""

    title = "edit"
    article_id: int
    scheme = False  # True: the edit changes the label scheme (core.review.scheme_edits)
    kb_entries = False  # True: the edit changes the project's canonical entries

    def apply(self, project: Project, reviewer: str) -> None:
        self._do(project, reviewer)

    def revert(self, project: Project, reviewer: str) -> None:
        self._undo(project, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id)

    def _do(self, project: Project, reviewer: str) -> None:
        raise NotImplementedError

    def _undo(self, project: Project, reviewer: str) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------- spans


class AddSpan(Edit):
    """Create a span; undo deletes it, redo recreates it under the same id."""

    def __init__(self, article_id: int, start: int, end: int, label: str,
                 kb_id: str | None | EllipsisType = ...) -> None:
        self.article_id, self.start, self.end, self.label = article_id, start, end, label
        self.kb_id = kb_id
        self.span_id: int | None = None
        self.title = f"add {label}"

    def _do(self, project: Project, reviewer: str) -> None:
        span = project.add_span(self.article_id, self.start, self.end, self.label, reviewer,
                                span_id=self.span_id, kb_id=self.kb_id)
        self.span_id = span.id

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.span_id is not None
        project.delete_span(self.span_id, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, span_id=self.span_id)


SPAN_FIELDS = ("start", "end", "label", "state", "kb_id")


def _unchanged_since(now: dict[str, object], then: dict[str, object] | None, what: str) -> None:
    """Refuse to undo or redo over a change someone else made after this edit."""
    if then is not None and now != then:
        raise InvalidEdit(f"{what} was changed by another window or process since; nothing "
                          "was undone. Look again and edit it by hand.")


class _FieldsEdit(Edit):
    """Change some fields of one stored row; undo writes back what they were.

    Undo and redo refuse when the row is no longer as this edit left it (another
    window or a pre-annotation run changed it since): they would overwrite that change.
    """

    FIELDS: tuple[str, ...] = ()
    what = "That item"

    def __init__(self, row_id: int, title: str, **changes: object) -> None:
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"cannot change {', '.join(sorted(unknown))} here")
        self.row_id, self.title, self.changes = row_id, title, changes
        self.before: dict[str, object] | None = None
        self.after: dict[str, object] | None = None
        self.article_id = 0

    def _read(self, project: Project) -> Any:
        raise NotImplementedError

    def _write(self, project: Project, reviewer: str, values: dict[str, object]) -> None:
        raise NotImplementedError

    def _fields(self, project: Project) -> dict[str, object]:
        row = self._read(project)
        self.article_id = row.article_id
        return {k: getattr(row, k) for k in self.FIELDS}

    def _do(self, project: Project, reviewer: str) -> None:
        current = self._fields(project)
        if self.before is None:
            self.before = current
        else:
            _unchanged_since(current, self.before, self.what)
        self._write(project, reviewer, self.changes)
        self.after = self._fields(project)

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.before is not None
        _unchanged_since(self._fields(project), self.after, self.what)
        self._write(project, reviewer, self.before)


class UpdateSpan(_FieldsEdit):
    """Relabel, resize, accept, reject or relink a span; undo restores every field."""

    FIELDS = SPAN_FIELDS
    what = "That entity"

    @property
    def span_id(self) -> int:
        return self.row_id

    def _read(self, project: Project) -> Any:
        return project.span(self.row_id)

    def _write(self, project: Project, reviewer: str, values: dict[str, object]) -> None:
        # The link is written only when it is what this edit changes (a link edit) or puts
        # back (an undo gives every field as it was): a relabel or a resize leaves it to the
        # store, whose rule is that a link made by name follows the name and one a reviewer
        # chose stays (``Spans.update_span``). Passing the old link along would make every
        # relabel "choose" it, and "US Launches Global Initiative" shrunk to a GPE "US"
        # would stay unlinked while every other "US" is USA.
        assert self.before is not None
        fields = {**self.before, **values}
        if "kb_id" not in values:
            del fields["kb_id"]
        project.update_span(self.row_id, reviewer, **fields)  # type: ignore[arg-type]

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, span_id=self.row_id)


class LinkSpans(Edit):
    """Link many spans (in any article) to one canonical id, in one transaction."""

    def __init__(self, article_id: int, span_ids: list[int], kb_id: str) -> None:
        self.article_id, self.span_ids, self.kb_id = article_id, list(span_ids), kb_id
        self.before: dict[int, str | None] = {}
        self.title = f"link {len(span_ids)} entities to {kb_id}"

    def _do(self, project: Project, reviewer: str) -> None:
        self.before = project.set_spans_kb({i: self.kb_id for i in self.span_ids}, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.set_spans_kb(self.before, reviewer)


class AddSpans(Edit):
    """Label many places (in one or many articles) at once: one transaction, one undo."""

    def __init__(self, places: list[tuple[int, int, int]], label: str, title: str,
                 keep: int | None = None) -> None:
        self.places, self.label, self.title = list(places), label, title
        self.article_id = places[0][0]
        self.span_ids: list[int] = []
        # O labels the others of the selected entity: the reviewer stays on that one (the
        # focus), not on the first new span, which may be anywhere in the article.
        self.keep = keep

    def _do(self, project: Project, reviewer: str) -> None:
        self.span_ids = project.add_spans(self.places, self.label, reviewer,
                                          span_ids=self.span_ids or None)

    def _undo(self, project: Project, reviewer: str) -> None:
        project.delete_spans(self.span_ids, reviewer)

    @property
    def focus(self) -> Focus:
        if self.keep is not None:
            return Focus(self.article_id, span_id=self.keep)
        return Focus(self.article_id, span_id=self.span_ids[0] if self.span_ids else None)


class SetSpanStates(Edit):
    """Accept or reject many spans at once (one transaction, one undo)."""

    def __init__(self, article_id: int, span_ids: list[int], state: str, title: str) -> None:
        self.article_id, self.span_ids, self.state, self.title = (
            article_id, list(span_ids), state, title)
        self.before: dict[int, str] = {}

    def _do(self, project: Project, reviewer: str) -> None:
        self.before = project.set_spans_state(dict.fromkeys(self.span_ids, self.state),
                                              reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        now = {s.id: s.state for s in project.spans(self.article_id)}
        if any(now.get(i) != self.state for i in self.span_ids):
            raise InvalidEdit("Those entities were changed since; nothing was undone.")
        project.set_spans_state(self.before, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, span_id=self.span_ids[0] if self.span_ids else None)


# ---------------------------------------------------------------- articles


class SetStatus(Edit):
    """Approve, reject or skip an article; undo restores its status and its suggestions.
    An approval counts what it did (``summary``: the one count the window shows)."""

    def __init__(self, article_id: int, status: str, seconds: float | None = None) -> None:
        self.article_id, self.status, self.seconds = article_id, status, seconds
        self.before: str | None = None
        self.before_seconds: float | None = None  # the time kept before (see _undo)
        self.accepted: list[int] = []
        self.accepted_relations: list[int] = []
        self.accepted_topics: list[str] = []
        self.summary: ApprovalSummary | None = None  # set by an approval
        verb = status[:-2] if status.endswith("ed") else status
        self.title = f"{verb} article"

    def _do(self, project: Project, reviewer: str) -> None:
        if self.before is None:
            article = project.article(self.article_id)
            self.before, self.before_seconds = article.status, article.review_seconds
        self.accepted_relations, self.accepted_topics = [], []
        self.accepted = project.set_article_status(
            self.article_id, self.status, reviewer, seconds=self.seconds,
            accept_suggestions=self.status == "approved",
            accepted_relations=self.accepted_relations,
            accepted_topics=self.accepted_topics)
        if self.status == "approved":
            self.summary = ApprovalSummary(len(self.accepted),
                                           *project.open_claims(self.article_id),
                                           topics=len(self.accepted_topics))

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.before is not None
        # The time goes back as it was: an undecided article keeps the time spent on it
        # (core.review.session.save_time), which a new decision counts again, once.
        project.set_article_status(self.article_id, self.before, reviewer,
                                   seconds=self.before_seconds, resuggest=self.accepted,
                                   resuggest_relations=self.accepted_relations,
                                   resuggest_topics=self.accepted_topics)


class SetNote(Edit):
    """Replace an article's note."""

    title = "edit note"

    def __init__(self, article_id: int, note: str) -> None:
        self.article_id, self.note = article_id, note
        self.before: str | None = None

    def _do(self, project: Project, reviewer: str) -> None:
        before = project.set_note(self.article_id, self.note, reviewer)
        if self.before is None:
            self.before = before

    def _undo(self, project: Project, reviewer: str) -> None:
        project.set_note(self.article_id, self.before or "", reviewer)


# ---------------------------------------------------------------- claims


class AddClaim(Edit):
    """Mark a passage as a claim; undo deletes it, redo recreates it under the same id."""

    title = "mark claim"

    def __init__(self, article_id: int, start: int, end: int) -> None:
        self.article_id, self.start, self.end = article_id, start, end
        self.claim_id: int | None = None

    def _do(self, project: Project, reviewer: str) -> None:
        claim = project.add_claim(self.article_id, self.start, self.end, reviewer,
                                  claim_id=self.claim_id)
        self.claim_id = claim.id

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.claim_id is not None
        project.delete_claim(self.claim_id, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, claim_id=self.claim_id)


CLAIM_FIELDS = ("verdict", "evidence_url", "note", "state")


class UpdateClaim(_FieldsEdit):
    """Give a verdict, evidence or a note, accept or dismiss; undo restores every field.

    A verdict on a suggested claim accepts it: that rule lives in the store
    (``update_claim``), and undo puts the state back with the other fields.
    """

    FIELDS = CLAIM_FIELDS
    what = "That claim"

    @property
    def claim_id(self) -> int:
        return self.row_id

    def _read(self, project: Project) -> Any:
        return project.claim(self.row_id)

    def _write(self, project: Project, reviewer: str, values: dict[str, object]) -> None:
        project.update_claim(self.row_id, reviewer, **values)  # type: ignore[arg-type]

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, claim_id=self.row_id)


class DeleteClaim(Edit):
    """Remove a claim a reviewer made; undo puts all of it back under its id."""

    title = "delete claim"

    def __init__(self, claim: Claim) -> None:
        self.claim, self.article_id = claim, claim.article_id

    def _do(self, project: Project, reviewer: str) -> None:
        project.delete_claim(self.claim.id, reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        restore_claim(project, self.claim, reviewer)

    @property
    def focus(self) -> Focus:
        return Focus(self.article_id, claim_id=self.claim.id)


class SuggestClaims(Edit):
    """Run the suggestion pass on the article as it is now; undo removes what it added and
    brings back, whole, the suggestions it dropped."""

    title = "suggest claims"

    def __init__(self, article_id: int) -> None:
        self.article_id = article_id
        self.made: list[Claim] = []
        self.dropped: list[Claim] = []

    def _do(self, project: Project, reviewer: str) -> None:
        before = project.claims(self.article_id, states=("suggested",))
        self.made = project.suggest_claims(self.article_id, reviewer)
        now = {c.id for c in project.claims(self.article_id)}
        self.dropped = [c for c in before if c.id not in now]

    def _undo(self, project: Project, reviewer: str) -> None:
        for claim in self.made:
            project.delete_claim(claim.id, reviewer)
        for claim in self.dropped:
            restore_claim(project, claim, reviewer)


def restore_claim(project: Project, claim: Claim, reviewer: str) -> None:
    """Put a deleted claim back under its id with every field it had."""
    values = asdict(claim)
    project.add_claim(
        claim.article_id, claim.start, claim.end, reviewer, claim_id=claim.id,
        **{k: values[k] for k in ("verdict", "evidence_url", "note", "state", "origin",
                                  "reason")},
    )


# ---------------------------------------------------------------- canonical entries


@dataclass
class AddKbEntry(Edit):
    """Add a canonical entry to the project; undo deletes it (links made with it stay
    until their own edits are undone, as when a reviewer deletes an entry)."""

    kb_id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    article_id: int = 0
    entry: KbEntry | None = None
    title: str = "add canonical entry"
    kb_entries = True

    def _do(self, project: Project, reviewer: str) -> None:
        self.entry = project.add_kb_entry(self.kb_id, self.label, self.name, self.aliases,
                                          reviewer)

    def _undo(self, project: Project, reviewer: str) -> None:
        assert self.entry is not None
        project.delete_kb_entry(self.entry.id, self.label, reviewer)
