"""A project connection that notices when the process lost its hold on the file, and
takes it back before the next statement, so no decision goes into an unlinked WAL.

Why this exists: POSIX gives a process one set of fcntl locks per file, and closing
*any* descriptor on the file drops all of them. Assay's own code never opens a project
with anything but SQLite (``core.store.files``), but a process that runs Qt's file
dialogs, drag-and-drop or a platform theme cannot promise that nothing in it reads the
file: Qt's non-native file dialog read each listed file to guess its type, and closing
that descriptor unlocked the window's connection. The next process to close the project
then believed it was the last, checkpointed the WAL and deleted it; the window went on
committing into the deleted file, invisible to everyone and lost on ``kill -9``.

So the window's connection checks, before every statement outside a transaction, that
the ``-wal`` it writes is still the file on disk (one ``stat``), and before every write
transaction, on Linux, that the process still holds its read lock on the database
(``/proc/locks``). When either is gone it closes the stale connection and opens a fresh
one: nothing is lost, because whoever deleted the WAL checkpointed every frame committed
into it first, and the check runs before the next commit could go astray. The
``gui.common.file_dialogs`` icon provider, which never reads a file, keeps the locks from being
dropped in the first place; this is the second wall, for whatever else might.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

_PROC_LOCKS = Path("/proc/locks")
_log = logging.getLogger("assay.store")


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def file_identity(path: Path) -> tuple[int, int] | None:
    """The file at ``path`` as (device, inode), or None; one ``stat``, no descriptor."""
    try:
        st = os.stat(path)  # stat opens no descriptor, so it drops no lock
    except OSError:
        return None
    return st.st_dev, st.st_ino


def holds_posix_lock(path: Path) -> bool | None:
    """Whether this process holds any POSIX lock on ``path`` (None: cannot tell here).

    Reads ``/proc/locks`` (Linux); each line names the owning process and the file's
    inode (``1: POSIX ADVISORY READ 4242 fe:00:2171153 1073741826 1073742335``).
    """
    if not sys.platform.startswith("linux"):
        return None
    ident = file_identity(path)
    if ident is None:
        return None
    pid, inode = str(os.getpid()), f":{ident[1]}"
    try:
        text = _PROC_LOCKS.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        parts = [p for p in line.split() if p != "->"]  # "->" marks a waiting request
        if len(parts) > 5 and parts[1] == "POSIX" and parts[4] == pid \
                and parts[5].endswith(inode):
            return True
    return False


class ProjectConnection:
    """A ``sqlite3.Connection`` stand-in that reattaches to its file when the process lost it.

    Everything a ``sqlite3.Connection`` offers is forwarded to the current connection;
    ``execute``, ``executemany``, ``executescript`` and ``cursor`` first check the WAL
    (outside a transaction only: a transaction runs whole on one connection).
    """

    def __init__(self, path: Path, opener: Callable[[], sqlite3.Connection]) -> None:
        self._path = path
        self._wal = wal_path(path)
        self._opener = opener
        self._conn = opener()
        self._wal_seen: tuple[int, int] | None = None
        self.reattached = 0  # how often the file was taken back (for tests and logs)

    # ---- the check

    def _lost(self, *, locks: bool) -> bool:
        current = file_identity(self._wal)
        if self._wal_seen is None:
            # Nothing read through this connection yet (or no WAL yet): from the statement
            # about to run on, this is the WAL it has open, and it holds the read lock.
            self._wal_seen = current
            return False
        if current != self._wal_seen:
            return True  # deleted (or replaced) under us: our frames would go nowhere
        # In WAL mode an open connection that has read holds a read lock on the file all
        # the time; none held means something in this process dropped it.
        return locks and current is not None and holds_posix_lock(self._path) is False

    def ensure_attached(self, *, locks: bool = False) -> None:
        """Take the file back if this process lost it; ``locks`` also checks /proc/locks
        (before a write transaction, where a lost lock would let another process delete
        the WAL under the commit)."""
        if self._conn.in_transaction or not self._lost(locks=locks):
            return
        row_factory = self._conn.row_factory
        # Closing first matters: SQLite shares lock state per file within a process, so a
        # new connection opened beside the stale one would never ask the kernel again.
        with suppress(sqlite3.Error):
            self._conn.close()
        self._conn = self._opener()
        self._conn.row_factory = row_factory
        self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL
        self._wal_seen = file_identity(self._wal)
        self.reattached += 1
        _log.warning("%s: something in this process closed the project file and dropped "
                     "SQLite's locks; reconnected (nothing was lost).", self._path.name)

    # ---- what callers use

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self.ensure_attached()
        return self._conn.execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        self.ensure_attached()
        return self._conn.executemany(sql, parameters)

    def executescript(self, script: str, /) -> sqlite3.Cursor:
        self.ensure_attached()
        return self._conn.executescript(script)

    def cursor(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        self.ensure_attached()
        return self._conn.cursor(*args, **kwargs)

    def close(self) -> None:
        self._conn.close()

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @property
    def row_factory(self) -> Any:
        return self._conn.row_factory

    @row_factory.setter
    def row_factory(self, value: Any) -> None:
        self._conn.row_factory = value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __enter__(self) -> ProjectConnection:
        self._conn.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._conn.__exit__(*exc)
