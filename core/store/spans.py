"""Spans in the project store: an article's entities, each one row with its state.

Every span write is one transaction with an audit event (``core.store.db``) and keeps
the article's live-entity count right. The rules every span obeys are checked here,
once: offsets inside the text and not empty, a label of the scheme, no overlap with a
live span of the same article.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from types import EllipsisType

from core.errors import InvalidEdit
from core.models import SPAN_ORIGINS, SPAN_STATES, Relation, RelationIn, Span, SpanIn
from core.store.audit import now
from core.store.audit import require_reviewer as _require_reviewer
from core.store.db import Db
from core.store.relations import Relations
from core.store.rows import SPAN_FIELDS, inserted_id, make_span
from core.store.rows import row_to as _row_to
from core.text.kb_ids import KB_ID_RULE, is_usable_kb_id


class Spans:
    """Span reads and writes of one project (``Project`` forwards its span methods here)."""

    def __init__(self, db: Db, article_text: Callable[[int], str],
                 label_names: Callable[[], set[str]],
                 link: Callable[[str, str], str | None], relations: Relations) -> None:
        self.db = db
        # The relations of a span go with it when it is deleted, and a relabel that would
        # make one unfit is refused (``core.store.relations``).
        self.relations = relations
        self.article_text = article_text
        self.label_names = label_names
        self.link = link

    def spans(self, article_id: int, include_rejected: bool = True) -> list[Span]:
        """The article's spans in text order. Read as plain tuples made into Spans in C:
        every edit re-reads them, and a 4,900-entity article took 39 ms through
        sqlite3.Row and a dict per span, 6 ms this way."""
        cond = "" if include_rejected else " AND state != 'rejected'"
        cur = self.db.conn.cursor()
        cur.row_factory = None
        rows = cur.execute(
            f'SELECT {SPAN_FIELDS} FROM spans WHERE article_id = ?{cond} '
            'ORDER BY start, "end", id', (article_id,)).fetchall()
        return list(map(make_span, rows))

    def last_change(self, article_id: int) -> tuple[str, str] | None:
        """Who last changed the article's spans, and when (ISO time), from the audit log:
        a removal leaves no span to carry its stamp, the log has every write."""
        row = self.db.conn.execute(
            "SELECT reviewer, at FROM events WHERE article_id = ? AND action LIKE 'span.%' "
            "ORDER BY id DESC LIMIT 1", (article_id,)).fetchone()
        return (row[0], row[1]) if row is not None else None

    def span(self, span_id: int) -> Span:
        row = self.db.conn.execute("SELECT * FROM spans WHERE id = ?", (span_id,)).fetchone()
        if row is None:
            raise InvalidEdit(f"No span with id {span_id}.")
        return _row_to(Span, row)

    def _check_overlap(
        self, conn: sqlite3.Connection, article_id: int, start: int, end: int,
        exclude: int | None = None,
    ) -> None:
        row = self.db.first_overlap(conn, "spans", "rejected", article_id, start, end, exclude,
                                    "label, text")
        if row is not None:
            raise InvalidEdit(f"That would overlap the {row[0]} entity '{row[1]}'.")

    def add_span(
        self,
        article_id: int,
        start: int,
        end: int,
        label: str,
        reviewer: str,
        *,
        origin: str = "reviewer",
        state: str = "accepted",
        kb_id: str | None | EllipsisType = ...,
        text: str | None = None,
        span_id: int | None = None,
    ) -> Span:
        """Add one span; refused (nothing changes) if it is invalid or overlaps a live span.

        Without ``kb_id`` the span is linked to its canonical id by name (the linker the
        project was handed, ``core.store.rules``); ``None`` stores it unlinked.

        ``span_id`` recreates a span under the id it had (redo after undo), so
        later edits that name that id still apply.
        """
        _require_reviewer(reviewer)
        article_text = self.article_text(article_id)
        check_bounds(article_text, start, end, label, self.label_names())
        if origin not in SPAN_ORIGINS or state not in SPAN_STATES:
            raise InvalidEdit(f"Unknown origin or state: {origin}/{state}.")
        span_text = article_text[start:end]
        if kb_id is ...:
            kb_id = self.link(label, span_text)
        elif kb_id is not None and not is_usable_kb_id(kb_id):
            raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
        if text is not None and text != span_text:
            raise InvalidEdit(
                f"Span text {text!r} does not match the article at [{start}, {end}): "
                f"{span_text!r}."
            )
        with self.db.edit() as conn:
            span_id = self._insert(conn, article_id, article_text, start, end, label, reviewer,
                                   origin, state, kb_id, span_id, now())
        return self.span(span_id)

    def _insert(self, conn: sqlite3.Connection, article_id: int, article_text: str,
                start: int, end: int, label: str, reviewer: str, origin: str, state: str,
                kb_id: str | None, span_id: int | None, stamp: str) -> int:
        """One checked span row, its counts and its audit event, in the caller's transaction."""
        span_text = article_text[start:end]
        if state != "rejected":
            self._check_overlap(conn, article_id, start, end)
        try:
            cur = conn.execute(
                'INSERT INTO spans(id, article_id, start, "end", label, text, origin, state, '
                "kb_id, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (span_id, article_id, start, end, label, span_text, origin, state, kb_id,
                 reviewer, stamp),
            )
        except sqlite3.IntegrityError as exc:
            raise InvalidEdit(f"Span id {span_id} is taken; cannot recreate it.") from exc
        span_id = inserted_id(cur)
        self.db.recount(conn, article_id)
        self.db.event(conn, reviewer, article_id, "span.add", {
            "span_id": span_id, "start": start, "end": end, "label": label,
            "text": span_text, "origin": origin, "state": state, "kb_id": kb_id,
        })
        return span_id

    def add_spans(self, places: Sequence[tuple[int, int, int]], label: str, reviewer: str,
                  span_ids: Sequence[int] | None = None) -> list[int]:
        """Add many reviewer spans, ``(article_id, start, end)`` each, in ONE transaction
        ("label all occurrences"); all or nothing. ``span_ids`` recreates them (redo)."""
        _require_reviewer(reviewer)
        labels = self.label_names()
        ids: list[int] = []
        stamp = now()
        texts: dict[int, str] = {}
        with self.db.edit() as conn:
            for i, (article_id, start, end) in enumerate(places):
                if article_id not in texts:
                    texts[article_id] = self.article_text(article_id)
                text = texts[article_id]
                check_bounds(text, start, end, label, labels)
                ids.append(self._insert(
                    conn, article_id, text, start, end, label, reviewer, "reviewer",
                    "accepted", self.link(label, text[start:end]),
                    span_ids[i] if span_ids else None, stamp))
        return ids

    def replace_spans(self, article_id: int, spans: Sequence[SpanIn], reviewer: str,
                      ids: Sequence[int | None] | None = None, *,
                      relations: Sequence[RelationIn | Relation] | None = None,
                      relation_ids: Sequence[int | None] | None = None
                      ) -> tuple[list[Span], list[int]]:
        """Make ``spans`` the article's spans, in ONE transaction (adjudication adopting a
        version, or its undo). All or nothing: a span that does not fit, has an unknown
        label or overlaps another refuses it.

        Only what differs is written: a stored span equal to a wanted one (bounds, label,
        state, origin, link) is kept with its id, so the edits before this one in the
        undo history still find their spans, and the selection stays on them. A wanted
        span is inserted under ``ids[i]`` when given (an undo puts removed spans back
        under their old ids, a redo uses the ids the first run gave). Returns the spans
        the article had (to put them back) and the id of each wanted span, in order.

        The relations of removed spans go with them. ``relations`` given: the article's
        relations become exactly these, in the same transaction
        (``Relations.replace_for_article``: ends by position in ``spans``, or as stored
        for an undo; ``relation_ids`` for a redo)."""
        _require_reviewer(reviewer)
        text = self.article_text(article_id)
        labels = self.label_names()
        live_end = -1
        for span in sorted(spans, key=lambda s: (s.start, s.end)):
            check_bounds(text, span.start, span.end, span.label, labels)
            if span.state != "rejected":
                if span.start < live_end:
                    raise InvalidEdit(f"Span [{span.start}, {span.end}) {span.label} overlaps "
                                      "another one; nothing was changed.")
                live_end = span.end
        wanted_ids = list(ids) if ids is not None else [None] * len(spans)
        # A span without a link gets the gazetteer's, as on insert: compare with that.
        links = [s.kb_id if s.kb_id is not None else self.link(s.label, text[s.start:s.end])
                 for s in spans]
        wanted = [(s.start, s.end, s.label, s.state, s.origin, kb)
                  for s, kb in zip(spans, links, strict=True)]
        before = self.spans(article_id)
        free = {s.id: s for s in before}

        def key(s: Span) -> tuple:
            return (s.start, s.end, s.label, s.state, s.origin, s.kb_id)

        out: list[int | None] = [None] * len(spans)
        # Keep a stored span under the id asked for first, then any equal one.
        for i, want in enumerate(wanted_ids):
            if want in free and key(free[want]) == wanted[i]:
                out[i] = free.pop(want).id
        by_key: dict[tuple, list[int]] = {}
        for sid, stored in free.items():
            by_key.setdefault(key(stored), []).append(sid)
        for i in range(len(spans)):
            if out[i] is None and by_key.get(wanted[i]):
                out[i] = kept = by_key[wanted[i]].pop(0)
                del free[kept]
        removed = list(free.values())
        # What a model suggested follows its place: a wanted span at a removed suggestion's
        # place (the same bounds and label, else overlapping it) is that suggestion, kept
        # or corrected, so adjudicating an article does not turn the pre-annotator's spans
        # into a reviewer's and an undo gives them back as they were (core.store.summaries).
        made = self.suggestions_made(article_id)
        suggestions = [s for s in removed if s.id in made]
        added = 0
        stamp = now()
        with self.db.edit() as conn:
            self.relations.drop_for_spans(conn, [s.id for s in removed], reviewer)
            conn.executemany("DELETE FROM spans WHERE id = ?", [(s.id,) for s in removed])
            for i, span in enumerate(spans):
                if out[i] is not None:
                    continue
                want = wanted_ids[i]
                if want is not None and conn.execute(
                        "SELECT 1 FROM spans WHERE id = ?", (want,)).fetchone():
                    want = None  # taken meanwhile: a new id, as any insert
                kb_id = links[i]
                suggested: tuple[int | str | None, ...] = (None, None, None)
                origin, model = span.origin, span.model
                if span.suggested is not None and origin in ("model", "rules"):
                    suggested = span.suggested
                elif (was := _same_place(span, suggestions)) is not None:
                    suggestions.remove(was)
                    origin, model, *rest = made[was.id]
                    suggested = tuple(rest)
                cur = conn.execute(
                    'INSERT INTO spans(id, article_id, start, "end", label, text, origin, '
                    "state, kb_id, updated_by, updated_at, model, suggested_start, "
                    "suggested_end, suggested_label) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (want, article_id, span.start, span.end, span.label,
                     text[span.start:span.end], origin, span.state, kb_id, reviewer,
                     stamp, model, *suggested))
                out[i] = inserted_id(cur)
                added += 1
            if relations is not None:
                # A span asked for under an id may have been kept under another (an equal
                # one was there): a stored relation follows it.
                moved = {want: got for want, got in zip(wanted_ids, out, strict=True)
                         if want is not None and got is not None and want != got}
                self.relations.replace_for_article(
                    conn, article_id, relations, [int(x) for x in out if x is not None],
                    reviewer, relation_ids, moved)
            self.db.recount(conn, article_id)
            self.db.event(conn, reviewer, article_id, "span.replace",
                          {"removed": len(removed), "added": added, "after": len(spans)})
        return before, [int(x) for x in out if x is not None]

    def suggestions_made(self, article_id: int
                         ) -> dict[int, tuple[str, str | None, int | None, int | None, str | None]]:
        """Per span id a pre-annotator made: (origin, model, suggested start, end, label),
        what ``replace_spans`` and its undo carry to the span at a suggestion's place."""
        return {r[0]: tuple(r[1:]) for r in self.db.conn.execute(
            "SELECT id, origin, model, suggested_start, suggested_end, suggested_label "
            "FROM spans WHERE article_id = ? AND origin IN ('model', 'rules')", (article_id,))}

    def delete_spans(self, span_ids: Sequence[int], reviewer: str) -> None:
        """Remove many spans in ONE transaction (the undo of ``add_spans``)."""
        _require_reviewer(reviewer)
        with self.db.edit() as conn:
            for span_id in span_ids:
                row = conn.execute("SELECT * FROM spans WHERE id = ?", (span_id,)).fetchone()
                if row is None:
                    raise InvalidEdit(f"No span with id {span_id}; nothing was removed.")
                self.relations.drop_for_spans(conn, [span_id], reviewer)
                conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
                self.db.recount(conn, row["article_id"])
                self.db.event(conn, reviewer, row["article_id"], "span.delete", {
                    "span_id": span_id, "start": row["start"], "end": row["end"],
                    "label": row["label"], "origin": row["origin"], "state": row["state"],
                    "kb_id": row["kb_id"]})

    def set_spans_state(self, states: dict[int, str], reviewer: str) -> dict[int, str]:
        """Set the state of many spans in ONE transaction; returns their states before.

        All or nothing: a missing span, or bringing back a span that now overlaps a live
        one, refuses the whole change."""
        _require_reviewer(reviewer)
        before: dict[int, str] = {}
        stamp = now()
        with self.db.edit() as conn:
            touched: set[int] = set()
            for span_id, state in states.items():
                if state not in SPAN_STATES:
                    raise InvalidEdit(f"Unknown span state {state!r}.")
                row = conn.execute('SELECT article_id, start, "end", state FROM spans '
                                   "WHERE id = ?", (span_id,)).fetchone()
                if row is None:
                    raise InvalidEdit(f"No span with id {span_id}; nothing was changed.")
                before[span_id] = row["state"]
                if state != "rejected" and row["state"] == "rejected":
                    self._check_overlap(conn, row["article_id"], row["start"], row["end"],
                                        exclude=span_id)
                conn.execute("UPDATE spans SET state = ?, updated_by = ?, updated_at = ? "
                             "WHERE id = ?", (state, reviewer, stamp, span_id))
                touched.add(row["article_id"])
                self.db.event(conn, reviewer, row["article_id"], "span.update",
                              {"span_id": span_id, "changes": {"state": [row["state"], state]}})
            for article_id in touched:
                self.db.recount(conn, article_id)
        return before

    def update_span(
        self,
        span_id: int,
        reviewer: str,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        state: str | None = None,
        kb_id: str | None | EllipsisType = ...,
    ) -> tuple[Span, Span]:
        """Change any of a span's fields in one checked transaction; returns (before, after).

        Undo is the same call with the ``before`` values, so every edit the
        review window makes (relabel, resize, reject, accept, link) is undoable.
        """
        _require_reviewer(reviewer)
        before = self.span(span_id)
        new_start = before.start if start is None else start
        new_end = before.end if end is None else end
        new_label = before.label if label is None else label
        new_state = before.state if state is None else state
        if new_state not in SPAN_STATES:
            raise InvalidEdit(f"Unknown span state {new_state!r}.")
        article_text = self.article_text(before.article_id)
        check_bounds(article_text, new_start, new_end, new_label, self.label_names())
        new_text = article_text[new_start:new_end]
        new_kb = before.kb_id if kb_id is ... else kb_id
        if kb_id is not ... and kb_id is not None and not is_usable_kb_id(kb_id):
            raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
        if kb_id is ... and (new_label, new_text) != (before.label, before.text) and (
                before.kb_id in (None, "", self.link(before.label, before.text))):
            # A link made by name follows the name; one a reviewer chose stays.
            new_kb = self.link(new_label, new_text)
        stamp = now()
        with self.db.edit() as conn:
            if self.span(span_id) != before:
                # Another writer (a second window, a pre-annotation run) changed it since we
                # read it: writing our copy of the other fields would undo their change.
                raise InvalidEdit(
                    f"The {before.label} entity '{before.text}' was changed by another "
                    "window or process a moment ago; nothing was changed. Look again and "
                    "repeat the edit.")
            if new_state != "rejected":
                self._check_overlap(conn, before.article_id, new_start, new_end, exclude=span_id)
            if new_label != before.label and (
                    problem := self.relations.relabel_problem(conn, span_id, new_label)):
                raise InvalidEdit(problem)
            conn.execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, text = ?, state = ?, '
                "kb_id = ?, updated_by = ?, updated_at = ? WHERE id = ?",
                (new_start, new_end, new_label, new_text, new_state, new_kb, reviewer, stamp,
                 span_id),
            )
            if (new_state, new_label) != (before.state, before.label):
                self.db.recount(conn, before.article_id)
            changes = {
                k: [getattr(before, k), v]
                for k, v in (("start", new_start), ("end", new_end), ("label", new_label),
                             ("state", new_state), ("kb_id", new_kb))
                if getattr(before, k) != v
            }
            self.db.event(conn, reviewer, before.article_id, "span.update",
                        {"span_id": span_id, "changes": changes})
        return before, self.span(span_id)

    def set_spans_kb(self, links: dict[int, str | None], reviewer: str) -> dict[int, str | None]:
        """Set the link of many spans in ONE transaction; returns their links before.

        All or nothing: an unusable id or a missing span refuses the whole change.
        """
        _require_reviewer(reviewer)
        for kb_id in links.values():
            if kb_id is not None and not is_usable_kb_id(kb_id):
                raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
        before: dict[int, str | None] = {}
        stamp = now()
        with self.db.edit() as conn:
            for span_id, kb_id in links.items():
                row = conn.execute("SELECT article_id, kb_id FROM spans WHERE id = ?",
                                   (span_id,)).fetchone()
                if row is None:
                    raise InvalidEdit(f"No span with id {span_id}; nothing was linked.")
                before[span_id] = row["kb_id"]
                conn.execute("UPDATE spans SET kb_id = ?, updated_by = ?, updated_at = ? "
                             "WHERE id = ?", (kb_id, reviewer, stamp, span_id))
                self.db.event(conn, reviewer, row["article_id"], "span.update",
                            {"span_id": span_id, "changes": {"kb_id": [row["kb_id"], kb_id]}})
        return before

    def relabel_span(self, span_id: int, label: str, reviewer: str) -> tuple[Span, Span]:
        """A reviewer choosing a label also accepts the span."""
        return self.update_span(span_id, reviewer, label=label, state="accepted")

    def resize_span(self, span_id: int, start: int, end: int, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, start=start, end=end, state="accepted")

    def reject_span(self, span_id: int, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, state="rejected")

    def accept_span(self, span_id: int, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, state="accepted")

    def set_span_kb(self, span_id: int, kb_id: str | None, reviewer: str) -> tuple[Span, Span]:
        return self.update_span(span_id, reviewer, kb_id=kb_id)

    def delete_span(self, span_id: int, reviewer: str) -> Span:
        """Remove a span entirely (undo of an add); reviewers reject rather than delete."""
        _require_reviewer(reviewer)
        before = self.span(span_id)
        with self.db.edit() as conn:
            self.relations.drop_for_spans(conn, [span_id], reviewer)
            conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            self.db.recount(conn, before.article_id)
            self.db.event(conn, reviewer, before.article_id, "span.delete", {
                "span_id": span_id, "start": before.start, "end": before.end,
                "label": before.label, "origin": before.origin, "state": before.state,
                "kb_id": before.kb_id,
            })
        return before

    # ---- pre-annotation


