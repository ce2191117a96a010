"""Refusals leave files untouched; project files and export destinations are untrusted.

A project travels between people, so a file may hold a trigger that would run on
every edit, come from a newer Assay, or sit on read-only media. An export
destination may be the project itself, its WAL, a device or a FIFO. Each case
is refused with a sentence (or, for read-only media, opened read-only) and the
file is left byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ProjectError
from core.formats import importers
from core.formats.importers import import_paths
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import SCHEMA_VERSION, Project


def cli(*args: str, drop_caps: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "core.cli", *args]
    if drop_caps:  # as a user who may not write there, even when the tests run as root
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in the folder with the SHA-256 of its bytes (no connection is open)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def make_project(path: Path, approved: bool = True) -> Path:
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Cobalt from the DRC reached China.",
                                        title="One")])
        project.add_span(1, 0, 6, "MINERAL", "ana")
        if approved:
            project.approve_article(1, "ana")
    return path


# ---------------------------------------------------------------- export destinations


@pytest.mark.parametrize("victim", ["project", "-wal", "-shm", "-journal", ".lock", "folder",
                                    "device", "fifo", "link to the project"])
@pytest.mark.slow
def test_export_refuses_destinations_that_are_not_a_plain_new_or_regular_file(
        tmp_path, victim):
    path = make_project(tmp_path / "demo.assay")
    names = {"project": "demo.assay", "folder": "sub", "device": "dev-link",
             "fifo": "pipe", "link to the project": "out.csv"}
    dest = tmp_path / names.get(victim, "demo.assay" + victim)
    if victim == "folder":
        dest.mkdir()
    elif victim == "device":
        dest.symlink_to("/dev/null")
    elif victim == "fifo":
        os.mkfifo(dest)
    elif victim == "link to the project":
        dest.symlink_to(path)
    before = fingerprint(tmp_path) if victim != "fifo" else None
    result = cli("export", str(path), "-f", "csv", "-o", str(dest))
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr
    if before is not None:
        assert fingerprint(tmp_path) == before  # nothing written, no file where the WAL goes
    if victim == "device":
        assert Path("/dev/null").is_char_device()
    with Project.open(path, rules=store_rules()) as project:
        assert project.article(1).status == "approved"


@pytest.mark.slow
def test_export_to_a_folder_that_cannot_be_written_says_so(tmp_path):
    path = make_project(tmp_path / "demo.assay")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = cli("export", str(path), "-f", "doccano", "-o", str(locked / "out.jsonl"),
                     drop_caps=True)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1
    assert "Cannot write to the folder" in result.stderr and "Traceback" not in result.stderr
    assert list(locked.iterdir()) == []


@pytest.mark.slow
def test_export_through_a_link_to_a_file_writes_that_file_and_keeps_the_link(tmp_path):
    path = make_project(tmp_path / "demo.assay")
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert cli("export", str(path), "-f", "doccano", "-o", str(link)).returncode == 0
    assert link.is_symlink() and '"Cobalt"' not in real.read_text()
    assert real.read_text().startswith('{"text":"Cobalt')


# ---------------------------------------------------------------- refusals on open


def _plain_journal(path: Path) -> None:
    """A project in rollback-journal mode, so a switch to WAL would change its header."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _add_trigger(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER sneaky AFTER UPDATE ON spans BEGIN "
                 "UPDATE spans SET label = 'ORG' WHERE id = new.id; END")
    conn.close()


