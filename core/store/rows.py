"""Rows as records: one SQLite row into one of ``core.models``' records, by column name
(``row_to``), or, for spans read by the ten thousand, by position (``make_span``)."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from functools import partial
from typing import Any

from core.models import Span


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT on ``cur`` just made (sqlite3 types ``lastrowid`` as
    optional: it is None only before any INSERT)."""
    row_id = cur.lastrowid
    if row_id is None:
        raise sqlite3.InterfaceError("No row was inserted.")
    return row_id


def row_to(cls: type, row: sqlite3.Row | dict) -> Any:
    """``cls`` (a dataclass or named tuple) from the row's columns that it has fields for."""
    names = set(getattr(cls, "_fields", ())) or {f.name for f in fields(cls)}
    return cls(**{k: row[k] for k in row.keys() if k in names})  # noqa: SIM118 (Row iterates values)


# A plain tuple row holding Span's fields in order becomes a Span in C: tuple.__new__ skips
# namedtuple's Python __new__ (Span(*row)), and sqlite3.Row plus a dict per span (row_to).
make_span = partial(tuple.__new__, Span)
SPAN_FIELDS = ", ".join(f'"{name}"' for name in Span._fields)  # the columns, in its order
