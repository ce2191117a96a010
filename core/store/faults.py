"""What can go wrong with the project file itself, said so that a reviewer understands it.

SQLite reports a full disk, a read-only file, a damaged page or a file that is
not a database as terse codes ("database or disk is full", "database disk image
is malformed"). This module turns those into sentences that name the file and
say what to do, checks a file cheaply once it is open (the header check before that is in
``core.store.files``), and
makes every public ``Project`` method raise :class:`ProjectError` (never a raw
``sqlite3`` error) when the file or the disk under it fails, so that the window
and the CLI show one clear message instead of a traceback.

Errors that mean a bug in Assay (SQL syntax, a broken constraint) are left
alone: they should be loud, not dressed up as a problem with the user's file.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from core.errors import ProjectError
from core.store.files import DAMAGED_HINT as _DAMAGED_HINT
from core.store.files import SQLITE_MAGIC  # noqa: F401 (the header, for tests)

_C = TypeVar("_C", bound=type)

# Files up to this size get a full ``PRAGMA quick_check`` when they are opened (about
# 1 GB/s with a warm cache, so at most a few tens of milliseconds); bigger ones get the
# cheap structural check below, and File → Check project runs ``integrity_check``.
QUICK_CHECK_MAX_BYTES = 16 * 2**20

# Extended result codes share their primary code's name as a prefix
# (SQLITE_IOERR_SHORT_READ, SQLITE_READONLY_DBMOVED, SQLITE_CORRUPT_INDEX, ...).
_FILE_FAULTS = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_IOERR",
                "SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FULL", "SQLITE_CANTOPEN",
                "SQLITE_PERM", "SQLITE_PROTOCOL", "SQLITE_NOMEM", "SQLITE_NOLFS")


def _code(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def is_file_fault(exc: BaseException) -> bool:
    """True for errors caused by the file or the disk (not by a bug in our SQL)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = _code(exc)
    if code:
        return code.startswith(_FILE_FAULTS)
    lowered = str(exc).lower()
    return any(word in lowered for word in (
        "readonly", "read-only", "locked", "busy", "full", "malformed", "not a database",
        "disk i/o", "unable to open"))


def describe(exc: BaseException, path: Path) -> str:
    """One or two sentences for the user: what happened to which file, and what to do."""
    message = str(exc)
    code = _code(exc)
    lowered = message.lower()
    if code.startswith("SQLITE_READONLY") or "readonly" in lowered or "read-only" in lowered:
        return (f"The project file {path} is read-only: the change was not saved. Check the "
                "file's permissions, or copy the project somewhere you can write.")
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered \
            or "busy" in lowered:
        return (
            f"The project file {path} is busy: another program (a second Assay window or a "
            "pre-annotation run) is writing to it. Try again in a moment."
        )
    if code.startswith("SQLITE_FULL") or "full" in lowered:
        return (f"The disk holding {path} is full: the change was not saved. Free some space "
                "and try again; everything saved before is intact.")
    if code.startswith("SQLITE_NOTADB") or "not a database" in lowered:
        return f"{path} is not an Assay project: it is not a SQLite database, or it is damaged."
    if code.startswith("SQLITE_CORRUPT") or "malformed" in lowered:
        return f"The project file {path} is damaged ({message}). {_DAMAGED_HINT}"
    if code.startswith("SQLITE_IOERR") or "disk i/o" in lowered:
        return (f"The project file {path} could not be read or written (disk I/O error): the "
                "disk or network share may have gone away. Nothing more was saved.")
    if code.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM")) or "unable to open" in lowered:
        return (f"The project file {path} cannot be opened: its folder may be missing or not "
                "writable, or you may lack permission.")
    return f"Database error on {path}: {message}"


def check_on_open(conn: sqlite3.Connection, path: Path) -> None:
    """A check cheap enough for every open; raises ProjectError if the file is damaged.

    Small files get ``PRAGMA quick_check`` (every page's structure). On big ones
    that would make opening slow, so only what the window reads first is touched:
    the schema, meta and labels, and both ends of the articles and spans tables.
    Damage elsewhere still surfaces as a clear ProjectError when it is read.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ProjectError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    try:
        if size <= QUICK_CHECK_MAX_BYTES:
            problems = _problem_lines(conn.execute("PRAGMA quick_check(3)"))
            if problems:
                raise ProjectError(
                    f"The project file {path} is damaged (SQLite's check found: "
                    f"{problems[0]}). {_DAMAGED_HINT}")
            return
        for sql in ("SELECT count(*) FROM labels", "SELECT count(*) FROM meta",
                    "SELECT * FROM articles ORDER BY id LIMIT 1",
                    "SELECT * FROM articles ORDER BY id DESC LIMIT 1",
                    "SELECT * FROM spans ORDER BY id LIMIT 1",
                    "SELECT * FROM spans ORDER BY id DESC LIMIT 1"):
            conn.execute(sql).fetchall()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(describe(exc, path)) from exc


def _problem_lines(rows: Iterable[Sequence[object]]) -> list[str]:
    """The rows of a quick/integrity check as one problem a line; empty when it says ok."""
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    if lines == ["ok"]:
        return []
    return [line for line in lines if line and not line.startswith("***")] or lines


def integrity_problems(conn: sqlite3.Connection, limit: int = 20) -> list[str]:
    """``PRAGMA integrity_check``: an empty list when the file is sound (slow on big files).

    Some damage stops the check itself ("database disk image is malformed"); that
    is reported as a problem too rather than raised.
    """
    rows: list = []
    try:
        for row in conn.execute(f"PRAGMA integrity_check({int(limit)})"):
            rows.append(row)
    except sqlite3.DatabaseError as exc:
        if not _code(exc).startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise
        return [*_problem_lines(rows), f"the check stopped: {exc}"]
    return _problem_lines(rows)


def _translating(func: Callable[..., Any], path_of: Callable[[Any], Path]
                 ) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not is_file_fault(exc):
                raise
            raise ProjectError(describe(exc, path_of(self))) from exc

    return wrapper


def file_faults_as_project_errors(cls: _C) -> _C:
    """Class decorator: a file or disk fault in any public method raises ProjectError.

    Covers methods inherited from mixins too. Reads matter most: a page damaged
    in the middle of a big file passes the cheap check on open and is found only
    when an article on it is read, which must still give a clear message.
    """
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if inspect.isfunction(attr):
            setattr(cls, name, _translating(attr, lambda self: self.path))
    return cls
