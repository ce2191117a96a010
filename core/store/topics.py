"""The project's topics (document labels): add, rename, recolour, set a key, describe,
reorder and delete them, for the scheme dialog and ``assay-cli topics`` alike.

The rules are stated here, once:

- a name follows the label-name rule (``core.store.labels.checked_label_name``) and is
  unique; a key is one digit used by one topic, or none: the review window presses it
  after T, in the article's Topics menu (``gui.review.topic_review``), so it may repeat
  a label's key;
- renaming rewrites every article's topic and the reviewers' versions in ONE transaction
  with an audit event; who decided each and when stay as they were (a rename is not a
  decision about an article);
- a topic is deleted only when no article and no reviewer's version has it, in any state
  (rejected ones count: they are decisions), as a label is.

New projects take the bundled scheme's topics (``topics`` in
``resources/schemes/<name>.json``); older projects get them when migrated (schema v12).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.errors import AssayError, InvalidEdit
from core.models import Topic
from core.store.audit import require_reviewer
from core.store.db import Db
from core.store.labels import checked_label_name
from core.store.topic_versions import retopic_versions, version_topic_uses
from core.text.normalise import one_line

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
TOPIC_COLUMNS = "name, color, hotkey, description, position"
DEFAULT_TOPIC_COLOR = "#5a6f8f"


TOPIC_KEYS = "1234567890"


def _usable_key(hotkey: str) -> bool:
    return not hotkey or (len(hotkey) == 1 and hotkey in TOPIC_KEYS)


def read_topics(data: Any, source: str) -> list[Topic]:
    """The ``topics`` of a scheme's JSON (the bundled format), checked: each a name and
    optional color, hotkey, description. A scheme without topics has none. ``source``
    names the file in messages."""
    items = data.get("topics", []) if isinstance(data, dict) else []
    if not isinstance(items, list):
        raise AssayError(f"{source}: topics must be a list.")
    topics: list[Topic] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise AssayError(f"{source}: topic {i} has no name.")
        name = checked_label_name(item["name"])
        color = item.get("color", DEFAULT_TOPIC_COLOR)
        hotkey = str(item.get("hotkey", "")).lower()
        description = item.get("description", "")
        if not (isinstance(color, str) and _COLOR.fullmatch(color)) or not isinstance(
                description, str) or not _usable_key(hotkey):
            raise AssayError(f"{source}: topic {one_line(name)} has a colour, key or "
                             "description that is not usable.")
        if any(t.name == name for t in topics):
            raise AssayError(f"{source} names the topic {one_line(name)} twice.")
        if hotkey and any(t.hotkey == hotkey for t in topics):
            raise AssayError(f"{source} gives the key {hotkey.upper()} to two topics.")
        topics.append(Topic(name=name, color=color.lower(), hotkey=hotkey,
                            description=description, position=len(topics)))
    return topics


def bundled_topics(path: Path) -> list[Topic]:
    """The topics a bundled or shared scheme file declares."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise AssayError(f"Cannot read the topics of {path.name}: {exc}.") from exc
    return read_topics(data, path.name)


def insert_topics(conn: sqlite3.Connection, topics: Iterable[Topic]) -> None:
    """Store topics as given (a new project's, a migration's), in the caller's transaction."""
    conn.executemany(
        f"INSERT OR IGNORE INTO topics({TOPIC_COLUMNS}) VALUES (?,?,?,?,?)",
        [(t.name, t.color, t.hotkey, t.description, t.position) for t in topics])


