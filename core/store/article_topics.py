"""Articles' topics: which of the project's topics each article is about, one row per
(article, topic) with its state, origin, the suggesting model and score, who and when.

The rules, stated once for the window, the CLI, imports and training alike:

- a topic is *live* (the article's, shown, exported, filtered by) while it is suggested
  or accepted; a rejected row is a reviewer's "not about this", kept so that no model
  suggests it again;
- a reviewer turns a topic on (accepted) or off (rejected) with ``set_article_topic``;
  the call returns the row as it was, and ``restore_article_topic`` puts it back exactly
  (the undo), who and when included;
- a model only suggests (``suggest_topics``): its new suggestions replace its old live
  ones, and a row a reviewer decided (accepted or rejected) is never touched;
- approving the article accepts its live suggestions and the undo makes them suggestions
  again (``accept_suggested`` / ``resuggest``, called by ``core.store.decisions``).

Every write is one transaction with its audit event (``topic.*``) and keeps
``topic_counts`` (rows per topic and state) and ``articles.topics`` (the live names, for
the list) equal to the rows.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence

from core.errors import InvalidEdit
from core.models import TOPIC_ORIGINS, TOPIC_STATES, ArticleTopic, TopicIn
from core.store.audit import now, require_reviewer
from core.store.db import Db
from core.store.topics import refresh_article_topics
from core.text.normalise import one_line

ROW_COLUMNS = ", ".join(f'"{n}"' for n in ArticleTopic._fields)
LIVE_STATES = ("accepted", "suggested")
# A model's score at or above this makes a suggestion (textcat_multilabel's own default).
SUGGEST_THRESHOLD = 0.5


# Rows in the scheme's order of topics.
_IN_SCHEME_ORDER = "(SELECT position FROM topics t WHERE t.name = article_topics.topic), topic"


def _check_score(score: object) -> None:
    """A model's score is a number from 0 to 1 (not NaN, not a string)."""
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not (
            math.isfinite(score) and 0.0 <= score <= 1.0):
        raise InvalidEdit(f"A topic's score is a number from 0 to 1, not {score!r}.")


