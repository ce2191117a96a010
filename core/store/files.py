"""The one place that opens a project file: connections, the header check, and its neighbours.

POSIX gives a process one set of fcntl locks per file, and closing *any*
descriptor on that file drops all of them (SQLite's "How To Corrupt An SQLite
Database File", §2.2). A plain ``open()``/``close()`` of a project while a
connection to it is open therefore silently unlocks the window's connection;
the next process to close the file deletes the ``-wal`` and the window goes on
committing into an unlinked file. So, in a process that holds a connection to
a project, nothing but SQLite may open that file:

* :func:`connect` is the only way to get a connection; it counts connections
  per file (device and inode) in this process, and :func:`release` uncounts. The
  connection (``core.store.connection``) also takes the file back if something else in
  the process dropped its locks after all (Qt's file dialog did).
* :func:`sniff` reads the 16-byte header with ``open()`` only while no
  connection to that file is open here (one that is open already proved the
  file is a database).
* :func:`refuse_project_file` is called by every reader and writer of other
  files (importers, exporters): a path that is an open project, or its
  ``-wal``/``-shm``/``-journal``/lock file, is refused before it is opened.
* :func:`check_destination` is the one check every writer of a user-chosen file makes
  first (:func:`write_atomically` and :func:`make_folder` make it for their callers),
  and :func:`check_source` the one every reader of a single user-chosen file makes.

Every connection also sets ``trusted_schema=OFF``: a project file travels
between people, so its schema must not be able to run anything on ours.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO, cast

from core.errors import AssayError, ProjectError
from core.store.connection import ProjectConnection, file_identity

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# Files SQLite and Assay keep next to a project; writing any of them breaks it.
SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")
DAMAGED_HINT = "Assay cannot repair it: restore it from a backup. The file was left as it is."

_open_here: Counter[tuple[int, int]] = Counter()
_open_paths: dict[tuple[int, int], Path] = {}
_conn_keys: dict[int, tuple[int, int]] = {}
_guard = threading.Lock()


def sidecars(path: Path) -> list[Path]:
    """The files next to a project that belong to it (SQLite's journals, Assay's lock)."""
    return [path.with_name(path.name + suffix) for suffix in SIDECAR_SUFFIXES]


def is_open_here(path: Path) -> bool:
    """True while this process holds a connection to the project file at ``path``."""
    key = file_identity(path)
    with _guard:
        return key is not None and _open_here[key] > 0


def sniff(path: Path) -> None:
    """Refuse, with a clear message, a path that cannot be an Assay project; reads 16 bytes.

    Reads the header only when this process has no connection to the file:
    closing the descriptor would drop that connection's locks.
    """
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not an Assay project file.")
    if not path.is_file():
        raise ProjectError(f"No project file at {path}.")
    if is_open_here(path):
        return
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ProjectError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    if size == 0:
        raise ProjectError(f"{path} is empty (0 bytes): it holds no project. Create a new "
                           "project or open another file.")
    if magic != SQLITE_MAGIC:
        kind = "an empty text file" if not magic.strip() else "some other kind of file"
        raise ProjectError(f"{path} is not an Assay project: it is not a SQLite database "
                           f"(it looks like {kind}).")
    if size < 512:  # a header alone; SQLite's smallest page is 512 bytes
        raise ProjectError(f"{path} is damaged: it is cut short ({size} bytes). {DAMAGED_HINT}")


def can_write(path: Path) -> bool:
    """Whether SQLite could write the project: the file and its folder (for the journals)."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def connect(path: Path, *, read_only: bool = False, create: bool = False) -> sqlite3.Connection:
    """A connection to the project at ``path``, counted so :func:`sniff` knows it is open.

    Only ``create`` may make a new file (``mode=rwc``); otherwise a missing file
    is an error, never a new empty database. ``read_only`` opens with ``mode=ro``.
    On read-only media (the folder cannot be written, so SQLite cannot make the
    WAL's ``-shm`` index), a file with no ``-wal`` left over is opened
    ``immutable``: SQLite then reads it without any lock or journal, which is
    right for a file nobody can change.

    The connection is a :class:`~core.store.connection.ProjectConnection`: if anything
    in the process drops SQLite's locks on the file, it reconnects before the next
    statement instead of committing into a WAL another process has deleted.
    """
    uri = path.resolve().as_uri()
    if read_only:
        wal = path.with_name(path.name + "-wal")
        leftover = wal.exists() and wal.stat().st_size > 0
        if not can_write(path) and not path.with_name(path.name + "-shm").exists():
            if leftover:
                raise ProjectError(
                    f"{path} is on read-only media with changes still in {wal.name} that "
                    "only a writable folder can bring back. Copy the project and its "
                    f"{wal.name} file to a folder you can write, and open the copy.")
            target = uri + "?immutable=1"
        else:
            target = uri + "?mode=ro"
    else:
        target = uri + ("?mode=rwc" if create else "?mode=rw")
    proxy = ProjectConnection(path, lambda: _sqlite_connect(target))
    # Typed as what it stands in for: everything of a sqlite3.Connection is forwarded.
    conn = cast(sqlite3.Connection, proxy)
    key = file_identity(path)
    if key is not None:
        with _guard:
            _open_here[key] += 1
            _open_paths[key] = path
            _conn_keys[id(conn)] = key
    return conn


