"""Relation types follow the label scheme: a renamed, merged or deleted label changes in
every relation type's head and tail labels, in the label edit's own transaction
(``core.store.labels`` calls these), so no relation stops fitting because its label was
renamed. Kept apart from ``core.store.relation_types`` because that module checks type
names by the label-name rule of ``core.store.labels``, which calls these."""

from __future__ import annotations

import json
import sqlite3


def follow_label_rename(conn: sqlite3.Connection, old: str, new: str) -> None:
    """A renamed label (or one merged into another) is renamed in every type's head and
    tail labels."""
    rows = conn.execute("SELECT name, head_labels, tail_labels FROM relation_types").fetchall()
    for name, head, tail in rows:
        ends = []
        for labels in (json.loads(head), json.loads(tail)):
            ends.append(json.dumps(list(dict.fromkeys(new if x == old else x for x in labels))))
        if ends != [head, tail]:
            conn.execute("UPDATE relation_types SET head_labels = ?, tail_labels = ? "
                         "WHERE name = ?", (*ends, name))


def forget_label(conn: sqlite3.Connection, name: str) -> None:
    """A deleted label leaves every type's lists (a type left with no head or tail label
    allows nothing until a reviewer gives it one)."""
    rows = conn.execute("SELECT name, head_labels, tail_labels FROM relation_types").fetchall()
    for kind, head, tail in rows:
        ends = [json.dumps([x for x in json.loads(labels) if x != name])
                for labels in (head, tail)]
        if ends != [head, tail]:
            conn.execute("UPDATE relation_types SET head_labels = ?, tail_labels = ? "
                         "WHERE name = ?", (*ends, kind))


def follow_label_unmerge(conn: sqlite3.Connection, label: str, target: str) -> None:
    """A merge undone: every type that allows ``target`` allows ``label`` again beside it
    (a merge replaced one with the other; the spans it moved get their label back)."""
    rows = conn.execute("SELECT name, head_labels, tail_labels FROM relation_types").fetchall()
    for kind, head, tail in rows:
        ends = []
        for labels in (json.loads(head), json.loads(tail)):
            if target in labels and label not in labels:
                labels.insert(labels.index(target), label)
            ends.append(json.dumps(labels))
        if ends != [head, tail]:
            conn.execute("UPDATE relation_types SET head_labels = ?, tail_labels = ? "
                         "WHERE name = ?", (*ends, kind))
