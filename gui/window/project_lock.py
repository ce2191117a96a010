"""One window writes a project at a time: a lock file next to it, ``<name>.assay.lock``.

SQLite keeps two writers from corrupting the file, but two review windows on
one project would still undo each other's work (each shows, and its undo stack
restores, what it read a while ago). So the window that opens a project first
holds a ``QLockFile`` for as long as it has it open; a second window (in this
or another process, on this or another machine sharing the folder) sees the
lock and opens the project read-only, saying who holds it.

``QLockFile`` writes the holder's pid, program name and host into the file and
treats it as stale (and takes it over) when that process no longer runs on this
host, so a crashed or killed Assay does not lock anyone out. Age alone never
makes a lock stale here (``setStaleLockTime(0)``): a window may stay open for
days. A lock left by a machine that crashed while the project sat on a shared
folder has to be deleted by hand; the message names the file.

The pre-annotation child process and background jobs belong to the window
that started them and do not take the lock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile


@dataclass(frozen=True)
class LockResult:
    """What opening a project for writing found: the lock, or why the project is read-only."""

    lock: ProjectLock | None
    reason: str = ""  # "another Assay window (process 123 on lab-4) has this project open"
    hint: str = ""  # what to do to edit it here


class ProjectLock:
    """The lock of one project file; released by :meth:`release` (or when collected)."""

    def __init__(self, project_path: str | Path) -> None:
        self.project_path = Path(project_path).resolve()
        self.path = self.project_path.with_name(self.project_path.name + ".lock")
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)

    def try_lock(self) -> bool:
        return self._lock.tryLock(0)

    def holder(self) -> str:
        """Who holds it, as a phrase: "another Assay window (process 123 on lab-4)"."""
        info = self._lock.getLockInfo()  # PySide6: (pid, host, app); pid 0 if unreadable
        pid, host = (info[-3], info[-2]) if len(info) >= 3 else (0, "")
        if not pid:
            return "another Assay window"
        where = f" on {host}" if host else ""
        return f"another Assay window (process {pid}{where})"

    def error(self) -> QLockFile.LockError:
        return self._lock.error()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


def lock_project(path: str | Path) -> LockResult:
    """Take the project's lock, or say why this window must open it read-only."""
    path = Path(path)
    if path.is_file() and not os.access(path, os.W_OK):
        return LockResult(None, "the project file is read-only (its permissions do not let "
                                "you change it)", "Copy it somewhere you can write to edit it.")
    lock = ProjectLock(path)
    if lock.try_lock():
        return LockResult(lock)
    if lock.error() == QLockFile.LockError.LockFailedError:
        return LockResult(None, f"{lock.holder()} has this project open",
                          "To edit here, close the other window and open the project again "
                          f"(if no Assay is running there, delete {lock.path}).")
    return LockResult(None, f"Assay cannot create the lock file {lock.path}",
                      "Is the folder read-only? Copy the project somewhere you can write.")