def _sqlite_connect(target: str) -> sqlite3.Connection:
    """One SQLite connection with the settings every project connection has."""
    # isolation_level=None: the store issues BEGIN IMMEDIATE / COMMIT itself.
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False, uri=True)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def release(conn: ProjectConnection | sqlite3.Connection) -> None:
    """Close a connection made by :func:`connect` and uncount it (twice is harmless)."""
    try:
        conn.close()
    finally:
        with _guard:
            key = _conn_keys.pop(id(conn), None)
            if key is not None:
                _open_here[key] -= 1
                if _open_here[key] <= 0:
                    del _open_here[key]
                    _open_paths.pop(key, None)


def _open_projects() -> list[Path]:
    with _guard:
        return list(_open_paths.values())


def _same_file(a: Path, b: Path) -> bool:
    ka, kb = file_identity(a), file_identity(b)
    if ka is not None and ka == kb:
        return True
    return a.resolve() == b.resolve()  # for a file that does not exist (yet)


def refuse_project_file(path: Path, doing: str, projects: list[Path] | None = None) -> None:
    """Raise AssayError if ``path`` is a project open in this process or one of its files.

    ``doing`` says what was about to happen ("write the export to", "import");
    ``projects`` adds projects that must be protected even if not open here.
    """
    for project in [*(projects or []), *_open_projects()]:
        for protected in (project, *sidecars(project)):
            if _same_file(path, protected):
                what = ("the project file" if protected == project
                        else f"the project's {protected.name[len(project.name):]} file")
                raise AssayError(f"Refused to {doing} {path}: it is {what} of {project.name}. "
                                 "Nothing was written; choose another file.")


def is_database(path: Path) -> bool:
    """Whether ``path`` is an SQLite file (an Assay project or its copy): a project open in
    this process is one without reading it (closing a read would drop its locks)."""
    if is_open_here(path):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _side_file_of(path: Path) -> tuple[Path, str] | None:
    """The project whose ``-wal``/``-shm``/``-journal``/lock file ``path`` names, if that
    project exists: such a file is the project's whether or not it is open anywhere."""
    for suffix in SIDECAR_SUFFIXES:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            project = path.with_name(path.name[:-len(suffix)])
            if project.is_file() and is_database(project):
                return project, suffix
    return None


SYSTEM_FOLDERS = ("proc", "sys", "dev")


def _outside_system(path: Path, doing: str) -> Path:
    """``path`` resolved, or AssayError if it lies in /proc, /sys or /dev."""
    target = path.resolve()
    if len(target.parts) > 1 and target.parts[1] in SYSTEM_FOLDERS:
        raise AssayError(f"Refused to {doing} {path}: /{target.parts[1]} holds the system's "
                         "own files, not documents. Nothing was written; choose another "
                         "folder.")
    return target


def make_folder(path: Path, projects: list[Path], doing: str = "write into") -> bool:
    """Make sure the folder ``path`` exists for files to be written into; True if it was
    made here. Only the folder named is made, never a missing folder above it (as
    ``mkdir`` without ``-p``), with the same refusals as :func:`check_destination`."""
    path = Path(path)
    refuse_project_file(path, doing, projects)
    target = _outside_system(path, doing)
    if target.is_dir():
        if not os.access(target, os.W_OK | os.X_OK):
            raise AssayError(f"Cannot write to the folder {path}: you do not have "
                             f"permission to {doing} it. Choose a folder you can write.")
        return False
    if target.exists():
        raise AssayError(f"Refused to {doing} {path}: it is a file, not a folder. Nothing "
                         "was written; choose a folder.")
    check_destination(path, projects, doing)
    try:
        target.mkdir()
    except OSError as exc:
        raise AssayError(f"Cannot make the folder {path}: {exc.strerror or exc}.") from exc
    return True


