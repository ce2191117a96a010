"""The connection of one open project and its one way to write: a short transaction with
an audit event, whose SQLite errors become ``ProjectError`` sentences.

Every table class of the store (``spans``, ``claims``, ``kb``, ``queries``) is given this
object instead of the ``Project``, so each sees the connection and the write rule and
nothing else; ``core.store.project.Project`` composes them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from core.errors import ProjectError
from core.store import summaries
from core.store.audit import now
from core.store.connection import ProjectConnection
from core.store.faults import describe
from core.store.rules import FactsRule

_RESUMMARISE = ("claim.", "article.", "span.update", "relation.")


class Db:
    """One project file's connection, whether it may write, and the write transaction."""

    def __init__(self, path: Path, conn: sqlite3.Connection, facts: FactsRule,
                 read_only: bool = False) -> None:
        self.path = path
        self.conn = conn
        # The facts rule the project was handed: each write counts the statistics by it.
        self.facts = facts
        # Opened with SQLite's mode=ro (Project.open(read_only=True)): writes are refused.
        self.read_only = read_only
        # Articles whose statistics share a write changed: counted once, at its end.
        self._dirty: set[int] = set()

    def data_version(self) -> int:
        """SQLite's count of commits by *other* connections (``PRAGMA data_version``): what
        a part compares before trusting what it derived from the file earlier. Another
        process (``assay-cli labels rename`` beside an open window, a pre-annotation run)
        changes it; this connection's own commits do not, so a part forgets those itself.
        Reading it costs a look at the WAL index, no page of the file."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def describe(self, exc: sqlite3.Error) -> str:
        """What went wrong with the file, for the user (``core.store.faults.describe``)."""
        return describe(exc, self.path)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction; on any error it rolls back and nothing is changed."""
        conn = self.conn
        if self.read_only:
            raise ProjectError(f"{self.path} is open read-only: the change was not saved.")
        if isinstance(conn, ProjectConnection):
            # Before a commit can go astray: is the WAL still ours and the lock still held?
            conn.ensure_attached(locks=True)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ProjectError(self.describe(exc)) from exc
        self._dirty.clear()
        try:
            yield conn
            for article_id in sorted(self._dirty):
                summaries.update(conn, article_id, self.facts)
        except BaseException:
            # SQLite has already rolled back after some errors (a full disk, I/O): a second
            # ROLLBACK would raise "no transaction is active" and hide the real error.
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        finally:
            self._dirty.clear()
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise ProjectError(self.describe(exc)) from exc

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """ONE read transaction (``BEGIN`` … ``COMMIT``): every read inside it sees the file
        as it was at the first one, whatever another process commits meanwhile (WAL keeps
        the snapshot). For reading a whole file that someone may still be writing."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("COMMIT")

    def touch(self, article_id: int) -> None:
        """The article's statistics share (``core.store.summaries``) is counted again when
        the current write ends, once however many of its rows the write changed."""
        self._dirty.add(article_id)

    @contextmanager
    def edit(self) -> Iterator[sqlite3.Connection]:
        """A write whose SQLite errors (read-only, full disk, busy) become ProjectError."""
        try:
            with self.write() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise ProjectError(self.describe(exc)) from exc

    def event(self, conn: sqlite3.Connection, reviewer: str, article_id: int | None,
              action: str, payload: dict[str, Any]) -> None:
        """The audit row of a change, written in the change's own transaction."""
        conn.execute(
            "INSERT INTO events(at, reviewer, article_id, action, payload) VALUES (?,?,?,?,?)",
            (now(), reviewer, article_id, action, json.dumps(payload, ensure_ascii=False)),
        )
        if article_id is not None and action.startswith(_RESUMMARISE):
            # A claim, a status, a span's bounds or link: the statistics' share changes
            # without the label counts changing (which ``recount`` sees to).
            self.touch(article_id)

    @staticmethod
    def first_overlap(conn: sqlite3.Connection, table: str, dead_state: str, article_id: int,
                      start: int, end: int, exclude: int | None, columns: str) -> Any:
        """The first live row of ``table`` (spans or claims) in the article that overlaps
        ``[start, end)``, other than ``exclude``; None when there is none. The one overlap
        rule: half-open ranges, rows in ``dead_state`` (rejected, dismissed) do not count."""
        return conn.execute(
            f'SELECT {columns} FROM {table} WHERE article_id = ? AND state != ? '
            'AND start < ? AND "end" > ? AND id IS NOT ? LIMIT 1',
            (article_id, dead_state, end, start, exclude)).fetchone()

    def recount(self, conn: sqlite3.Connection, article_id: int) -> None:
        """Keep the stored counts right after any change to an article's spans: its live
        entities (``articles.entities``), its spans per (label, state) (``articles.tally``,
        JSON) and the project's (``label_counts``, changed by the difference). Every span
        write calls it in its own transaction, so the counts can never drift from the rows.
        """
        new = {(label, state): n for label, state, n in conn.execute(
            "SELECT label, state, count(*) FROM spans WHERE article_id = ? "
            "GROUP BY label, state ORDER BY label, state", (article_id,))}
        self.touch(article_id)  # and the statistics' share, once at the write's end
        row = conn.execute("SELECT tally FROM articles WHERE id = ?", (article_id,)).fetchone()
        old = {(label, state): n for label, state, n in json.loads(row[0] if row else "[]")}
        if new == old:
            return
        live = sum(n for (_label, state), n in new.items() if state != "rejected")
        conn.execute("UPDATE articles SET entities = ?, tally = ? WHERE id = ?",
                     (live, json.dumps([[*key, n] for key, n in new.items()],
                                       ensure_ascii=False), article_id))
        for key in old.keys() | new.keys():
            delta = new.get(key, 0) - old.get(key, 0)
            if delta:
                conn.execute("INSERT INTO label_counts(label, state, n) VALUES (?, ?, ?) "
                             "ON CONFLICT(label, state) DO UPDATE SET n = n + excluded.n",
                             (*key, delta))
