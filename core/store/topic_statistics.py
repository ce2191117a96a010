"""Articles per topic, in all and per month: the numbers behind the statistics window's
Topics tab, ``assay-cli stats`` and the report's topics section.

What is counted, once for all three: an article's *live* topics (accepted, or suggested
and not yet decided; a rejected one is a reviewer's "not about this") in every article
of the project, whatever its status, as the Entities tab counts live entities per label.
The totals come from ``topic_counts``, which every topic write keeps (a few rows however
many articles). The months are the articles' own dates (``published``, ``YYYY-MM``),
grouped by SQLite (no Python loop per article) the cheaper of two ways, chosen by the
sums: when few articles have topics, from the live rows of ``article_topics`` (its
(topic, state, article_id) index), each article's date looked up by its id; when many
do, from every article's date in ``idx_articles_published`` beside its topics in the
primary key of ``article_topics``, both read as indexes alone (no look-up into the
articles' rows, which hold the text), less the rejected rows counted the first way. An
article without a usable date is counted under *no date*.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.models import TOPIC_STATES

# Fewer topic rows than one in this many articles: look each one's date up by its id.
_FEW = 8
NO_DATE = ""  # the month of an article without a usable date
_MONTH = ("CASE WHEN a.published GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]*' "
          "THEN substr(a.published, 1, 7) ELSE '' END")


@dataclass
class TopicCounts:
    """Live topics per topic (in the scheme's order, then names no longer in it), per state
    and per month."""

    topics: list[str]
    by_state: dict[str, dict[str, int]]  # topic -> state -> articles (every state, 0 too)
    per_month: dict[str, dict[str, int]]  # topic -> "YYYY-MM" (or NO_DATE) -> live articles
    articles: int = 0  # articles with at least one live topic
    total: int = 0  # articles in the project

    def live(self, topic: str) -> int:
        by = self.by_state.get(topic, {})
        return by.get("accepted", 0) + by.get("suggested", 0)

    def months(self) -> list[str]:
        """The dated months any topic has, oldest first (no gaps filled)."""
        return sorted({m for by in self.per_month.values() for m in by if m != NO_DATE})

    def undated(self) -> int:
        return sum(by.get(NO_DATE, 0) for by in self.per_month.values())


def _months(conn: sqlite3.Connection, by_state: dict[str, dict[str, int]]
            ) -> list[tuple[str, str, int]]:
    """Live topic rows per (topic, month); see the module's docstring for the two ways."""
    def by_rows(states: str) -> list[tuple[str, str, int]]:
        return conn.execute(
            f"SELECT t.topic, {_MONTH} AS month, count(*) FROM article_topics t "
            "INDEXED BY idx_article_topics_topic JOIN articles a ON a.id = t.article_id "
            f"WHERE t.state IN ({states}) GROUP BY t.topic, month").fetchall()

    rows = sum(sum(by.values()) for by in by_state.values())
    articles = conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    if rows * _FEW < articles:
        return by_rows("'accepted', 'suggested'")
    counts = {(topic, month): n for topic, month, n in conn.execute(
        f"SELECT t.topic, {_MONTH} AS month, count(*) FROM articles a "
        "INDEXED BY idx_articles_published CROSS JOIN article_topics t "
        "ON t.article_id = a.id GROUP BY t.topic, month")}
    for topic, month, n in by_rows("'rejected'"):
        counts[topic, month] -= n
    return [(topic, month, n) for (topic, month), n in counts.items() if n > 0]


def topic_statistics(conn: sqlite3.Connection) -> TopicCounts:
    """The project's topics counted (see the module's docstring)."""
    names = [r[0] for r in conn.execute("SELECT name FROM topics ORDER BY position, name")]
    by_state: dict[str, dict[str, int]] = {}
    for topic, state, n in conn.execute(
            "SELECT topic, state, n FROM topic_counts WHERE n > 0"):
        by_state.setdefault(topic, dict.fromkeys(TOPIC_STATES, 0))[state] = n
    names += sorted(set(by_state) - set(names))
    per_month: dict[str, dict[str, int]] = {name: {} for name in names}
    for topic, month, n in _months(conn, by_state):
        per_month.setdefault(topic, {})[month] = n
    with_topics = conn.execute(
        "SELECT count(*) FROM articles WHERE topics > ''").fetchone()[0]
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return TopicCounts(names, {name: by_state.get(name, dict.fromkeys(TOPIC_STATES, 0))
                               for name in names}, per_month, with_topics, total)