def check_destination(path: Path, projects: list[Path], doing: str = "write") -> Path:
    """The file a command may (re)write, or AssayError saying in one sentence why not.

    Every writer of a user-chosen file calls this first (export, report, the label
    scheme, a chart, annotate-jsonl, a reviewer's copy, a new project), so each refusal
    happens before anything is written and leaves every file as it was. Refused: a
    project (open here, named in ``projects``, or any SQLite file) and its ``-wal``,
    ``-shm``, ``-journal`` and lock files (the side files of any project, open or not),
    a folder, a device, a FIFO (writing one would wait for a reader for ever), a socket,
    anything under /proc, /sys or /dev, a folder that does not exist (like ``cp``, Assay
    does not make folders it was not asked for: a typo would hide the file) and a folder
    that cannot be written. A symbolic link to a regular file is followed: the file it
    points to is replaced, the link stays. ``doing`` names the action in the sentence.
    """
    path = Path(path)
    refuse_project_file(path, doing, projects)
    side = _side_file_of(path) or _side_file_of(path.resolve())
    if side is not None:
        project, suffix = side
        raise AssayError(f"Refused to {doing} {path}: it is the {suffix} file of the project "
                         f"{project.name}, and writing it would break that project. Nothing "
                         "was written; choose another file.")
    target = _outside_system(path, doing)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise AssayError(f"Cannot {doing} {path}: {exc.strerror or exc}.") from exc
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise AssayError(f"Refused to {doing} {path}: it is a folder; give the name of "
                             "the file to write.")
        if not stat.S_ISREG(st.st_mode):
            raise AssayError(f"Refused to {doing} {path}: it is not a regular file (a "
                             "device, a pipe or a socket). Nothing was written; choose a "
                             "file name.")
        if st.st_size and is_database(target):
            raise AssayError(f"Refused to {doing} {path}: it is an SQLite database (an "
                             "Assay project?). Nothing was written; choose another file.")
    folder = target.parent
    if not folder.exists():
        raise AssayError(f"Cannot {doing} {path}: the folder {path.parent} does not exist. "
                         "Create it first, or choose another folder.")
    if not folder.is_dir():
        raise AssayError(f"Cannot {doing} {path}: {path.parent} is a file, not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AssayError(f"Cannot write to the folder {folder}: you do not have permission "
                         f"to {doing} {path.name} there. Choose a folder you can write.")
    return target


def check_source(path: Path, doing: str) -> Path:
    """The user-chosen file a command may read, or AssayError: never a project open here
    or one of its side files (reading one with ``open()`` would drop this process's locks
    on it), a folder, or a pipe or device (reading a FIFO waits for a writer for ever)."""
    path = Path(path)
    refuse_project_file(path, doing)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise AssayError(f"Cannot {doing} {path}: there is no such file.") from None
    except OSError as exc:
        raise AssayError(f"Cannot {doing} {path}: {exc.strerror or exc}.") from exc
    if stat.S_ISDIR(st.st_mode):
        raise AssayError(f"Cannot {doing} {path}: it is a folder; choose a file.")
    if not stat.S_ISREG(st.st_mode):
        raise AssayError(f"Refused to {doing} {path}: it is not a regular file (a pipe, a "
                         "device or a socket). Choose a file.")
    return path


def write_atomically(path: Path, fill: Callable[[BinaryIO], object], projects: list[Path],
                     doing: str = "write") -> Path:
    """Check ``path`` (:func:`check_destination`), then write it whole or not at all.

    ``fill`` writes the content to a binary file: a temporary file in the same folder
    (with the usual permissions, not a temporary file's 0600), flushed, fsynced and
    renamed over the target, so a failure or a kill leaves the old file as it was.
    Returns the file written (a link's target).
    """
    target = check_destination(path, projects, doing)
    temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.partial"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise AssayError(f"Cannot {doing} {path}: {exc.strerror or exc}. Nothing was "
                         "written.") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except OSError as exc:
        with suppress(OSError):
            temp.unlink()
        raise AssayError(f"Cannot {doing} {path}: {exc.strerror or exc}. Nothing was "
                         "written.") from exc
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    return target
