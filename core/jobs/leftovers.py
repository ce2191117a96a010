"""Work files of a run that was killed, found and removed by the next run.

A run that writes a result under a temporary name (``annotate-jsonl``'s partial output, a
model being trained in a hidden folder) removes it itself when it fails or is cancelled;
only ``kill -9``, a power cut or a crash leaves it behind, and then it may hold article
text nobody asked to keep. So each such name carries its writer's host and process id:
the next run removes the ones whose writer no longer runs on this host, and says so,
while the work files of a run still going (in another process) are left alone.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sys
from pathlib import Path

_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:32] or "host"


def run_mark() -> str:
    """``<host>.<pid>``: the part of a work file's name that says which run writes it."""
    return f"{_HOST}.{os.getpid()}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_leftovers(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Remove the entries of ``folder`` whose names ``pattern`` matches (with groups
    ``host`` and ``pid``, as :func:`run_mark` writes them) and whose run has ended on this
    host; an entry without a mark (an older Assay's) counts as ended. Returns them."""
    removed: list[Path] = []
    try:
        children = list(folder.iterdir())
    except OSError:
        return removed
    for child in children:
        match = pattern.fullmatch(child.name)
        if match is None:
            continue
        host, pid = match.groupdict().get("host"), match.groupdict().get("pid")
        if host and pid and (host != _HOST or _alive(int(pid))):
            continue  # another machine's run, or one still going here
        try:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        except OSError:
            continue
        removed.append(child)
    return removed
