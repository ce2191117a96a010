"""The project's relation types: which labels each joins, whether it is symmetric, its
colour, key and description; editable like labels (Review → Labels…, ``assay-cli labels``).

The rules are stated here, once, for the dialog and the CLI alike:

- a type's name follows the label-name rule (``core.store.labels.checked_label_name``) and
  is unique; its key is one letter or digit used by one type (type keys are pressed only
  while a relation is being drawn, so they may repeat a label's key);
- its head and tail labels are labels of the scheme, at least one each;
- a type is deleted only when no relation uses it (as a label is);
- changing a type's allowed labels is refused while a relation of it would no longer fit
  (the sentence names the relation); renaming a label renames it in every type
  (``core.store.relation_type_labels``, in the rename's transaction).

New projects take the bundled scheme's types (``relations`` in
``resources/schemes/<name>.json``); older projects get them when migrated (schema v11).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from core.errors import AssayError, InvalidEdit
from core.models import RelationType
from core.store.audit import require_reviewer
from core.store.db import Db
from core.store.labels import checked_label_name
from core.text.normalise import one_line

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
TYPE_COLUMNS = "name, head_labels, tail_labels, symmetric, color, hotkey, description, position"


def type_from_row(row: sqlite3.Row | tuple) -> RelationType:
    """A stored ``relation_types`` row (``TYPE_COLUMNS`` in order) as a record."""
    name, head, tail, symmetric, color, hotkey, description, position = tuple(row)
    return RelationType(name=name, head_labels=tuple(json.loads(head)),
                        tail_labels=tuple(json.loads(tail)), symmetric=bool(symmetric),
                        color=color, hotkey=hotkey, description=description,
                        position=position)


def read_relation_types(data: Any, source: str) -> list[RelationType]:
    """The ``relations`` of a scheme's JSON (the bundled format), checked: each a name, a
    list of head and of tail labels, and optional symmetric, color, hotkey, description.
    A scheme without relations has none. ``source`` names the file in messages."""
    items = data.get("relations", []) if isinstance(data, dict) else []
    if not isinstance(items, list):
        raise AssayError(f"{source}: relations must be a list.")
    types: list[RelationType] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise AssayError(f"{source}: relation type {i} has no name.")
        name = checked_label_name(item["name"])
        ends = []
        for end in ("head", "tail"):
            labels = item.get(end)
            if not isinstance(labels, list) or not labels or not all(
                    isinstance(x, str) for x in labels):
                raise AssayError(f"{source}: relation type {one_line(name)} needs a list of "
                                 f"{end} labels.")
            ends.append(tuple(labels))
        color = item.get("color", "#5a6f8f")
        hotkey = str(item.get("hotkey", ""))
        description = item.get("description", "")
        if not (isinstance(color, str) and _COLOR.fullmatch(color)) or not isinstance(
                description, str) or not _usable_key(hotkey):
            raise AssayError(f"{source}: relation type {one_line(name)} has a colour, key "
                             "or description that is not usable.")
        if any(t.name == name for t in types):
            raise AssayError(f"{source} names the relation type {one_line(name)} twice.")
        types.append(RelationType(name=name, head_labels=ends[0], tail_labels=ends[1],
                                  symmetric=bool(item.get("symmetric", False)),
                                  color=color.lower(), hotkey=hotkey.lower(),
                                  description=description, position=len(types)))
    return types


def bundled_relation_types(path: Path) -> list[RelationType]:
    """The relation types a bundled or shared scheme file declares."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise AssayError(f"Cannot read the relation types of {path.name}: {exc}.") from exc
    return read_relation_types(data, path.name)


def insert_types(conn: sqlite3.Connection, types: Iterable[RelationType]) -> None:
    """Store types as given (a new project's, a migration's), in the caller's transaction."""
    conn.executemany(
        f"INSERT OR IGNORE INTO relation_types({TYPE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
        [(t.name, json.dumps(list(t.head_labels)), json.dumps(list(t.tail_labels)),
          int(t.symmetric), t.color, t.hotkey, t.description, t.position) for t in types])


def _usable_key(hotkey: str) -> bool:
    return not hotkey or (len(hotkey) == 1 and hotkey.isalnum() and hotkey.isascii())


