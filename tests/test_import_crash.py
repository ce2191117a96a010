"""An import killed part-way leaves a sound project, and running it again adds exactly the rest.

A child process imports a generated folder in small batches and is killed with
SIGKILL as soon as the parent sees committed articles (no cleanup, no finally
blocks run). The child sleeps 3 ms per file through the progress callback, so
the whole import would take at least 9 s: it is certainly still running when
the kill lands a fraction of a second in, however slow or loaded the machine.
The test itself stays quick because it never waits for the child to finish.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.formats.importers import import_paths
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.normalise import sha256_text

REPO = Path(__file__).resolve().parents[1]
N_FILES = 3000
N_DUPLICATES = 50  # files whose text repeats an earlier file's
BATCH = 25

CHILD = """
import sys, time
from core.formats.importers import import_paths
from core.nlp.store_rules import store_rules
from core.store import Project

project = Project.open(sys.argv[1], rules=store_rules())
import_paths(project, [sys.argv[2]], batch_size=int(sys.argv[3]),
             progress=lambda done, total: time.sleep(0.003))
project.close()
"""


def make_corpus(folder: Path) -> set[str]:
    """Write the files; return the distinct texts an import should end up storing."""
    folder.mkdir()
    texts = [f"Article {i}: lithium shipments from port {i % 97} rose {i % 13}%.\n"
             f"Cobalt note {i * 7}." for i in range(N_FILES - N_DUPLICATES)]
    texts += texts[:N_DUPLICATES]
    for i, text in enumerate(texts):
        sub = folder / f"part{i % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05}.txt").write_text(text, encoding="utf-8")
    return set(texts)


def count_articles(db_path: Path) -> int:
    """Read-only look at the file the child is writing (WAL lets readers in)."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the child is still opening the file: look again
        return 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_import_killed_midway_recovers_and_resumes(tmp_path):
    sources = make_corpus(tmp_path / "corpus")
    db_path = tmp_path / "crash.assay"
    Project.create(db_path, name="crash", rules=store_rules()).close()

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(tmp_path / "corpus"), str(BATCH)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while count_articles(db_path) == 0:
            assert child.poll() is None, "child ended early"
            assert time.monotonic() < deadline, "the child never committed a batch"
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        _, stderr = child.communicate(timeout=30)  # reaps it and closes the pipe
    assert child.returncode == -signal.SIGKILL, stderr.decode()

    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute("SELECT text, sha256 FROM articles").fetchall()
    conn.close()
    before = len(rows)
    assert 0 < before < len(sources), "the kill should land part-way through the import"
    for text, digest in rows:
        assert sha256_text(text) == digest  # every stored article is whole
        assert text in sources

    with Project.open(db_path, rules=store_rules()) as project:
        report = import_paths(project, [tmp_path / "corpus"], batch_size=500)
        assert report.problems == []
        assert report.added == len(sources) - before
        assert project.count_articles() == len(sources)
        stored = {project.article_text(i) for i in project.article_ids()}
    assert stored == sources
