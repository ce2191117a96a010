"""Reads of the article list: filters, pages, counts, search, the next article to review.

Nothing here writes. ``list_articles`` pages by walking the sort column's index
(schema v5 indexes every sort column and stores each article's live-entity count), so a
page costs the same at the start and at the end of a 100,000-article list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from core.models import ARTICLE_STATUSES, PREVIEW_CHARS, ArticleRow, Label, Reviewed
from core.store import reading
from core.store.rows import row_to as _row_to


@dataclass(frozen=True)
class ArticleFilter:
    """What the article list shows; every field is optional and they combine with AND."""

    status: str | None = None
    label: str | None = None
    reviewer: str | None = None
    search: str | None = None
    # Only articles with a claim to decide: a suggestion, or an accepted one unchecked.
    open_claims: bool = False
    # Only articles with this topic live (accepted or suggested; schema v12).
    topic: str | None = None


# The articles of one topic, live (accepted or suggested): a range of the index on
# article_topics(topic, article_id, state), in id order.
LIVE_TOPIC = "topic = ? AND state IN ('accepted', 'suggested')"


def topic_only(flt: ArticleFilter | None) -> str | None:
    """The topic, when the filter is that topic and nothing else: the list then reads the
    topic's index alone (a page of 170,000 articles of a million in milliseconds, against
    half a second checking each article), its count the kept sums (``topic_counts``)."""
    if flt is not None and flt.topic and flt == ArticleFilter(topic=flt.topic):
        return flt.topic
    return None


# A claim someone still has to decide (Claims.open_claims counts the same two kinds).
OPEN_CLAIM = "(state = 'suggested' OR (state = 'accepted' AND verdict = 'unchecked'))"

SORTABLE_COLUMNS = {
    "id": "a.id",
    "title": "a.title COLLATE NOCASE",
    "source": "a.source COLLATE NOCASE",
    "status": "a.status",
    "entities": "a.entities",
    "reviewer": "a.reviewed_by COLLATE NOCASE",
    "uncertainty": "a.uncertainty",
    "topics": "a.topics",  # the live topics' names (core.store.topics.refresh_article_topics)
}


class ArticleQueries:
    """Read-only queries over the articles (``Project`` forwards them)."""

    def __init__(self, conn: sqlite3.Connection, labels: Callable[[], list[Label]]) -> None:
        self.conn = conn
        self.labels = labels

    def _where(self, flt: ArticleFilter | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt is None:
            return "", params
        if flt.status:
            clauses.append("a.status = ?")
            params.append(flt.status)
        if flt.label:
            clauses.append(
                "a.id IN (SELECT article_id FROM spans WHERE label = ? AND state != 'rejected')"
            )
            params.append(flt.label)
        if flt.topic:
            # Through the index on article_topics(topic, article_id, state).
            clauses.append(f"a.id IN (SELECT article_id FROM article_topics WHERE {LIVE_TOPIC})")
            params.append(flt.topic)
        if flt.reviewer:
            clauses.append("a.reviewed_by = ?")
            params.append(flt.reviewer)
        if flt.open_claims:
            clauses.append(f"a.id IN (SELECT article_id FROM claims WHERE {OPEN_CLAIM})")
        if flt.search and flt.search.strip():
            clauses.append(
                "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            )
            params.append(fts_query(flt.search))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count_articles(self, flt: ArticleFilter | None = None, **kwargs: Any) -> int:
        """Number of articles matching a filter (or keyword shortcuts: status=, label=, …)."""
        flt = flt or ArticleFilter(**kwargs)
        if flt.search and flt.search.strip() and flt == ArticleFilter(search=flt.search):
            # The full-text index counts its own matches (every article is in it): 15 ms for
            # a word in half of a million articles, against 170 ms checking each article.
            return self.conn.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                (fts_query(flt.search),)).fetchone()[0]
        topic = topic_only(flt)
        if topic is not None:
            return self.conn.execute(
                "SELECT coalesce(sum(n), 0) FROM topic_counts WHERE topic = ? AND state IN "
                "('accepted', 'suggested')", (topic,)).fetchone()[0]
        where, params = self._where(flt)
        return self.conn.execute(f"SELECT count(*) FROM articles a{where}", params).fetchone()[0]

    def list_articles(
        self,
        flt: ArticleFilter | None = None,
        *,
        order_by: str = "id",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> list[ArticleRow]:
        """One page of the article list, cheap enough to call as the view scrolls."""
        where, params = self._where(flt)
        order = SORTABLE_COLUMNS.get(order_by)
        if order is None:
            raise ValueError(f"Cannot sort by {order_by!r}")
        direction = "DESC" if descending else "ASC"
        topic = topic_only(flt)
        if topic is not None and order_by == "id":  # every row of a topic is an article's
            return self.article_rows([r[0] for r in self.conn.execute(
                f"SELECT article_id FROM article_topics WHERE {LIVE_TOPIC} ORDER BY "
                f"article_id {direction} LIMIT ? OFFSET ?", (topic, limit, offset))])
        # Two steps: find the page's ids by walking the sort column's index alone (OFFSET
        # skips index entries, not whole rows), then read just those rows.
        ids = [r[0] for r in self.conn.execute(
            f"SELECT a.id FROM articles a{where} ORDER BY {order} {direction}, "
            f"a.id {direction} LIMIT ? OFFSET ?", [*params, limit, offset])]
        return self.article_rows(ids)

    def article_rows(self, ids: Sequence[int], chunk: int = 500) -> list[ArticleRow]:
        """The list rows of ``ids``, in that order (ids not found are left out)."""
        rows: dict[int, Any] = {}
        for i in range(0, len(ids), chunk):
            part = list(ids[i:i + chunk])
            rows.update((r["id"], r) for r in self.conn.execute(
                "SELECT a.id, a.title, a.source, a.status, a.reviewed_by, a.entities, a.topics, "
                f"CASE WHEN trim(a.title) = '' THEN substr(a.text, 1, {PREVIEW_CHARS}) "
                "ELSE '' END AS preview "
                f"FROM articles a WHERE a.id IN ({','.join('?' * len(part))})", part))
        return [_row_to(ArticleRow, rows[i]) for i in ids if i in rows]

    def article_ids(self, flt: ArticleFilter | None = None, order_by: str = "id") -> list[int]:
        where, params = self._where(flt)
        order = SORTABLE_COLUMNS[order_by]
        return [r[0] for r in self.conn.execute(
            f"SELECT a.id FROM articles a{where} ORDER BY {order}, a.id", params)]

    def article_position(self, article_id: int, flt: ArticleFilter | None = None, *,
                         order_by: str = "id", descending: bool = False) -> int | None:
        """The row ``article_id`` has in ``list_articles``' list for this filter and order
        (None: not in it), so that the list can keep the open article in view after a
        search or a sort. One read of the matching ids in the list's order."""
        topic = topic_only(flt)
        if topic is not None and order_by == "id":  # counted in the topic's index
            if self.conn.execute(f"SELECT 1 FROM article_topics WHERE article_id = ? AND "
                                 f"{LIVE_TOPIC}", (article_id, topic)).fetchone() is None:
                return None
            before = ">" if descending else "<"
            return self.conn.execute(
                f"SELECT count(*) FROM article_topics WHERE {LIVE_TOPIC} AND "
                f"article_id {before} ?", (topic, article_id)).fetchone()[0]
        where, params = self._where(flt)
        order, direction = SORTABLE_COLUMNS[order_by], "DESC" if descending else "ASC"
        row = self.conn.execute(
            f"SELECT pos FROM (SELECT a.id, row_number() OVER (ORDER BY {order} {direction}, "
            f"a.id {direction}) - 1 AS pos FROM articles a{where}) WHERE id = ?",
            [*params, article_id]).fetchone()
        return None if row is None else row[0]

    def search_hits(self, article_id: int, search: str) -> list[tuple[int, int]]:
        """``(start, end)`` of each word of a list search in the article's text, found as
        the search finds them (the full-text index's own words and stems: "mine" marks
        "mining"); any one word counts, so an article with some of them shows those."""
        query = fts_query(search, any_word=True)
        found = self.conn.execute("SELECT text FROM articles WHERE id = ?",
                                  (article_id,)).fetchone()
        if query == '""' or found is None:
            return []
        text = found[0]
        mark, unmark = "\ue000", "\ue001"  # private-use: never in the text (checked)
        if mark in text or unmark in text:
            return []
        row = self.conn.execute(
            "SELECT highlight(articles_fts, 1, ?, ?) FROM articles_fts "
            "WHERE rowid = ? AND articles_fts MATCH ?",
            (mark, unmark, article_id, query)).fetchone()
        hits: list[tuple[int, int]] = []
        at, start = 0, 0
        for char in (row[0] if row else ""):
            if char == mark:
                start = at
            elif char == unmark:
                hits.append((start, at))
            else:
                at += 1
        return hits

    def reviewed(self, ids: Sequence[int], *, labels: Iterable[str] | None = None,
                 claim_states: tuple[str, ...] | None = ("accepted",),
                 tokens: bool = False, suggestions: bool = False,
                 versions: bool = False, every_state: bool = False,
                 relations: bool = False, topics: bool = False) -> Iterator[Reviewed]:
        """Articles in the order of ``ids`` with their accepted spans (of ``labels``),
        claims and stored tokens (and relations, topics when asked), read in bulk
        (``core.store.reading``) for exports."""
        return reading.reviewed(self.conn, list(ids), labels=set(labels) if labels else None,
                                claim_states=claim_states, tokens=tokens,
                                suggestions=suggestions, versions=versions,
                                every_state=every_state, relations=relations,
                                topics=topics)

    def suggestions_as_made(self, ids: Sequence[int]) -> dict[int, reading.AsMade]:
        """Each article's suggestions as the pre-annotator made them, spans and relations
        (what a blind copy carries; ``core.store.reading.suggestions_as_made``)."""
        return reading.suggestions_as_made(self.conn, list(ids),
                                           {lb.name for lb in self.labels()})

    def article_texts(self, ids: Sequence[int]) -> Iterator[tuple[int, str]]:
        """``(id, text)`` in the order of ``ids``, in chunks (for pre-annotation)."""
        return reading.article_texts(self.conn, list(ids))

    def ids_by_sha256(self, digests: Iterable[str], chunk: int = 500) -> dict[str, int]:
        """Which of these texts (by SHA-256 of the normalised text) the project holds, and
        under which id; one indexed query per ``chunk`` digests."""
        wanted = list(dict.fromkeys(digests))
        found: dict[str, int] = {}
        for i in range(0, len(wanted), chunk):
            part = wanted[i:i + chunk]
            found.update((sha, article_id) for sha, article_id in self.conn.execute(
                f"SELECT sha256, id FROM articles WHERE sha256 IN ({','.join('?' * len(part))})",
                part))
        return found

    def urls_present(self, urls: Iterable[str], chunk: int = 500) -> set[str]:
        """Which of these addresses some article of the project was imported from (the web
        import does not fetch them again); one query per ``chunk`` addresses."""
        wanted = [u for u in dict.fromkeys(urls) if u]
        found: set[str] = set()
        for i in range(0, len(wanted), chunk):
            part = wanted[i:i + chunk]
            found.update(url for (url,) in self.conn.execute(
                f"SELECT DISTINCT url FROM articles WHERE url IN ({','.join('?' * len(part))})",
                part))
        return found

    def search(self, query: str, limit: int = 100) -> list[int]:
        """Ids of articles whose title or text match ``query`` (words, any order), best first."""
        if not query.strip():
            return []
        rows = self.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts_query(query), limit),
        )
        return [r[0] for r in rows]

    def most_uncertain_pending(self, besides: int | None = None) -> int | None:
        """The pending article pre-annotation was least sure about: the first pending row of
        the list ordered by uncertainty (ties by id, as the list breaks them; articles
        never measured after every measured one)."""
        row = self.conn.execute(
            "SELECT id FROM articles WHERE status = 'pending' AND id != ? "
            "ORDER BY uncertainty DESC, id DESC LIMIT 1",  # the list's order (NULLs last)
            (besides if besides is not None else -1,)).fetchone()
        return row[0] if row else None

    def measured_pending(self) -> int:
        """Pending articles that have an uncertainty (measured by a trained model's run)."""
        return self.conn.execute("SELECT count(*) FROM articles WHERE status = 'pending' "
                                 "AND uncertainty IS NOT NULL").fetchone()[0]

    def next_article_id(self, after_id: int, status: str | None = "pending") -> int | None:
        """The next article (by id, wrapping around) with ``status``; None if there is none."""
        cond = "status = ?" if status else "1"
        params: list[Any] = [status] if status else []
        row = self.conn.execute(
            f"SELECT id FROM articles WHERE {cond} AND id > ? ORDER BY id LIMIT 1",
            [*params, after_id],
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                f"SELECT id FROM articles WHERE {cond} AND id != ? ORDER BY id LIMIT 1",
                [*params, after_id],
            ).fetchone()
        return row[0] if row else None

    def counts_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(ARTICLE_STATUSES, 0)
        for status, n in self.conn.execute(
            "SELECT status, count(*) FROM articles GROUP BY status"
        ):
            counts[status] = n
        return counts

    def counts_by_label(self, include_suggested: bool = True) -> dict[str, int]:
        """Live entities per label, in scheme order (labels with none included as 0).

        Read from ``label_counts``, which every span write keeps (``core.store.db``): one
        small table, however many articles."""
        states = ("suggested", "accepted") if include_suggested else ("accepted",)
        counts = {lb.name: 0 for lb in self.labels()}
        marks = ",".join("?" * len(states))
        for label, n in self.conn.execute(
            f"SELECT label, sum(n) FROM label_counts WHERE state IN ({marks}) AND n > 0 "
            "GROUP BY label", states,
        ):
            counts[label] = n
        return counts

    def reviewers(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT reviewed_by FROM articles WHERE reviewed_by IS NOT NULL "
            "ORDER BY reviewed_by")]


def fts_query(text: str, any_word: bool = False) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must occur (with
    ``any_word``: one of them), any order.

    Each word is quoted so FTS5 syntax (quotes, ``-``, ``:``, ``*``) in the
    box never raises; a trailing ``*`` is kept as a prefix search.
    """
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return (" OR " if any_word else " ").join(terms) or '""'