class ArticleTopics:
    """The ``article_topics`` table of one project (``Project`` forwards it)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    # ---- reads

    def article_topics(self, article_id: int, include_rejected: bool = True
                       ) -> list[ArticleTopic]:
        """The article's topics in the scheme's order; ``include_rejected=False`` keeps the
        live ones."""
        cond = "" if include_rejected else " AND state != 'rejected'"
        return [ArticleTopic(*r) for r in self.db.conn.execute(
            f"SELECT {ROW_COLUMNS} FROM article_topics WHERE article_id = ?{cond} "
            f"ORDER BY {_IN_SCHEME_ORDER}", (article_id,))]

    def article_topic(self, article_id: int, topic: str) -> ArticleTopic | None:
        row = self.db.conn.execute(
            f"SELECT {ROW_COLUMNS} FROM article_topics WHERE article_id = ? AND topic = ?",
            (article_id, topic)).fetchone()
        return None if row is None else ArticleTopic(*row)

    def articles_with_topic(self, topic: str, states: Sequence[str] = LIVE_STATES
                            ) -> list[int]:
        """Ids of the articles with ``topic`` in one of ``states`` (live by default), by id;
        read through the index on (topic, article_id, state)."""
        marks = ",".join("?" * len(states))
        return [r[0] for r in self.db.conn.execute(
            f"SELECT article_id FROM article_topics WHERE topic = ? AND state IN ({marks}) "
            "ORDER BY article_id", (topic, *states))]

    def counts_by_topic(self, include_suggested: bool = True) -> dict[str, int]:
        """Articles per topic (live: accepted, and suggested unless not asked), in the
        scheme's order with the topics none has as 0; read from ``topic_counts``, one
        small table however many articles (the article list's filter shows them)."""
        states = ("accepted", "suggested") if include_suggested else ("accepted",)
        counts = {r[0]: 0 for r in self.db.conn.execute(
            "SELECT name FROM topics ORDER BY position, name")}
        for topic, n in self.db.conn.execute(
                f"SELECT topic, sum(n) FROM topic_counts WHERE state IN "
                f"({','.join('?' * len(states))}) GROUP BY topic", states):
            if topic in counts:
                counts[topic] = n
        return counts

    def topic_counts(self) -> dict[tuple[str, str], int]:
        """Articles per (topic, state) over the project, as stored (``topic_counts``)."""
        return {(topic, state): n for topic, state, n in self.db.conn.execute(
            "SELECT topic, state, n FROM topic_counts WHERE n != 0 ORDER BY topic, state")}

    # ---- the rule

    def _check(self, conn: sqlite3.Connection, article_id: int, topic: str) -> None:
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
            raise InvalidEdit(f"No article with id {article_id}.")
        if conn.execute("SELECT 1 FROM topics WHERE name = ?", (topic,)).fetchone() is None:
            raise InvalidEdit(f"No topic {one_line(topic, 40)!r} in this project; add it to "
                              "the scheme first.")

    def _count(self, conn: sqlite3.Connection, topic: str, state: str, delta: int) -> None:
        conn.execute("INSERT INTO topic_counts(topic, state, n) VALUES (?, ?, ?) "
                     "ON CONFLICT(topic, state) DO UPDATE SET n = n + excluded.n",
                     (topic, state, delta))

    def _put(self, conn: sqlite3.Connection, row: ArticleTopic,
             before: ArticleTopic | None) -> None:
        """Write ``row`` over ``before`` (None: there was none), keeping the counts."""
        if row.state not in TOPIC_STATES or row.origin not in TOPIC_ORIGINS:
            raise InvalidEdit(f"Unknown topic state or origin: {row.state}/{row.origin}.")
        if row.score is not None:
            _check_score(row.score)
        conn.execute(f"INSERT OR REPLACE INTO article_topics({ROW_COLUMNS}) "
                     "VALUES (?,?,?,?,?,?,?,?)", tuple(row))
        if before is not None:
            self._count(conn, before.topic, before.state, -1)
        self._count(conn, row.topic, row.state, 1)

    def _drop(self, conn: sqlite3.Connection, row: ArticleTopic) -> None:
        conn.execute("DELETE FROM article_topics WHERE article_id = ? AND topic = ?",
                     (row.article_id, row.topic))
        self._count(conn, row.topic, row.state, -1)

    # ---- a reviewer's decisions

    def set_article_topic(self, article_id: int, topic: str, on: bool, reviewer: str
                          ) -> ArticleTopic | None:
        """Turn ``topic`` on (accepted) or off (rejected) for the article, as ``reviewer``
        decides now; a suggestion keeps its model and score. Returns the row as it was
        (None: the article had no row for it), for ``restore_article_topic``. Setting what
        is already so changes nothing and writes no event."""
        require_reviewer(reviewer)
        state = "accepted" if on else "rejected"
        with self.db.edit() as conn:
            self._check(conn, article_id, topic)
            before = self.article_topic(article_id, topic)
            if before is not None and before.state == state:
                return before
            row = (before._replace(state=state, updated_by=reviewer, updated_at=now())
                   if before is not None else
                   ArticleTopic(article_id, topic, state, "reviewer", None, None, reviewer,
                                now()))
            self._put(conn, row, before)
            refresh_article_topics(conn, article_id)
            self.db.event(conn, reviewer, article_id, "topic.set", {
                "topic": topic, "state": state,
                "before": None if before is None else before._asdict()})
        return before

    def restore_article_topic(self, article_id: int, topic: str,
                              before: ArticleTopic | None, reviewer: str) -> None:
        """Put the article's ``topic`` back as ``before`` was (None: no row), who and when
        included: the undo of ``set_article_topic``."""
        require_reviewer(reviewer)
        if before is not None and (before.article_id, before.topic) != (article_id, topic):
            raise InvalidEdit("That topic belongs to another article.")
        with self.db.edit() as conn:
            self._check(conn, article_id, topic)
            current = self.article_topic(article_id, topic)
            if current == before:
                return
            if before is None:
                assert current is not None
                self._drop(conn, current)
            else:
                self._put(conn, before, current)
            refresh_article_topics(conn, article_id)
            self.db.event(conn, reviewer, article_id, "topic.restore", {
                "topic": topic, "row": None if before is None else before._asdict()})

    # ---- a model's suggestions

    def suggest_topics(self, article_id: int, scores: Mapping[str, float], model: str,
                       threshold: float = SUGGEST_THRESHOLD) -> list[str]:
        """A model's topics for one article (``{topic: score}``, scores 0–1): those at or
        above ``threshold`` become suggestions, replacing the article's live ones from
        before; a topic a reviewer decided is never touched. Returns the topics now
        suggested."""
        return self.suggest_topics_batch([(article_id, scores)], model, threshold)[article_id]

    def suggest_topics_batch(self, batch: Iterable[tuple[int, Mapping[str, float]]],
                             model: str, threshold: float = SUGGEST_THRESHOLD
                             ) -> dict[int, list[str]]:
        """``suggest_topics`` for many articles in ONE transaction (a prediction run's
        batch), with one audit event per article."""
        if not model:
            raise InvalidEdit("A suggestion names the model that made it.")
        out: dict[int, list[str]] = {}
        stamp = now()
        with self.db.edit() as conn:
            for article_id, scores in batch:
                out[article_id] = self._suggest(conn, article_id, scores, model, threshold,
                                                stamp)
        return out

    def _suggest(self, conn: sqlite3.Connection, article_id: int,
                 scores: Mapping[str, float], model: str, threshold: float,
                 stamp: str) -> list[str]:
        for topic, score in scores.items():
            self._check(conn, article_id, topic)
            _check_score(score)
        rows = {r.topic: r for r in (ArticleTopic(*x) for x in conn.execute(
            f"SELECT {ROW_COLUMNS} FROM article_topics WHERE article_id = ?", (article_id,)))}
        wanted = {t: float(s) for t, s in scores.items() if float(s) >= threshold}
        dropped = [r for r in rows.values() if r.state == "suggested" and r.topic not in wanted]
        for row in dropped:
            self._drop(conn, row)
        made: list[str] = []
        for topic, score in wanted.items():
            before = rows.get(topic)
            if before is not None and before.state != "suggested":
                continue  # a reviewer decided it
            self._put(conn, ArticleTopic(article_id, topic, "suggested", "model", model,
                                         score, model, stamp), before)
            made.append(topic)
        if made or dropped:
            refresh_article_topics(conn, article_id)
            self.db.event(conn, model, article_id, "topic.suggest", {
                "model": model, "suggested": {t: wanted[t] for t in made},
                "dropped": [r.topic for r in dropped]})
        return made

    # ---- in the caller's transaction: imports, approval and its undo

    def insert_imported(self, conn: sqlite3.Connection, article_id: int,
                        topics: Sequence[TopicIn], reviewer: str) -> None:
        """A new article's topics from an import file (``ArticleIn.topics``), checked; who
        and when as the file gives them (an Assay JSONL export), else the importer, now."""
        stamp = now()
        seen: set[str] = set()
        for t in topics:
            self._check(conn, article_id, t.topic)
            if t.topic in seen:
                raise InvalidEdit(f"An article names the topic {one_line(t.topic, 40)} twice.")
            seen.add(t.topic)
            who, when = t.stamp or (reviewer, stamp)
            self._put(conn, ArticleTopic(article_id, t.topic, t.state, t.origin, t.model,
                                         t.score, who, when), None)
        if topics:
            refresh_article_topics(conn, article_id)
            self.db.event(conn, reviewer, article_id, "topic.import",
                          {"topics": {t.topic: t.state for t in topics}})

    def accept_suggested(self, conn: sqlite3.Connection, article_id: int, reviewer: str,
                         stamp: str) -> list[str]:
        """Accept the article's live suggested topics (what approving does); returns them
        for the undo (``resuggest``)."""
        names = [r[0] for r in conn.execute(
            "SELECT topic FROM article_topics WHERE article_id = ? AND state = 'suggested' "
            "ORDER BY topic", (article_id,))]
        for topic in names:
            conn.execute("UPDATE article_topics SET state = 'accepted', updated_by = ?, "
                         "updated_at = ? WHERE article_id = ? AND topic = ?",
                         (reviewer, stamp, article_id, topic))
            self._count(conn, topic, "suggested", -1)
            self._count(conn, topic, "accepted", 1)
        return names

    def resuggest(self, conn: sqlite3.Connection, article_id: int, topics: Sequence[str],
                  reviewer: str, stamp: str) -> None:
        """Turn accepted topics back into suggestions (the undo of an approval); a topic a
        reviewer changed since is left as it is."""
        for topic in topics:
            row = self.article_topic(article_id, topic)
            if row is None or row.state != "accepted" or row.origin != "model":
                continue
            conn.execute("UPDATE article_topics SET state = 'suggested', updated_by = ?, "
                         "updated_at = ? WHERE article_id = ? AND topic = ?",
                         (reviewer, stamp, article_id, topic))
            self._count(conn, topic, "accepted", -1)
            self._count(conn, topic, "suggested", 1)