def _add_view(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW approved AS SELECT * FROM articles WHERE status = 'approved'")
    conn.close()


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


@pytest.mark.parametrize("spoil, message", [
    (_newer, "newer Assay"),
    (_add_trigger, "trigger sneaky"),
    (_add_view, "view approved"),
])
@pytest.mark.slow
@pytest.mark.parametrize("read_only", [False, True])
def test_a_refused_project_is_left_byte_for_byte(tmp_path, spoil, message, read_only):
    path = make_project(tmp_path / "p.assay", approved=False)
    _plain_journal(path)
    spoil(path)
    before = fingerprint(tmp_path)
    with pytest.raises(ProjectError, match=message):
        Project.open(path, read_only=read_only, rules=store_rules())
    assert fingerprint(tmp_path) == before  # no WAL switch, no -wal or -shm left behind
    result = cli("stats", str(path))
    assert result.returncode == 1 and message.split()[0] in result.stderr
    assert fingerprint(tmp_path) == before


def test_every_connection_distrusts_the_schema(tmp_path):
    path = make_project(tmp_path / "p.assay")
    for read_only in (False, True):
        with Project.open(path, read_only=read_only, rules=store_rules()) as project:
            assert project.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    # Search still works without the old FTS triggers.
    with Project.open(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text="Nickel from Indonesia.")])
        assert project.search("nickel") == [2] and project.search("cobalt") == [1]
        kinds = {r[0] for r in project.conn.execute("SELECT type FROM sqlite_master")}
        assert "trigger" not in kinds


# ---------------------------------------------------------------- read-only media


@pytest.mark.slow
def test_a_project_on_read_only_media_opens_read_only_in_the_cli(tmp_path):
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    media = tmp_path / "media"
    media.mkdir()
    path = make_project(media / "demo.assay")
    out = tmp_path / "out"
    out.mkdir()
    path.chmod(0o444)
    media.chmod(0o555)
    try:
        before = fingerprint(media)
        stats = cli("stats", str(path), "--json", drop_caps=True)
        check = cli("check", str(path), drop_caps=True)
        exported = cli("export", str(path), "-f", "doccano", "-o", str(out / "d.jsonl"),
                       drop_caps=True)
        annotate = cli("import", str(path), str(out), drop_caps=True)
        after = fingerprint(media)
    finally:
        media.chmod(0o755)
        path.chmod(0o644)
    assert stats.returncode == 0, stats.stderr
    assert '"approved": 1' in stats.stdout
    assert check.returncode == 0 and "ok" in check.stdout, check.stderr
    assert exported.returncode == 0, exported.stderr
    assert (out / "d.jsonl").read_text().startswith('{"text":"Cobalt')
    assert annotate.returncode == 1 and "read-only" in annotate.stderr
    assert "Traceback" not in annotate.stderr
    assert after == before


# ---------------------------------------------------------------- import size cap


@pytest.mark.parametrize("name, data", [
    ("big.txt", "Lithium " * 40),
    ("big.jsonl", '{"text": "' + "Lithium " * 40 + '"}\n{"text": "Small."}\n'),
    ("big.csv", "title,text\nBig," + "Lithium " * 40 + "\nSmall,Small.\n"),
])
def test_the_article_size_cap_holds_for_every_format(tmp_path, monkeypatch, name, data):
    monkeypatch.setattr(importers, "MAX_ARTICLE_BYTES", 200)
    (tmp_path / name).write_text(data, encoding="utf-8")
    with Project.create(tmp_path / "p.assay", rules=store_rules()) as project:
        report = import_paths(project, [tmp_path / name])
        texts = [project.article(i).text for i in project.article_ids()]
    assert "Lithium " * 40 not in " ".join(texts)
    assert len(report.problems) == 1 and "too large" in report.problems[0].reason
    assert texts == ([] if name.endswith(".txt") else ["Small."])


def test_the_schema_check_accepts_both_sqlite_utils_quoting_styles(tmp_path):
    """Files made with sqlite-utils 3 ([name]) and 4 ("name") must both open."""
    from core.store.schema import FTS_TABLE_SQL, _canonical, unexpected_schema

    path = make_project(tmp_path / "p.assay")
    conn = sqlite3.connect(path)
    made = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    assert _canonical(made) == _canonical(FTS_TABLE_SQL)  # this sqlite-utils' style vs v3's
    assert unexpected_schema(conn, SCHEMA_VERSION) == []
    conn.close()