def _same_place(span: SpanIn, candidates: Sequence[Span]) -> Span | None:
    """The candidate at the span's place: the same bounds and label, else overlapping."""
    for s in candidates:
        if (s.start, s.end, s.label) == (span.start, span.end, span.label):
            return s
    for s in candidates:
        if s.start < span.end and span.start < s.end:
            return s
    return None


def check_bounds(text: str, start: int, end: int, label: str, labels: set[str]) -> None:
    """The rule of every span: whole-number offsets inside the text, not empty, a known label."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise InvalidEdit("Span offsets must be whole numbers.")
    if not 0 <= start < end <= len(text):
        raise InvalidEdit(
            f"Span [{start}, {end}) is outside the article text (0–{len(text)}) or empty."
        )
    if label not in labels:
        raise InvalidEdit(f"Unknown label {label!r}; add it to the project's scheme first.")


def overlap_problem(spans: Iterable[SpanIn], text: str) -> str | None:
    """The sentence naming the first live (not rejected) span that overlaps another, or
    None: the rule a new article's spans meet, checked by the import and by
    ``annotate-jsonl`` before it reports a record as fine."""
    live_end = -1
    for sp in sorted(spans, key=lambda s: (s.start, s.end)):
        if sp.state == "rejected":
            continue
        if sp.start < live_end:
            return (f"Span [{sp.start}, {sp.end}) {sp.label} '{text[sp.start:sp.end]}' "
                    "overlaps another span.")
        live_end = max(live_end, sp.end)
    return None
