"""Rows as records: one SQLite row into one of ``core.models``' records by column name."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from typing import Any


def row_to(cls: type, row: sqlite3.Row | dict) -> Any:
    """``cls`` (a dataclass or named tuple) from the row's columns that it has fields for."""
    names = set(getattr(cls, "_fields", ())) or {f.name for f in fields(cls)}
    return cls(**{k: row[k] for k in row.keys() if k in names})  # noqa: SIM118 (Row iterates values)
