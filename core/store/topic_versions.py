"""Reviewers' versions name topics (``versions.topics``, schema v12: a JSON list of
``TopicIn`` as ``dataclasses.asdict`` writes them); a rename of a topic rewrites them in
the rename's transaction, and a topic they name is not deleted, as with labels
(``core.store.versions``)."""

from __future__ import annotations

import json
import sqlite3


def _named(text: str | None, name: str) -> list[dict]:
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return []
    return [t for t in items if isinstance(t, dict) and t.get("topic") == name] \
        if isinstance(items, list) else []


def version_topic_uses(conn: sqlite3.Connection, name: str) -> int:
    """Topics of reviewers' versions named ``name``."""
    needle = json.dumps(name, ensure_ascii=False)
    return sum(len(_named(row[0], name)) for row in conn.execute(
        "SELECT topics FROM versions WHERE instr(topics, ?)", (needle,)))


def retopic_versions(conn: sqlite3.Connection, old: str, new: str) -> int:
    """Every version's topic ``old`` becomes ``new`` in the caller's transaction; returns
    how many versions changed."""
    needle = json.dumps(old, ensure_ascii=False)
    changed = 0
    for version_id, text in conn.execute(
            "SELECT id, topics FROM versions WHERE instr(topics, ?)", (needle,)).fetchall():
        items = json.loads(text)
        hit = False
        for item in items:
            if isinstance(item, dict) and item.get("topic") == old:
                item["topic"], hit = new, True
        if hit:
            conn.execute("UPDATE versions SET topics = ? WHERE id = ?",
                         (json.dumps(items, ensure_ascii=False, sort_keys=True), version_id))
            changed += 1
    return changed