class Topics:
    """The ``topics`` table of one project (``Project`` forwards it)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def topics(self) -> list[Topic]:
        """The scheme's topics in their order."""
        return [Topic(*r) for r in self.db.conn.execute(
            f"SELECT {TOPIC_COLUMNS} FROM topics ORDER BY position, name")]

    def topic(self, name: str) -> Topic:
        row = self.db.conn.execute(f"SELECT {TOPIC_COLUMNS} FROM topics WHERE name = ?",
                                   (name,)).fetchone()
        if row is None:
            raise InvalidEdit(f"No topic {one_line(name, 40)!r} in this project; add it to "
                              "the scheme first.")
        return Topic(*row)

    def topic_uses(self, name: str) -> int:
        """Articles with this topic, in any state (rejected ones are decisions too)."""
        row = self.db.conn.execute("SELECT coalesce(sum(n), 0) FROM topic_counts "
                                   "WHERE topic = ?", (name,)).fetchone()
        return int(row[0])

    # ---- checks

    def _checked_key(self, hotkey: str, owner: str | None) -> str:
        hotkey = hotkey.strip().lower()
        if not _usable_key(hotkey):
            raise InvalidEdit("A topic's key is one digit, 0–9 (or none): T, then the digit, "
                              "sets the topic in the review window.")
        other = next((t.name for t in self.topics()
                      if hotkey and t.hotkey == hotkey and t.name != owner), None)
        if other is not None:
            raise InvalidEdit(f"The key {hotkey.upper()} is already {other}'s.")
        return hotkey

    def _checked_name(self, name: str) -> str:
        name = checked_label_name(name)
        if self.db.conn.execute("SELECT 1 FROM topics WHERE name = ?", (name,)).fetchone():
            raise InvalidEdit(f"There is already a topic {name}.")
        return name

    @staticmethod
    def _checked_color(color: str) -> str:
        if not _COLOR.fullmatch(color.strip()):
            raise InvalidEdit(f"A colour is written #rrggbb, not {color!r}.")
        return color.strip().lower()

    # ---- changes

    def add_topic(self, name: str, reviewer: str, *, color: str = DEFAULT_TOPIC_COLOR,
                  hotkey: str = "", description: str = "", position: int | None = None
                  ) -> Topic:
        """Add a topic at the end (or at ``position``: undoing a delete puts it back);
        refused (nothing changes) if a rule fails."""
        require_reviewer(reviewer)
        name = self._checked_name(name)
        color = self._checked_color(color)
        hotkey = self._checked_key(hotkey, None)
        with self.db.edit() as conn:
            if position is None:
                position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM topics"
                                        ).fetchone()[0]
            else:
                conn.execute("UPDATE topics SET position = position + 1 WHERE position >= ?",
                             (position,))
            insert_topics(conn, [Topic(name, color, hotkey, description, position)])
            self.db.event(conn, reviewer, None, "topics.add", {
                "name": name, "color": color, "hotkey": hotkey, "description": description})
        return self.topic(name)

    def update_topic(self, name: str, reviewer: str, *, color: str | None = None,
                     hotkey: str | None = None, description: str | None = None) -> Topic:
        """Change a topic's colour, key or description; returns it as it was (for undo)."""
        require_reviewer(reviewer)
        before = self.topic(name)
        new = {"color": self._checked_color(color) if color is not None else before.color,
               "hotkey": self._checked_key(hotkey, name) if hotkey is not None
               else before.hotkey,
               "description": description if description is not None else before.description}
        with self.db.edit() as conn:
            conn.execute("UPDATE topics SET color = ?, hotkey = ?, description = ? "
                         "WHERE name = ?", (new["color"], new["hotkey"], new["description"],
                                            name))
            self.db.event(conn, reviewer, None, "topics.update", {"name": name, "changes": {
                k: [getattr(before, k), v] for k, v in new.items() if getattr(before, k) != v}})
        return before

    def move_topic(self, name: str, position: int, reviewer: str) -> int:
        """Put a topic at ``position`` in the scheme's order; returns where it was."""
        require_reviewer(reviewer)
        order = [t.name for t in self.topics()]
        if name not in order:
            raise InvalidEdit(f"No topic {one_line(name, 40)!r} in this project.")
        was = order.index(name)
        order.insert(max(0, min(position, len(order) - 1)), order.pop(was))
        with self.db.edit() as conn:
            conn.executemany("UPDATE topics SET position = ? WHERE name = ?",
                             list(enumerate(order)))
            self.db.event(conn, reviewer, None, "topics.move",
                          {"name": name, "from": was, "to": order.index(name)})
        return was

    def rename_topic(self, old: str, new: str, reviewer: str) -> int:
        """Rename a topic, every article's topic of that name and the reviewers' versions,
        in one transaction; who decided each and when are kept. Returns the articles
        rewritten."""
        require_reviewer(reviewer)
        self.topic(old)
        new = self._checked_name(new)
        with self.db.edit() as conn:
            # article_topics.topic refers to topics.name: checked at COMMIT, once both are
            # renamed
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.execute("UPDATE topics SET name = ? WHERE name = ?", (new, old))
            ids = [r[0] for r in conn.execute(
                "SELECT article_id FROM article_topics WHERE topic = ?", (old,))]
            conn.execute("UPDATE article_topics SET topic = ? WHERE topic = ?", (new, old))
            conn.execute("UPDATE topic_counts SET topic = ? WHERE topic = ?", (new, old))
            for article_id in ids:
                refresh_article_topics(conn, article_id)
            in_versions = retopic_versions(conn, old, new)
            self.db.event(conn, reviewer, None, "topics.rename",
                          {"from": old, "to": new, "articles": len(ids),
                           "versions": in_versions})
        return len(ids)

    def delete_topic(self, name: str, reviewer: str) -> Topic:
        """Remove a topic no article and no version has; returns it (undo adds it back at
        its position)."""
        require_reviewer(reviewer)
        gone = self.topic(name)
        uses = self.topic_uses(name)
        if uses:
            raise InvalidEdit(f"{name} is a topic of {uses:,} article(s) (rejected ones count: "
                              "they are decisions); it cannot be deleted. Rename it instead.")
        in_versions = version_topic_uses(self.db.conn, name)
        if in_versions:
            raise InvalidEdit(f"{name} is a topic in {in_versions:,} reviewers' version(s); "
                              "it cannot be deleted. Rename it instead.")
        with self.db.edit() as conn:
            conn.execute("DELETE FROM topics WHERE name = ?", (name,))
            conn.execute("DELETE FROM topic_counts WHERE topic = ?", (name,))
            conn.execute("UPDATE topics SET position = position - 1 WHERE position > ?",
                         (gone.position,))
            self.db.event(conn, reviewer, None, "topics.delete", {"name": name})
        return gone

    def use_topics(self, topics: Iterable[Topic], reviewer: str) -> None:
        """Make the topics exactly ``topics`` (a copy handed out takes its origin's); only
        while no article has a topic, so none loses one."""
        require_reviewer(reviewer)
        if self.db.conn.execute("SELECT 1 FROM article_topics LIMIT 1").fetchone():
            raise InvalidEdit("The topics can be replaced only before any article has one.")
        kept = [Topic(t.name, t.color, t.hotkey, t.description, i)
                for i, t in enumerate(topics)]
        with self.db.edit() as conn:
            conn.execute("DELETE FROM topics")
            conn.execute("DELETE FROM topic_counts")
            insert_topics(conn, kept)
            self.db.event(conn, reviewer, None, "topics.scheme",
                          {"topics": [t.name for t in kept]})


def refresh_article_topics(conn: sqlite3.Connection, article_id: int) -> None:
    """``articles.topics``: the article's live topics by name, ``; ``-joined (what the
    article list shows and sorts by, through an index, without a join), written in the
    caller's transaction after any change to the article's topics."""
    conn.execute(
        "UPDATE articles SET topics = coalesce((SELECT group_concat(topic, '; ') FROM "
        "(SELECT topic FROM article_topics WHERE article_id = ? AND state != 'rejected' "
        "ORDER BY topic)), '') WHERE id = ?", (article_id, article_id))
