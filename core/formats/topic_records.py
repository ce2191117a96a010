"""Topics in import files: the ``topics`` an Assay JSONL export carries (on its scheme
line and on each article's), read back, and the scheme's topics taken into a project.

Each article's topic is checked here for its shape (a name, a known state and origin, a
score from 0 to 1 or none); the store checks the rest as it checks any import (the topic
is the project's, named once per article).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

from core.errors import AssayError
from core.formats.bad_content import BadContent
from core.models import TOPIC_ORIGINS, TOPIC_STATES, Topic, TopicIn
from core.store.topics import read_topics


class TopicStore(Protocol):
    """The part of ``core.store.Project`` that taking a file's topics needs."""

    def topics(self) -> list[Topic]: ...

    def topic_counts(self) -> dict[tuple[str, str], int]: ...

    def use_topics(self, topics: Sequence[Topic], reviewer: str) -> None: ...

    def add_topic(self, name: str, reviewer: str, *, color: str = ..., hotkey: str = ...,
                  description: str = ...) -> Any: ...


def scheme_topics(scheme: Any) -> tuple[Topic, ...]:
    """The topics of an Assay JSONL scheme line (files from before topics have none)."""
    try:
        return tuple(read_topics(scheme, "its topics"))
    except AssayError as exc:
        raise BadContent(str(exc)) from exc


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def exported_topics(value: Any) -> tuple[TopicIn, ...]:
    """An Assay JSONL line's ``topics``: each ``{topic, state, origin, model, score,
    updated_by, updated_at}``, who and when kept as written."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BadContent("has topics that are not a list")
    out = []
    for i, item in enumerate(value):
        name = item.get("topic") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(name, str) or not name.strip():
            raise BadContent(f"topics[{i}] has no topic name")
        state, origin, score = item.get("state"), item.get("origin"), item.get("score")
        if state not in TOPIC_STATES or origin not in TOPIC_ORIGINS:
            raise BadContent(f"topics[{i}] has no state ({', '.join(TOPIC_STATES)}) or no "
                             f"origin ({', '.join(TOPIC_ORIGINS)})")
        if score is not None and (isinstance(score, bool) or not isinstance(
                score, int | float) or not (math.isfinite(score) and 0 <= score <= 1)):
            raise BadContent(f"topics[{i}] has a score that is not a number from 0 to 1")
        who, when = _text(item, "updated_by"), _text(item, "updated_at")
        out.append(TopicIn(name, state, origin, _text(item, "model"),
                           None if score is None else float(score),
                           (who, when) if who is not None and when is not None else None))
    return tuple(out)


def adopt_topics(project: TopicStore, topics: Sequence[Topic], reviewer: str) -> bool:
    """Take the topics an Assay JSONL export carries: into a project where no article has
    a topic yet they become its topics exactly (order, colours, keys, descriptions; so a
    project rebuilt from an export exports the same file), else the topics it lacks are
    added at the end (with their key when it is free). Returns whether anything changed;
    InvalidEdit when a topic is not one the scheme can hold."""
    have = project.topics()
    shape = [(t.name, t.color, t.hotkey, t.description) for t in have]
    if not topics or shape == [(t.name, t.color, t.hotkey, t.description) for t in topics]:
        return False
    if not project.topic_counts():
        project.use_topics(topics, reviewer)
        return True
    names = {t.name for t in have}
    keys = {t.hotkey for t in have if t.hotkey}
    added = False
    for t in topics:
        if t.name in names:
            continue
        project.add_topic(t.name, reviewer, color=t.color, description=t.description,
                          hotkey="" if t.hotkey in keys else t.hotkey)
        keys.add(t.hotkey)
        added = True
    return added