class RelationTypes:
    """Relation types of one project (``Project`` forwards them)."""

    def __init__(self, db: Db, label_names: Callable[[], set[str]]) -> None:
        self.db = db
        self.label_names = label_names

    def relation_types(self) -> list[RelationType]:
        return [type_from_row(r) for r in self.db.conn.execute(
            f"SELECT {TYPE_COLUMNS} FROM relation_types ORDER BY position, name")]

    def relation_type(self, name: str) -> RelationType:
        row = self.db.conn.execute(f"SELECT {TYPE_COLUMNS} FROM relation_types WHERE name = ?",
                                   (name,)).fetchone()
        if row is None:
            raise InvalidEdit(f"Unknown relation type {one_line(name)!r}; add it to the "
                              "project's scheme first.")
        return type_from_row(row)

    def _checked(self, kind: RelationType, exclude: str | None) -> RelationType:
        """The rules a stored type meets (see the module's docstring)."""
        name = checked_label_name(kind.name)
        labels = self.label_names()
        for end, given in (("head", kind.head_labels), ("tail", kind.tail_labels)):
            if not given:
                raise InvalidEdit(f"{name} needs at least one {end} label.")
            unknown = [x for x in given if x not in labels]
            if unknown:
                raise InvalidEdit(f"{name}: {', '.join(map(one_line, unknown))} is not a "
                                  "label of the scheme.")
        if not _COLOR.fullmatch(kind.color):
            raise InvalidEdit(f"{kind.color!r} is not a colour like #1f6fb2.")
        hotkey = kind.hotkey.lower()
        if not _usable_key(hotkey):
            raise InvalidEdit("A relation type's key is one letter or digit.")
        for other in self.relation_types():
            if other.name == exclude:
                continue
            if other.name == name:
                raise InvalidEdit(f"There is already a relation type {name}.")
            if hotkey and other.hotkey == hotkey:
                raise InvalidEdit(f"The key {hotkey.upper()} is {other.name}'s already.")
        return RelationType(name=name, head_labels=tuple(dict.fromkeys(kind.head_labels)),
                            tail_labels=tuple(dict.fromkeys(kind.tail_labels)),
                            symmetric=kind.symmetric, color=kind.color.lower(),
                            hotkey=hotkey, description=kind.description,
                            position=kind.position)

    def add_relation_type(self, kind: RelationType, reviewer: str) -> RelationType:
        """Add a type at the end of the list; refused (nothing changes) if a rule fails."""
        require_reviewer(reviewer)
        kind = self._checked(kind, exclude=None)
        with self.db.edit() as conn:
            position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM "
                                    "relation_types").fetchone()[0]
            kind = RelationType(**{**kind.__dict__, "position": position})
            insert_types(conn, [kind])
            self.db.event(conn, reviewer, None, "relation_type.add", {"name": kind.name})
        return kind

    def update_relation_type(self, name: str, kind: RelationType, reviewer: str
                             ) -> RelationType:
        """Change a type (its name too); returns it as it was, for undo. Refused while a
        live relation of the type would no longer fit its labels."""
        require_reviewer(reviewer)
        before = self.relation_type(name)
        kind = self._checked(RelationType(**{**kind.__dict__, "position": before.position}),
                             exclude=name)
        with self.db.edit() as conn:
            misfit = conn.execute(
                "SELECT h.text, h.label, t.text, t.label FROM relations r "
                "JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id "
                "WHERE r.type = ? AND r.state != 'rejected'", (name,)).fetchall()
            for head, head_label, tail, tail_label in misfit:
                if not kind.allows(head_label, tail_label):
                    raise InvalidEdit(
                        f"The relation {one_line(head, 40)} {name} {one_line(tail, 40)} "
                        f"({head_label} → {tail_label}) would no longer fit "
                        f"{kind.shape()}; change or delete it first.")
            # relations.type refers to relation_types.name: checked at COMMIT, once both
            # are renamed
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.execute(
                "UPDATE relation_types SET name = ?, head_labels = ?, tail_labels = ?, "
                "symmetric = ?, color = ?, hotkey = ?, description = ? WHERE name = ?",
                (kind.name, json.dumps(list(kind.head_labels)),
                 json.dumps(list(kind.tail_labels)), int(kind.symmetric), kind.color,
                 kind.hotkey, kind.description, name))
            if kind.name != name:
                conn.execute("UPDATE relations SET type = ? WHERE type = ?", (kind.name, name))
                conn.execute("UPDATE relations SET suggested_type = ? WHERE suggested_type = ?",
                             (kind.name, name))
                conn.execute("UPDATE relation_counts SET type = ? WHERE type = ?",
                             (kind.name, name))
            # The map keeps edges by type and keeps a symmetric type's ends in order: the
            # articles with relations of the type are counted again (core.store.chain_edges).
            for (article_id,) in conn.execute(
                    "SELECT DISTINCT article_id FROM relations WHERE type = ?", (kind.name,)):
                self.db.touch(article_id)
            self.db.event(conn, reviewer, None, "relation_type.update",
                          {"name": name, "after": kind.name})
        return before

    def adopt_relation_types(self, types: Iterable[RelationType], reviewer: str) -> bool:
        """Take the relation types an Assay JSONL export carries, checked as any type is:
        into a project without relations they become its types exactly (order, colours,
        keys, descriptions; so a project rebuilt from an export exports the same file),
        else the types the project lacks are added at the end (with their key when it is
        free) and the others stay as they are. Returns whether it changed anything."""
        require_reviewer(reviewer)
        labels = self.label_names()
        checked: list[RelationType] = []
        for kind in types:
            name = checked_label_name(kind.name)
            unknown = [x for x in (*kind.head_labels, *kind.tail_labels) if x not in labels]
            hotkey = kind.hotkey.lower()
            if (not kind.head_labels or not kind.tail_labels or unknown
                    or not _COLOR.fullmatch(kind.color) or not _usable_key(hotkey)
                    or any(t.name == name or (hotkey and t.hotkey == hotkey)
                           for t in checked)):
                raise InvalidEdit(f"The relation type {one_line(name)} is not one the scheme "
                                  "can hold (its labels, colour or key).")
            checked.append(RelationType(
                name=name, head_labels=tuple(dict.fromkeys(kind.head_labels)),
                tail_labels=tuple(dict.fromkeys(kind.tail_labels)), symmetric=kind.symmetric,
                color=kind.color.lower(), hotkey=hotkey, description=kind.description,
                position=len(checked)))
        have = self.relation_types()
        empty = self.db.conn.execute("SELECT 1 FROM relations LIMIT 1").fetchone() is None
        if empty:
            if have == checked:
                return False
            added = checked
        else:
            taken = {t.name for t in have}
            used = {t.hotkey for t in have if t.hotkey}
            added = [RelationType(**{**t.__dict__, "position": len(have) + i,
                                     "hotkey": "" if t.hotkey in used else t.hotkey})
                     for i, t in enumerate(x for x in checked if x.name not in taken)]
            if not added:
                return False
        with self.db.edit() as conn:
            if empty:
                conn.execute("DELETE FROM relation_types")
                conn.execute("DELETE FROM relation_counts")
            insert_types(conn, added)
            self.db.event(conn, reviewer, None, "relation_type.import", {
                "from": "an Assay JSONL export", "replaced": empty,
                "types": [t.name for t in added]})
        return True

    def use_relation_types(self, types: Iterable[RelationType], reviewer: str) -> None:
        """Make the relation types exactly ``types`` (a project handed out as a copy takes
        its origin's); only while no relation exists, so none loses its type."""
        require_reviewer(reviewer)
        if self.db.conn.execute("SELECT 1 FROM relations LIMIT 1").fetchone() is not None:
            raise InvalidEdit("The relation types can be replaced only before any relation "
                              "exists.")
        kinds = list(types)
        with self.db.edit() as conn:
            conn.execute("DELETE FROM relation_types")
            conn.execute("DELETE FROM relation_counts")
            insert_types(conn, kinds)
            self.db.event(conn, reviewer, None, "relation_type.scheme",
                          {"types": [t.name for t in kinds]})

    def delete_relation_type(self, name: str, reviewer: str) -> RelationType:
        """Delete a type no relation uses (in any state); returns it, for undo."""
        require_reviewer(reviewer)
        before = self.relation_type(name)
        with self.db.edit() as conn:
            used = conn.execute("SELECT count(*) FROM relations WHERE type = ?",
                                (name,)).fetchone()[0]
            if used:
                raise InvalidEdit(f"{name} is used by {used} relation"
                                  f"{'' if used == 1 else 's'}; it cannot be deleted.")
            conn.execute("DELETE FROM relation_types WHERE name = ?", (name,))
            conn.execute("DELETE FROM relation_counts WHERE type = ?", (name,))
            self.db.event(conn, reviewer, None, "relation_type.delete", {"name": name})
        return before
