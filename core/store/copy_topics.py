"""A reviewer's copy's topics, read and checked as the untrusted input a copy is
(``core.store.copies`` reads the rest in the same read transaction).

Every row of ``article_topics`` is read, whatever its state, and each value meets the rule
the store's own topic calls obey (``core.store.article_topics``): a topic the merging
project has, a known state and origin, a score from 0 to 1 (or none), a model's name that
is short text, who and when as text. Whose decision a row is stays with the row (its
``stamp``: who and when), so merge can refuse a copy whose topic decisions claim a
reviewer other than the one it was handed out to, as it refuses such an approval.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from collections.abc import Sequence

from core.errors import InvalidEdit
from core.models import TOPIC_ORIGINS, TOPIC_STATES, TopicIn
from core.text.normalise import one_line

MAX_MODEL_NAME = 200
MAX_STAMP = 200


def read_copy_topics(cur: sqlite3.Cursor, part: Sequence[int], topics: set[str] | None
                     ) -> dict[int, list[tuple]]:
    """The rows of ``article_topics`` of the articles ``part`` (raw, checked later by
    ``check_topics``), by article id. A copy from before topics (no table) has none;
    ``topics`` None means the merging project does not ask for them."""
    out: dict[int, list[tuple]] = defaultdict(list)
    if topics is None or cur.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'article_topics'"
    ).fetchone() is None:
        return out
    marks = ",".join("?" * len(part))
    for row in cur.execute("SELECT article_id, topic, state, origin, model, score, "
                           f"updated_by, updated_at FROM article_topics WHERE article_id IN "
                           f"({marks}) ORDER BY article_id, topic", part):
        out[row[0]].append(row)
    return out


def check_topics(rows: Sequence[tuple], topics: set[str]) -> tuple[TopicIn, ...]:
    """One article's topic rows as ``TopicIn`` (by topic name), each value checked;
    InvalidEdit at the first that a reviewer's edit could not have made."""
    out: list[TopicIn] = []
    seen: set[str] = set()
    for _article, topic, state, origin, model, score, who, when in rows:
        if not isinstance(topic, str) or topic not in topics:
            raise InvalidEdit(f"it has the topic {one_line(str(topic), 40)!r}, which this "
                              "project does not have.")
        if topic in seen:
            raise InvalidEdit(f"it holds the topic {one_line(topic, 40)} twice.")
        seen.add(topic)
        if not (isinstance(state, str) and state in TOPIC_STATES
                and isinstance(origin, str) and origin in TOPIC_ORIGINS):
            raise InvalidEdit(f"its topic {one_line(topic, 40)} has an unknown state or "
                              f"origin: {one_line(str(state), 20)!r}/"
                              f"{one_line(str(origin), 20)!r}.")
        if model is not None and not (isinstance(model, str) and len(model) <= MAX_MODEL_NAME):
            raise InvalidEdit(f"its topic {one_line(topic, 40)} names a model that is not a "
                              "short text.")
        if score is not None and (isinstance(score, bool) or type(score) not in (int, float)
                                  or not math.isfinite(score) or not 0.0 <= score <= 1.0):
            raise InvalidEdit(f"its topic {one_line(topic, 40)} has a score that is not a "
                              "number from 0 to 1.")
        if not all(isinstance(v, str) and 0 < len(v) <= MAX_STAMP for v in (who, when)):
            raise InvalidEdit(f"who decided its topic {one_line(topic, 40)}, or when, is "
                              "not text.")
        out.append(TopicIn(topic, state, origin, model,
                           None if score is None else float(score), (who, when)))
    return tuple(out)


def topic_deciders(topics: Sequence[TopicIn]) -> set[str]:
    """Who decided an article's topics in a copy: the names on its accepted and rejected
    rows (a suggestion is a model's, decided by nobody)."""
    return {t.stamp[0] for t in topics if t.state != "suggested" and t.stamp is not None}
