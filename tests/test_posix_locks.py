"""Decisions are durable across processes: nothing in a process with a connection drops its locks.

Closing any descriptor on a database file drops every POSIX lock the process holds on
it. Before this was fixed, the worker's second open read the header with ``open()``;
the next process to close the file deleted the WAL and the window's commits went into
an unlinked file, so another process (and a restart after kill -9) never saw them.
These tests do what failed: another process must see the first connection's commit,
and the count of this process's locks on the file in ``/proc/locks`` must not drop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import AssayError
from core.formats.export import export
from core.formats.importers import import_paths
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project

needs_proc_locks = pytest.mark.skipif(not Path("/proc/locks").exists(),
                                      reason="needs Linux /proc/locks")


def my_locks(path: Path) -> int:
    """POSIX locks this process holds on ``path`` (by inode), from /proc/locks."""
    inode = os.stat(path).st_ino
    pid = str(os.getpid())
    count = 0
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        if "POSIX" in parts and pid in parts and any(
                p.endswith(f":{inode}") for p in parts):
            count += 1
    return count


def read_in_child(path: Path, sql: str) -> list:
    """Open, query and close the project in another process (as assay-cli stats does)."""
    code = ("import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(json.dumps([list(r) for r in c.execute(sys.argv[2])])); c.close()")
    out = subprocess.run([sys.executable, "-c", code, str(path), sql], check=True,
                         capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


@pytest.fixture
def held(tmp_path):
    """A project with one article and a connection that stays open (the window's)."""
    path = tmp_path / "held.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Cobalt from the DRC.", title="One"),
                              ArticleIn(text="Lithium from Chile.", title="Two")])
    window = Project.open(path, rules=store_rules())
    window.spans(1)  # a read, so the connection holds its WAL read lock
    yield path, window
    window.close()


@needs_proc_locks
@pytest.mark.parametrize("second_open", ["worker", "read-only worker", "import", "export"])
def test_a_second_open_in_the_process_keeps_the_first_connections_locks(
        held, tmp_path, second_open):
    path, window = held
    before = my_locks(path)
    assert before > 0
    if second_open == "worker":
        Project.open(path, rules=store_rules()).close()
    elif second_open == "read-only worker":
        Project.open(path, read_only=True, rules=store_rules()).close()
    elif second_open == "import":
        (tmp_path / "in.txt").write_text("Nickel from Indonesia.", encoding="utf-8")
        with Project.open(path, rules=store_rules()) as worker:
            import_paths(worker, [tmp_path / "in.txt"])
    else:
        window.approve_article(2, "ana")
        with Project.open(path, rules=store_rules()) as worker:
            export(worker, "assay", tmp_path / "out.jsonl")
    assert my_locks(path) == before
    # Another process opens and closes the file, as pre-annotation and assay-cli do …
    assert read_in_child(path, "SELECT count(*) FROM articles")[0][0] >= 2
    # … and the window's next commit must still reach the file another process reads.
    window.approve_article(1, "ana")
    assert read_in_child(path, "SELECT status FROM articles WHERE id = 1") == [["approved"]]
    assert path.with_name(path.name + "-wal").exists()  # not deleted under the window


def test_the_open_project_cannot_be_imported_or_exported_onto(held, tmp_path):
    path, window = held
    before = my_locks(path) if Path("/proc/locks").exists() else None
    for victim in (path, path.with_name(path.name + "-wal")):
        with pytest.raises(AssayError, match="Refused"):
            export(window, "csv", victim)
    link = tmp_path / "looks-harmless.jsonl"
    link.symlink_to(path)
    report = import_paths(window, [link])
    assert report.added == 0 and "project" in str(report.problems[0])
    if before is not None:
        assert my_locks(path) == before
    window.approve_article(1, "ana")
    assert read_in_child(path, "SELECT status FROM articles WHERE id = 1") == [["approved"]]


def drop_locks_as_a_file_dialog_does(path: Path) -> None:
    """What Qt's file dialog did to guess the project's type: open, read, close."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.read(fd, 64)
    finally:
        os.close(fd)


@needs_proc_locks
def test_the_window_takes_the_file_back_after_something_in_it_dropped_the_locks(held):
    path, window = held
    drop_locks_as_a_file_dialog_does(path)
    assert my_locks(path) == 0  # the hazard is real: the process no longer holds the file
    # Another process opens and closes the project: it believes it is the last and deletes
    # the WAL the window's connection still has open.
    assert read_in_child(path, "SELECT count(*) FROM articles") == [[2]]
    window.approve_article(1, "ana")
    # The decision reached the file another process reads …
    assert read_in_child(path, "SELECT status FROM articles WHERE id = 1") == [["approved"]]
    # … and the window holds its lock again, so the next close elsewhere keeps the WAL.
    assert my_locks(path) > 0
    window.approve_article(2, "ana")
    assert read_in_child(path, "SELECT status FROM articles WHERE id = 2") == [["approved"]]


@needs_proc_locks
def test_a_lost_lock_is_taken_back_before_the_next_write_even_with_the_wal_in_place(held):
    path, window = held
    drop_locks_as_a_file_dialog_does(path)
    window.approve_article(1, "ana")  # nobody deleted the WAL yet: the lock alone is missing
    assert my_locks(path) > 0
    assert read_in_child(path, "SELECT status FROM articles WHERE id = 1") == [["approved"]]


KILLED_WRITER = """
import os, sys
from core.nlp.store_rules import store_rules
from core.store import Project
window = Project.open(sys.argv[1], rules=store_rules())
window.spans(1)
fd = os.open(sys.argv[1], os.O_RDONLY); os.read(fd, 64); os.close(fd)  # the dialog's read
print("dropped", flush=True)
sys.stdin.readline()  # meanwhile another process opens and closes the project
window.approve_article(1, "ana")
print("approved", flush=True)
sys.stdin.readline()  # killed here, before any close
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="needs SIGKILL")
def test_a_decision_made_after_the_locks_were_dropped_survives_kill_9(held):
    import signal

    path, window = held
    window.close()
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)],
                             cwd=Path(__file__).parents[1], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "dropped"
        assert read_in_child(path, "SELECT count(*) FROM articles") == [[2]]
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "approved"
        assert read_in_child(path, "SELECT status FROM articles WHERE id = 1") == [["approved"]]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    with Project.open(path, rules=store_rules()) as after:
        assert after.article(1).status == "approved"
        assert after.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
