"""Relations in the project store: typed links from a head entity to a tail entity of the
same article, each one row with its state, origin, model, who and when.

The rules every relation obeys are checked here, once, for the window, the CLI, imports
and merges alike:

- both ends are live spans of the article, and not the same span;
- the type is one of the scheme's and allows the ends' labels (either way round for a
  symmetric type);
- no duplicate: the same ends and type as another live relation (for a symmetric type,
  in either direction);
- a relation counts only while it is not rejected and both its entities are live: a
  rejected entity takes its relations along (they stay stored, unseen) and bringing the
  entity back brings them back, so the undo of a reject needs nothing of its own;
- deleting a span deletes its relations in the same transaction (``drop_for_spans``)
  and hands them back, so an undo can restore them (``restore_relations``);
- a relabel that would make a live relation's labels unfit is refused with a sentence
  naming the relation (``relabel_problem``, asked by ``core.store.spans``).

Every write is one transaction with its audit event and keeps ``relation_counts``
(relations per type and state) equal to the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence

from core.errors import InvalidEdit
from core.models import RELATION_ORIGINS, RELATION_STATES, Relation, RelationIn, RelationType
from core.store.audit import now
from core.store.audit import require_reviewer as _require_reviewer
from core.store.db import Db
from core.store.rows import inserted_id
from core.text.normalise import one_line

RELATION_FIELDS = ", ".join(f'"{name}"' for name in Relation._fields)
# The one liveness rule, as SQL over ``relations r`` joined to its ends ``h`` and ``t``.
LIVE = "r.state != 'rejected' AND h.state != 'rejected' AND t.state != 'rejected'"
JOIN_ENDS = "FROM relations r JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id"


def _make(row: Iterable) -> Relation:
    return Relation(*row)


def describe(head_text: str, kind: str, tail_text: str) -> str:
    """``China PROCESSES rare earths``: how a message names a relation."""
    return f"{one_line(head_text, 40)} {kind} {one_line(tail_text, 40)}"


class Relations:
    """Relation reads and writes of one project (``Project`` forwards them here)."""

    def __init__(self, db: Db, relation_type: Callable[[str], RelationType]) -> None:
        self.db = db
        self.relation_type = relation_type

    # ---- reads

    def relations(self, article_id: int, include_dead: bool = True) -> list[Relation]:
        """The article's relations in the order they were made; ``include_dead=False``
        keeps the live ones (see the module's docstring)."""
        cols = ", ".join(f"r.{c}" for c in RELATION_FIELDS.split(", "))
        cond = f" AND {LIVE}" if not include_dead else ""
        rows = self.db.conn.execute(
            f"SELECT {cols} {JOIN_ENDS} WHERE r.article_id = ?{cond} ORDER BY r.id",
            (article_id,)).fetchall()
        return [_make(r) for r in rows]

    def relation(self, relation_id: int) -> Relation:
        row = self.db.conn.execute(f"SELECT {RELATION_FIELDS} FROM relations WHERE id = ?",
                                   (relation_id,)).fetchone()
        if row is None:
            raise InvalidEdit(f"No relation with id {relation_id}.")
        return _make(row)

    def listed_relations(self, article_id: int | None = None, kind: str | None = None,
                         state: str | None = None) -> list[tuple[Relation, str, str]]:
        """Relations with their head's and tail's text, by article and id (``assay-cli
        relations list``): of one article, type or state when given; a relation whose
        entity is rejected went with it and is not listed (see the module's docstring)."""
        cols = ", ".join(f"r.{c}" for c in RELATION_FIELDS.split(", "))
        where = ["h.state != 'rejected'", "t.state != 'rejected'"]
        params: list[object] = []
        for column, value in (("r.article_id", article_id), ("r.type", kind),
                              ("r.state", state)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        rows = self.db.conn.execute(
            f"SELECT {cols}, h.text, t.text {JOIN_ENDS} WHERE {' AND '.join(where)} "
            "ORDER BY r.article_id, r.id", params).fetchall()
        return [(_make(tuple(row)[:-2]), row[-2], row[-1]) for row in rows]

    def relation_counts(self) -> dict[tuple[str, str], int]:
        """Relations per (type, state) over the project, as stored (``relation_counts``)."""
        return {(kind, state): n for kind, state, n in self.db.conn.execute(
            "SELECT type, state, n FROM relation_counts WHERE n != 0 ORDER BY type, state")}

    def relation_text(self, relation: Relation) -> str:
        """``China PROCESSES rare earths`` for a stored relation."""
        head, tail = (self.db.conn.execute("SELECT text FROM spans WHERE id = ?",
                                           (i,)).fetchone() for i in (relation.head_id,
                                                                      relation.tail_id))
        return describe(head[0] if head else "?", relation.type, tail[0] if tail else "?")

    # ---- the rule

    def _check(self, conn: sqlite3.Connection, article_id: int, head_id: int, tail_id: int,
               kind: str, state: str, origin: str, exclude: int | None = None,
               dead_ends_ok: bool = False) -> None:
        """Refuse (InvalidEdit, one sentence) a relation that breaks a rule.
        ``dead_ends_ok``: a rejected end is kept as it was (an import of every state, a
        restore), not refused as a new relation's is."""
        if state not in RELATION_STATES or origin not in RELATION_ORIGINS:
            raise InvalidEdit(f"Unknown relation state or origin: {state}/{origin}.")
        if head_id == tail_id:
            raise InvalidEdit("A relation joins two different entities.")
        ends = {}
        for end, span_id in (("head", head_id), ("tail", tail_id)):
            row = conn.execute("SELECT article_id, label, text, state FROM spans WHERE id = ?",
                               (span_id,)).fetchone()
            if row is None or row[0] != article_id:
                raise InvalidEdit(f"The relation's {end} is not an entity of article "
                                  f"{article_id}.")
            if row[3] == "rejected" and not dead_ends_ok:
                raise InvalidEdit(f"The {end} entity '{one_line(row[2], 40)}' is rejected; "
                                  "accept it first.")
            ends[end] = (row[1], row[2], row[3])
        rtype = self.relation_type(kind)
        (head_label, head_text, _), (tail_label, tail_text, _) = ends["head"], ends["tail"]
        if not rtype.allows(head_label, tail_label):
            raise InvalidEdit(
                f"{describe(head_text, kind, tail_text)} does not fit: {kind} joins "
                f"{rtype.shape()}, not {head_label} → {tail_label}. Fix the entity's label "
                "first.")
        if state == "rejected" or (dead_ends_ok and (
                "rejected" in (ends["head"][2], ends["tail"][2]))):
            return
        pairs = [(head_id, tail_id)] + ([(tail_id, head_id)] if rtype.symmetric else [])
        for a, b in pairs:
            if conn.execute(f"SELECT 1 {JOIN_ENDS} WHERE r.head_id = ? AND r.tail_id = ? "
                            f"AND r.type = ? AND r.id IS NOT ? AND {LIVE}",
                            (a, b, kind, exclude)).fetchone():
                raise InvalidEdit(f"{describe(head_text, kind, tail_text)} is already there.")

    def relabel_problem(self, conn: sqlite3.Connection, span_id: int, label: str
                        ) -> str | None:
        """The sentence refusing to give ``span_id`` the label ``label`` because a live
        relation of it would no longer fit, or None (``core.store.spans`` asks)."""
        rows = conn.execute(
            f"SELECT r.type, r.head_id, h.text, h.label, t.text, t.label {JOIN_ENDS} "
            f"WHERE (r.head_id = ? OR r.tail_id = ?) AND {LIVE}", (span_id, span_id)).fetchall()
        for kind, head_id, head_text, head_label, tail_text, tail_label in rows:
            labels = (label, tail_label) if head_id == span_id else (head_label, label)
            rtype = self.relation_type(kind)
            if not rtype.allows(*labels):
                return (f"As {label}, it would break the relation "
                        f"{describe(head_text, kind, tail_text)} ({kind} joins "
                        f"{rtype.shape()}); delete that relation first.")
        return None

    # ---- writes

    def _count(self, conn: sqlite3.Connection, kind: str, state: str, delta: int) -> None:
        conn.execute("INSERT INTO relation_counts(type, state, n) VALUES (?, ?, ?) "
                     "ON CONFLICT(type, state) DO UPDATE SET n = n + excluded.n",
                     (kind, state, delta))

    def insert(self, conn: sqlite3.Connection, article_id: int, head_id: int, tail_id: int,
               kind: str, reviewer: str, *, origin: str = "reviewer", state: str = "accepted",
               model: str | None = None, relation_id: int | None = None,
               suggested_type: str | None = None, stamp: str | None = None,
               dead_ends_ok: bool = False, updated_by: str | None = None) -> int:
        """One checked relation row, its count and its audit event, in the caller's
        transaction (an import or a merge writes many in one). ``updated_by`` and ``stamp``:
        who decided it and when, where that was elsewhere (an import of an Assay JSONL
        export); the audit event names ``reviewer``, who wrote it here."""
        self._check(conn, article_id, head_id, tail_id, kind, state, origin,
                    dead_ends_ok=dead_ends_ok)
        if suggested_type is None and origin in ("rules", "model"):
            suggested_type = kind
        try:
            cur = conn.execute(
                "INSERT INTO relations(id, article_id, head_id, tail_id, type, state, origin, "
                "model, updated_by, updated_at, suggested_type) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (relation_id, article_id, head_id, tail_id, kind, state, origin, model,
                 updated_by or reviewer, stamp or now(), suggested_type))
        except sqlite3.IntegrityError as exc:
            raise InvalidEdit(f"Relation id {relation_id} is taken; cannot recreate it."
                              ) from exc
        new_id = inserted_id(cur)
        self._count(conn, kind, state, 1)
        self.db.event(conn, reviewer, article_id, "relation.add", {
            "relation_id": new_id, "head_id": head_id, "tail_id": tail_id, "type": kind,
            "state": state, "origin": origin, "model": model})
        return new_id

    def add_relation(self, article_id: int, head_id: int, tail_id: int, kind: str,
                     reviewer: str, *, origin: str = "reviewer", state: str = "accepted",
                     model: str | None = None, relation_id: int | None = None) -> Relation:
        """Add one relation; refused (nothing changes) if it breaks a rule.
        ``relation_id`` recreates it under the id it had (redo after undo)."""
        _require_reviewer(reviewer)
        with self.db.edit() as conn:
            new_id = self.insert(conn, article_id, head_id, tail_id, kind, reviewer,
                                 origin=origin, state=state, model=model,
                                 relation_id=relation_id)
        return self.relation(new_id)

    def update_relation(self, relation_id: int, reviewer: str, *, kind: str | None = None,
                        state: str | None = None) -> tuple[Relation, Relation]:
        """Change a relation's type or state in one checked transaction; returns (before,
        after). Undo is the same call with the ``before`` values."""
        _require_reviewer(reviewer)
        before = self.relation(relation_id)
        new_kind = before.type if kind is None else kind
        new_state = before.state if state is None else state
        with self.db.edit() as conn:
            if self.relation(relation_id) != before:
                raise InvalidEdit("That relation was changed by another window or process a "
                                  "moment ago; nothing was changed.")
            if new_state != "rejected" or new_kind != before.type:
                self._check(conn, before.article_id, before.head_id, before.tail_id,
                            new_kind, new_state, before.origin, exclude=relation_id)
            conn.execute("UPDATE relations SET type = ?, state = ?, updated_by = ?, "
                         "updated_at = ? WHERE id = ?",
                         (new_kind, new_state, reviewer, now(), relation_id))
            self._count(conn, before.type, before.state, -1)
            self._count(conn, new_kind, new_state, 1)
            changes = {k: [old, new] for k, old, new in (
                ("type", before.type, new_kind), ("state", before.state, new_state))
                if old != new}
            self.db.event(conn, reviewer, before.article_id, "relation.update",
                          {"relation_id": relation_id, "changes": changes})
        return before, self.relation(relation_id)

    def delete_relation(self, relation_id: int, reviewer: str) -> Relation:
        """Remove a relation entirely (a reviewer's own, or the undo of an add); returns it
        so an undo can put it back (``restore_relations``)."""
        _require_reviewer(reviewer)
        before = self.relation(relation_id)
        with self.db.edit() as conn:
            self._delete(conn, [before], reviewer)
        return before

    def _delete(self, conn: sqlite3.Connection, gone: Sequence[Relation], reviewer: str
                ) -> None:
        for rel in gone:
            conn.execute("DELETE FROM relations WHERE id = ?", (rel.id,))
            self._count(conn, rel.type, rel.state, -1)
            self.db.event(conn, reviewer, rel.article_id, "relation.delete", {
                "relation_id": rel.id, "head_id": rel.head_id, "tail_id": rel.tail_id,
                "type": rel.type, "state": rel.state, "origin": rel.origin})

    def drop_for_spans(self, conn: sqlite3.Connection, span_ids: Iterable[int],
                       reviewer: str) -> list[Relation]:
        """Delete every relation of the given spans in the caller's transaction (the spans
        are being deleted); returns them, so the span's undo can restore them."""
        ids = list(span_ids)
        gone: list[Relation] = []
        for start in range(0, len(ids), 400):
            chunk = ids[start:start + 400]
            marks = ",".join("?" * len(chunk))
            gone += [_make(r) for r in conn.execute(
                f"SELECT {RELATION_FIELDS} FROM relations WHERE head_id IN ({marks}) "
                f"OR tail_id IN ({marks}) ORDER BY id", (*chunk, *chunk))]
        unique = list({r.id: r for r in gone}.values())
        self._delete(conn, unique, reviewer)
        return unique

    def restore_relations(self, relations: Sequence[Relation], reviewer: str) -> None:
        """Put deleted relations back under their ids with every field they had (the undo
        of deleting a span or a relation). All or nothing; each is checked again."""
        _require_reviewer(reviewer)
        with self.db.edit() as conn:
            for rel in relations:
                self.insert(conn, rel.article_id, rel.head_id, rel.tail_id, rel.type,
                            rel.updated_by or reviewer, origin=rel.origin, state=rel.state,
                            model=rel.model, relation_id=rel.id,
                            suggested_type=rel.suggested_type, stamp=rel.updated_at,
                            dead_ends_ok=True)

    def replace_for_article(self, conn: sqlite3.Connection, article_id: int,
                            wanted: Sequence[RelationIn | Relation], span_ids: Sequence[int],
                            reviewer: str, relation_ids: Sequence[int | None] | None = None,
                            moved: dict[int, int] | None = None) -> list[int]:
        """Make ``wanted`` the article's relations in the caller's transaction (what
        ``Spans.replace_spans`` does with ``relations``: adjudication taking a version,
        and its undo). A ``RelationIn`` names its ends by position in ``span_ids`` (the
        spans just written) and is inserted under ``relation_ids[i]`` when given (a redo);
        a ``Relation`` is put back as it was, under its id (an undo; ``moved``: span ids
        that now stand for the ones it names). A stored relation
        equal to a wanted one is kept with its id; the others are deleted. Each inserted
        one is checked. Returns the id of each wanted relation, in order."""
        current = {r.id: r for r in (_make(row) for row in conn.execute(
            f"SELECT {RELATION_FIELDS} FROM relations WHERE article_id = ? ORDER BY id",
            (article_id,)))}
        out: list[int | None] = [None] * len(wanted)
        ends: list[tuple[int, int]] = []
        moved = moved or {}
        wanted = [w._replace(head_id=moved.get(w.head_id, w.head_id),
                             tail_id=moved.get(w.tail_id, w.tail_id))
                  if isinstance(w, Relation) else w for w in wanted]
        for i, w in enumerate(wanted):
            if isinstance(w, Relation):
                ends.append((w.head_id, w.tail_id))
                if current.get(w.id) == w:
                    out[i] = current.pop(w.id).id
                continue
            if not (0 <= w.head < len(span_ids) and 0 <= w.tail < len(span_ids)):
                raise InvalidEdit(f"A {w.type} relation names an entity the article does "
                                  "not have.")
            ends.append((span_ids[w.head], span_ids[w.tail]))
            same = next((r for r in current.values() if (r.head_id, r.tail_id, r.type,
                         r.state, r.origin) == (*ends[i], w.type, w.state, w.origin)), None)
            if same is not None:
                out[i] = current.pop(same.id).id
        self._delete(conn, list(current.values()), reviewer)
        for i, w in enumerate(wanted):
            if out[i] is not None:
                continue
            head_id, tail_id = ends[i]
            if isinstance(w, Relation):
                out[i] = self.insert(conn, article_id, head_id, tail_id, w.type,
                                     w.updated_by or reviewer, origin=w.origin, state=w.state,
                                     model=w.model, relation_id=w.id,
                                     suggested_type=w.suggested_type, stamp=w.updated_at,
                                     dead_ends_ok=True)
            else:
                want = relation_ids[i] if relation_ids is not None else None
                if want is not None and conn.execute("SELECT 1 FROM relations WHERE id = ?",
                                                     (want,)).fetchone():
                    want = None  # taken meanwhile: a new id, as any insert
                out[i] = self.insert(conn, article_id, head_id, tail_id, w.type, reviewer,
                                     origin=w.origin, state=w.state, model=w.model,
                                     relation_id=want)
        return [int(x) for x in out if x is not None]

    def drop_suggested(self, conn: sqlite3.Connection, article_id: int) -> None:
        """Delete the article's pre-annotation relation suggestions in the caller's
        transaction (re-annotating replaces them; the annotate event records the run).
        Whatever a reviewer accepted, rejected or drew stays."""
        rows = conn.execute("SELECT type, count(*) FROM relations WHERE article_id = ? AND "
                            "state = 'suggested' AND origin IN ('rules', 'model') "
                            "GROUP BY type", (article_id,)).fetchall()
        if not rows:
            return
        conn.execute("DELETE FROM relations WHERE article_id = ? AND state = 'suggested' "
                     "AND origin IN ('rules', 'model')", (article_id,))
        for kind, n in rows:
            self._count(conn, kind, "suggested", -n)

    def accept_suggested(self, conn: sqlite3.Connection, article_id: int, reviewer: str,
                         stamp: str) -> list[int]:
        """Accept the article's live suggested relations in the caller's transaction (what
        approving the article does); returns their ids for the undo (``resuggest``)."""
        rows = conn.execute(f"SELECT r.id, r.type {JOIN_ENDS} WHERE r.article_id = ? AND "
                            f"r.state = 'suggested' AND {LIVE}", (article_id,)).fetchall()
        for relation_id, kind in rows:
            conn.execute("UPDATE relations SET state = 'accepted', updated_by = ?, "
                         "updated_at = ? WHERE id = ?", (reviewer, stamp, relation_id))
            self._count(conn, kind, "suggested", -1)
            self._count(conn, kind, "accepted", 1)
        return [r[0] for r in rows]

    def resuggest(self, conn: sqlite3.Connection, article_id: int, relation_ids: Sequence[int],
                  reviewer: str, stamp: str) -> None:
        """Turn accepted relations back into suggestions (the undo of an approval)."""
        for relation_id in relation_ids:
            row = conn.execute("SELECT type, state FROM relations WHERE id = ? AND "
                               "article_id = ?", (relation_id, article_id)).fetchone()
            if row is None or row[1] != "accepted":
                continue
            conn.execute("UPDATE relations SET state = 'suggested', updated_by = ?, "
                         "updated_at = ? WHERE id = ?", (reviewer, stamp, relation_id))
            self._count(conn, row[0], "accepted", -1)
            self._count(conn, row[0], "suggested", 1)
