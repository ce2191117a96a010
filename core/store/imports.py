"""Adding articles: a batch of new articles, their spans, claims and (from an Assay JSONL
export) their decisions, in ONE transaction, so an import never leaves half an article.

A part of the store like the others (``core.store.project`` composes it): it is given the
write rule (``Db``), the labels, the linker rule for spans that come without an id, and
the claims part that inserts claims.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from core.errors import InvalidEdit
from core.models import (
    ARTICLE_STATUSES,
    SPAN_ORIGINS,
    SPAN_STATES,
    ArticleIn,
    ClaimIn,
    SpanIn,
    TopicIn,
)
from core.store.article_topics import ArticleTopics
from core.store.audit import now
from core.store.claims import Claims
from core.store.db import Db
from core.store.relations import Relations
from core.store.rows import inserted_id
from core.store.spans import check_bounds, overlap_problem
from core.text.kb_ids import KB_ID_RULE, is_usable_kb_id
from core.text.normalise import normalise_text, one_line, sha256_text
from core.text.pages import encode_pages, page_problem


@dataclass(frozen=True)
class AddResult:
    """What one ``add_articles`` call did."""

    added: int
    duplicates: int


class ArticleImports:
    """New articles into the ``articles`` table (and their spans, claims, decisions)."""

    def __init__(self, db: Db, label_names: Callable[[], set[str]],
                 link: Callable[[str, str], str | None], claims: Claims,
                 relations: Relations, topics: ArticleTopics) -> None:
        self._db = db
        self._relations = relations
        self._topics = topics
        self.label_names = label_names
        self.link = link
        self._claims = claims

    def add_articles(self, articles: Sequence[ArticleIn], reviewer: str = "import") -> AddResult:
        """Store a batch of articles in ONE transaction, skipping texts already present.

        A span in the batch that does not fit its text raises InvalidEdit and the
        whole batch is rolled back, so an import never leaves half an article.

        An article from an Assay JSONL export keeps its id where this project has it free,
        and its decision and its spans' and claims' reviewers and times as they were; each
        such decision is written to the audit log as ``article.imported`` by ``reviewer``
        (with the reviewer it names), never as a decision made in this project.
        """
        added = duplicates = 0
        labels = self.label_names()
        with self._db.edit() as conn:
            for art in articles:
                text = normalise_text(art.text)
                if not text.strip():
                    raise InvalidEdit("An article has no text.")
                digest = sha256_text(text)
                # Whatever the importer: a title and a source are one line without control
                # or bidi characters (a "\u202e" in a page's heading would reverse the
                # list's row and a terminal's line).
                title, source = one_line(art.title or ""), one_line(art.source or "")
                wanted = art.id if art.id is not None and conn.execute(
                    "SELECT 1 FROM articles WHERE id = ?", (art.id,)).fetchone() is None else None
                if art.pages and (why := page_problem(art.pages, len(text))):
                    raise InvalidEdit(why)
                cur = conn.execute(
                    "INSERT OR IGNORE INTO articles(id, title, source, url, published, text, "
                    "sha256, status, note, model, pages) "
                    "VALUES (?,?,?,?,?,?,?, 'pending', '', ?, ?)",
                    (wanted, title, source, art.url or "",
                     art.published or "", text, digest, art.model, encode_pages(art.pages)),
                )
                if cur.rowcount == 0:
                    duplicates += 1
                    continue
                added += 1
                article_id = inserted_id(cur)
                conn.execute("INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
                             (article_id, title, text))
                if art.spans:
                    ids = self._insert_spans(conn, article_id, text, art.spans, labels,
                                             reviewer, with_ids=bool(art.relations))
                    for rel in art.relations:
                        if not (0 <= rel.head < len(ids) and 0 <= rel.tail < len(ids)):
                            raise InvalidEdit(f"A {rel.type} relation names an entity the "
                                              "article does not have.")
                        who, when = rel.stamp or (None, None)
                        self._relations.insert(
                            conn, article_id, ids[rel.head], ids[rel.tail], rel.type,
                            reviewer, origin=rel.origin, state=rel.state, model=rel.model,
                            dead_ends_ok=True, updated_by=who, stamp=when,
                            relation_id=_free(conn, "relations", rel.id))
                elif art.relations:
                    raise InvalidEdit("An article has relations but no entities.")
                if art.claims:
                    self._claims._insert_claims(conn, article_id, text, art.claims, reviewer)
                    self._db.touch(article_id)
                if art.topics:
                    self._topics.insert_imported(conn, article_id, art.topics, reviewer)
                if art.decision is not None:
                    self._imported_decision(conn, article_id, art, reviewer)
            if added:
                self._db.event(conn, reviewer, None, "import",
                            {"added": added, "duplicates": duplicates})
        return AddResult(added, duplicates)

    def _imported_decision(self, conn: sqlite3.Connection, article_id: int, art: ArticleIn,
                           reviewer: str) -> None:
        """An Assay JSONL export's decision on a new article, kept as made, logged as
        imported (the event's reviewer is who imported it)."""
        d = art.decision
        assert d is not None
        if d.status not in ARTICLE_STATUSES:
            raise InvalidEdit(f"Unknown article status {d.status!r}.")
        decided = d.status != "pending"
        conn.execute("UPDATE articles SET status = ?, reviewed_by = ?, reviewed_at = ?, "
                     "review_seconds = ?, note = ? WHERE id = ?",
                     (d.status, d.reviewed_by if decided else None,
                      d.reviewed_at if decided else None,
                      d.review_seconds if decided else None, d.note, article_id))
        stamped: list[SpanIn | ClaimIn | TopicIn] = [*art.spans, *art.claims, *art.topics]
        self._db.event(conn, reviewer, article_id, "article.imported", {
            "status": d.status, "reviewed_by": d.reviewed_by, "reviewed_at": d.reviewed_at,
            "note": d.note, "decided_by": sorted(
                {s.stamp[0] for s in stamped if s.stamp is not None})})

    def _insert_spans(
        self, conn: sqlite3.Connection, article_id: int, text: str, spans: Iterable[SpanIn],
        labels: set[str], reviewer: str, with_ids: bool = False,
    ) -> list[int]:
        """Validate and insert spans for a new article; they must not overlap each other.
        ``with_ids``: returns each span's new id in the order given (their relations name
        them by position), else only as many zeros (one INSERT for all is faster)."""
        stamp = now()
        given = list(spans)
        order = sorted(range(len(given)), key=lambda i: (given[i].start, given[i].end))
        ordered = [given[i] for i in order]
        rows = []
        for sp in ordered:
            check_bounds(text, sp.start, sp.end, sp.label, labels)
            if sp.origin not in SPAN_ORIGINS or sp.state not in SPAN_STATES:
                raise InvalidEdit(f"Unknown origin or state: {sp.origin}/{sp.state}.")
        overlap = overlap_problem(ordered, text)
        if overlap:
            raise InvalidEdit(overlap)
        for sp in ordered:
            kb_id = sp.kb_id
            if kb_id is not None and not is_usable_kb_id(kb_id):
                raise InvalidEdit(f"Span [{sp.start}, {sp.end}) {sp.label} has the id {kb_id!r}, "
                                  f"which is not a usable id: {KB_ID_RULE}.")
            if kb_id is None and sp.origin != "reviewer" and not sp.kb_as_given:
                kb_id = self.link(sp.label, text[sp.start:sp.end])  # doccano, Prodigy: no ids
            # A span a model made is, as far as the file tells, what it suggested.
            made = sp.origin in ("model", "rules")
            who, when = sp.stamp or (reviewer, stamp)
            rows.append((article_id, sp.start, sp.end, sp.label, text[sp.start:sp.end],
                         sp.origin, sp.state, kb_id, who, when,
                         sp.model if made else None, *((sp.start, sp.end, sp.label)
                                                       if made else (None, None, None))))
        insert = ('INSERT INTO spans(article_id, start, "end", label, text, origin, state, '
                  "kb_id, updated_by, updated_at, model, suggested_start, suggested_end, "
                  "suggested_label, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        # The ids a file gives (an Assay JSONL export) where they are free, written first so
        # that no new id takes one of them.
        wanted: list[int | None] = [None] * len(rows)
        given_ids = {sp.id for sp in ordered if sp.id is not None}
        if given_ids:
            taken = _taken(conn, given_ids)
            for k, sp in enumerate(ordered):
                if sp.id is not None and sp.id not in taken:
                    wanted[k] = sp.id
                    taken.add(sp.id)
        ids = [0] * len(rows)
        if with_ids or given_ids:
            steps = sorted(range(len(rows)), key=lambda k: wanted[k] is None)
            for k in steps:
                ids[order[k]] = inserted_id(conn.execute(insert, (*rows[k], wanted[k])))
        else:
            conn.executemany(insert, [(*row, None) for row in rows])
        self._db.recount(conn, article_id)
        return ids


def _taken(conn: sqlite3.Connection, ids: set[int]) -> set[int]:
    """Which of ``ids`` the spans table already uses."""
    listed = sorted(ids)
    taken: set[int] = set()
    for i in range(0, len(listed), 500):
        part = listed[i:i + 500]
        taken.update(r[0] for r in conn.execute(
            f"SELECT id FROM spans WHERE id IN ({','.join('?' * len(part))})", part))
    return taken


def _free(conn: sqlite3.Connection, table: str, wanted: int | None) -> int | None:
    """``wanted`` if ``table`` (spans, relations) has no row with that id, else None."""
    if wanted is None or conn.execute(f"SELECT 1 FROM {table} WHERE id = ?",
                                      (wanted,)).fetchone() is not None:
        return None
    return wanted
