"""Pre-annotation's side of the store: which articles to annotate, and storing a batch of
suggestions in one transaction that never touches a reviewer's decision.

Re-annotating replaces an article's *model suggestions* only: accepted, rejected and
reviewer-made spans stay as they are, and a new suggestion that would overlap one of
them is dropped. Claim suggestions are refreshed in the same transaction.

Relation suggestions (``RelationIn``, ends by index into the batch's spans) are replaced
the same way: a relation a reviewer accepted, rejected or drew stays, and so do its ends
(a suggested entity a reviewed relation names is not replaced); a new suggestion equal to
a relation already there, in whatever state (a rejected one included), is not made again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from core.errors import InvalidEdit
from core.models import RelationIn, SpanIn
from core.store.audit import now
from core.store.db import Db
from core.store.relations import Relations
from core.store.tokens_blob import encode_tokens


class Annotations:
    """Suggestions from the pipeline (``Project`` forwards them)."""

    def __init__(self, db: Db, label_names: Callable[[], set[str]],
                 link: Callable[[str, str], str | None],
                 suggest_claims_in: Callable[[sqlite3.Connection, int, str], list[int]],
                 relations: Relations) -> None:
        self.db = db
        self.relations = relations
        self.label_names = label_names
        self.link = link
        self.suggest_claims_in = suggest_claims_in

    def articles_to_annotate(self, force: bool = False) -> list[int]:
        """Articles the pipeline should (re)process.

        Without ``force``: pending or skipped articles never annotated. With it:
        all pending or skipped ones. Approved and rejected articles are
        decisions and are never re-annotated.
        """
        cond = "" if force else " AND model IS NULL"
        return [r[0] for r in self.db.conn.execute(
            f"SELECT id FROM articles WHERE status IN ('pending', 'skipped'){cond} ORDER BY id")]

    def store_annotations(
        self,
        batch: Sequence[tuple[int, Sequence[SpanIn], Sequence[tuple[int, int]] | None]],
        model: str,
        uncertainty: dict[int, float] | None = None,
        relations: dict[int, Sequence[RelationIn]] | None = None,
    ) -> int:
        """Replace model/rules suggestions of a batch of articles in one transaction.

        ``uncertainty`` (article id -> 0…1) is stored with the article for "most uncertain
        first"; an article not in it keeps no measure (NULL).

        A reviewer's decisions are kept: spans a reviewer accepted, added or
        rejected stay, new suggestions that overlap a live one are dropped, and a
        suggestion the reviewer already rejected (same place, same label) is not
        made again. ``relations`` (article id -> its suggested relations, ends by index
        into its ``spans``) are stored as the module says. Returns the number of entity
        suggestions stored.
        """
        stamp = now()
        stored = 0
        with self.db.edit() as conn:
            # Read under the write lock: another process may have renamed a label since the
            # pipeline was built from the scheme (which drops every other label).
            labels = self.label_names()
            gone = sorted({sp.label for _id, spans, _t in batch for sp in spans} - labels)
            if gone:
                raise InvalidEdit(
                    f"The label scheme changed while pre-annotating: {', '.join(gone)} is no "
                    "longer a label of the project. The articles stored before are kept; "
                    "run annotate again to use the new scheme.")
            for article_id, spans, tokens in batch:
                row = conn.execute(
                    "SELECT text, status FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row is None or row["status"] in ("approved", "rejected"):
                    continue
                text = row["text"]
                self.relations.drop_suggested(conn, article_id)
                # A suggested entity that a remaining (reviewed) relation names stays.
                conn.execute(
                    "DELETE FROM spans WHERE article_id = ?1 AND state = 'suggested' "
                    "AND origin IN ('model', 'rules') AND id NOT IN (SELECT head_id FROM "
                    "relations WHERE article_id = ?1 UNION SELECT tail_id FROM relations "
                    "WHERE article_id = ?1)",
                    (article_id,),
                )
                kept = conn.execute(
                    'SELECT start, "end", label, state FROM spans WHERE article_id = ?',
                    (article_id,),
                ).fetchall()
                live = [(r[0], r[1]) for r in kept if r[3] != "rejected"]
                rejected = {(r[0], r[1], r[2]) for r in kept if r[3] == "rejected"}
                rows = []
                for sp in spans:
                    if sp.label not in labels or not 0 <= sp.start < sp.end <= len(text):
                        continue
                    if (sp.start, sp.end, sp.label) in rejected:
                        continue
                    if any(sp.start < e and sp.end > s for s, e in live):
                        continue
                    live.append((sp.start, sp.end))
                    span_text = text[sp.start:sp.end]
                    kb_id = sp.kb_id or self.link(sp.label, span_text)
                    rows.append((article_id, sp.start, sp.end, sp.label, span_text,
                                 sp.origin, "suggested", kb_id, model, stamp, model,
                                 sp.start, sp.end, sp.label))
                conn.executemany(
                    'INSERT INTO spans(article_id, start, "end", label, text, origin, state, '
                    "kb_id, updated_by, updated_at, model, suggested_start, suggested_end, "
                    "suggested_label) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
                stored += len(rows)
                if relations and relations.get(article_id):
                    self._store_relations(conn, article_id, spans, relations[article_id],
                                          model)
                self.db.recount(conn, article_id)
                self.suggest_claims_in(conn, article_id, model)
                conn.execute("UPDATE articles SET model = ?, uncertainty = ? WHERE id = ?",
                             (model, (uncertainty or {}).get(article_id), article_id))
                if tokens is not None:
                    conn.execute(
                        "INSERT OR REPLACE INTO article_tokens(article_id, offsets) "
                        "VALUES (?, ?)",
                        (article_id, encode_tokens(tokens)),
                    )
            self.db.event(conn, model, None, "annotate",
                        {"articles": [b[0] for b in batch], "suggestions": stored})
        return stored

    def _store_relations(self, conn: sqlite3.Connection, article_id: int,
                         spans: Sequence[SpanIn], wanted: Sequence[RelationIn],
                         model: str) -> None:
        """Suggested relations between the article's live spans at the incoming spans'
        places; one equal to a stored relation (any state, either way round for a
        symmetric type) or breaking a relation rule is not made."""
        ids = {(r[1], r[2], r[3]): r[0] for r in conn.execute(
            'SELECT id, start, "end", label FROM spans WHERE article_id = ? '
            "AND state != 'rejected'", (article_id,))}
        there = {(r[0], r[1], r[2]) for r in conn.execute(
            "SELECT head_id, tail_id, type FROM relations WHERE article_id = ?",
            (article_id,))}
        for rel in wanted:
            if not (0 <= rel.head < len(spans) and 0 <= rel.tail < len(spans)):
                continue
            head, tail = spans[rel.head], spans[rel.tail]
            head_id = ids.get((head.start, head.end, head.label))
            tail_id = ids.get((tail.start, tail.end, tail.label))
            if head_id is None or tail_id is None:
                continue
            try:
                symmetric = self.relations.relation_type(rel.type).symmetric
                if (head_id, tail_id, rel.type) in there or (
                        symmetric and (tail_id, head_id, rel.type) in there):
                    continue
                self.relations.insert(conn, article_id, head_id, tail_id, rel.type, model,
                                      origin=rel.origin, state="suggested",
                                      model=rel.model or model)
            except InvalidEdit:
                continue  # the scheme changed under the run: a type gone, labels unfit
            there.add((head_id, tail_id, rel.type))
