"""Every command that writes a file refuses the project and its side files, pipes, folders,
system files and missing folders, with one sentence and every file left as it was.

Written the way it broke (issue #23, §3): the real ``assay-cli`` in a subprocess (a pipe
makes a writer wait for ever, so every run has a timeout), pointed at a project that
another process holds open with an approval it committed and that lives only in the
project's ``-wal`` file until a checkpoint; a third process must still read it afterwards.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.cli import main as cli
from core.errors import AssayError
from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.file_names import check_file_name

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30  # seconds: a writer waiting on a pipe fails the test instead of hanging it

HOLDER = textwrap.dedent("""
    import sys
    from core.nlp.store_rules import store_rules
    from core.store import Project
    project = Project.open(sys.argv[1], rules=store_rules())
    project.approve_article(2, "ana")
    print("committed", flush=True)
    sys.stdin.read()  # held open until the test closes stdin
""")


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with a digest of each regular file's bytes
    (the ``-shm`` index excepted: every reader of the project updates it)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_fifo() or path.is_dir() or name.endswith("-shm"):
            out[name] = "present"
        else:
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def status_seen_by_another_process(path: Path, article_id: int) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT status FROM articles WHERE id = ?",
                            (article_id,)).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def held_project(tmp_path):
    """``work/P.assay`` with a pending and a to-be-approved article, held open by another
    process that has committed the approval (it lives in ``P.assay-wal``); a pipe, a
    folder and a JSONL input beside it."""
    work = tmp_path / "work"
    work.mkdir()
    project = work / "P.assay"
    with Project.create(project, name="P", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text="Lithium from Chile.", title="one"),
                        ArticleIn(text="Cobalt from Zambia.", title="two")])
    (work / "in.jsonl").write_text('{"text": "Nickel from Canada."}\n', encoding="utf-8")
    os.mkfifo(work / "pipe")
    os.mkfifo(work / "pipe.json")
    (work / "folder").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(project)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "committed"
        assert (work / "P.assay-wal").stat().st_size > 0
        yield work, project
    finally:
        holder.stdin.close()
        holder.wait(timeout=TIMEOUT)


DESTINATIONS = ["P.assay", "P.assay-wal", "P.assay-shm", "P.assay.lock", "pipe", "folder",
                "/proc/self/x", "missing/x.out"]
WRITERS = {
    "labels export": ("labels", "P.assay", "export", "{}"),
    "report": ("report", "P.assay", "-o", "{}"),
    "export": ("export", "P.assay", "-f", "assay", "-o", "{}"),
    "assign": ("assign", "P.assay", "--reviewers", "ana", "-o", "{}"),
    "annotate-jsonl": ("annotate-jsonl", "in.jsonl", "{}"),
    "new": ("new", "{}"),
}
READERS = {
    "labels import": (("labels", "P.assay", "import", "{}"),
                      ["P.assay", "P.assay-wal", "pipe.json", "folder"]),
    "new --scheme": (("new", "N.assay", "--scheme", "{}"), ["pipe.json", "folder"]),
}


def _cases() -> list[tuple[str, tuple[str, ...], str]]:
    cases = [(name, argv, dest) for name, argv in WRITERS.items() for dest in DESTINATIONS
             if not (name == "assign" and dest == "folder")]  # a folder is assign's -o
    cases += [(name, argv, src) for name, (argv, sources) in READERS.items()
              for src in sources]
    return cases


@pytest.mark.slow
def test_every_writer_refuses_the_project_its_side_files_pipes_and_system_files(
        held_project, monkeypatch, capsys):
    """Each writer and reader, pointed at each forbidden file. Pipes through the real CLI
    in a subprocess (a writer would wait on one for ever: the timeout fails it); the rest
    through the CLI's ``main`` in this process, which is quicker and the same code."""
    work, project = held_project
    before = snapshot(work.parent)
    monkeypatch.chdir(work)

    def judged(name: str, dest: str, rc: int, err: str) -> str | None:
        lines = err.strip().splitlines()
        if rc == 0 or "Traceback" in err or len(lines) != 1 \
                or not lines[0].startswith("error: ") or dest not in lines[0]:
            return f"{name} → {dest}: rc {rc}, {err.strip()!r}"
        return None

    def through_a_subprocess(case: tuple[str, tuple[str, ...], str]) -> str | None:
        name, argv, dest = case
        try:
            result = run_cli(*[a.replace("{}", dest) for a in argv], cwd=work)
        except subprocess.TimeoutExpired:
            return f"{name} → {dest}: still waiting after {TIMEOUT} s"
        return judged(name, dest, result.returncode, result.stderr)

    cases = _cases()
    pipes = [case for case in cases if case[2].startswith("pipe")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [f for f in pool.map(through_a_subprocess, pipes) if f]
    for name, argv, dest in cases:
        if dest.startswith("pipe"):
            continue
        capsys.readouterr()
        rc = cli([a.replace("{}", dest) for a in argv])
        failures.append(judged(name, dest, rc, capsys.readouterr().err))
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures)
    assert snapshot(work.parent) == before
    assert status_seen_by_another_process(project, 2) == "approved"


@pytest.mark.slow
def test_a_killed_holder_keeps_its_approval_after_every_writer_was_refused(held_project):
    """The report's case: ``labels P export P-wal`` while another process holds P."""
    work, project = held_project
    result = run_cli("labels", "P.assay", "export", "P.assay-wal", cwd=work)
    assert result.returncode == 1 and "-wal file" in result.stderr
    assert status_seen_by_another_process(project, 2) == "approved"


@pytest.mark.parametrize("name", ["../../outside", "a\nb", "x" * 300, "", "..", "a/b",
                                  "bell\x07", "rlo\u202eevil", "CON"])
def test_a_name_that_cannot_name_a_file_is_refused_in_one_sentence(name):
    with pytest.raises(AssayError) as caught:
        check_file_name(name, "reviewer name")
    assert "\n" not in str(caught.value) and "\x07" not in str(caught.value)


@pytest.mark.parametrize("name", ["ana", "Ana María", "李雷", "ben-2", "cy_o'neil", "v1.2"])
def test_ordinary_names_pass(name):
    assert check_file_name(f"  {name} ", "reviewer name") == name


@pytest.mark.slow
def test_a_project_named_to_escape_its_folder_is_refused_and_writes_nothing(tmp_path):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    result = run_cli("new", "P.assay", "--name", "../../outside", cwd=work)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot name a file" in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b"]


@pytest.mark.slow
@pytest.mark.parametrize("reviewer", ["x" * 300, "ana\nben", "../../ana"])
def test_assign_refuses_a_reviewer_name_that_cannot_name_a_file(tmp_path, reviewer):
    work = tmp_path / "w"
    work.mkdir()
    with Project.create(work / "P.assay", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text="Lithium from Chile.", title="one")])
    before = snapshot(tmp_path)
    result = run_cli("assign", "P.assay", "--reviewers", reviewer, "-o", "copies", cwd=work)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(tmp_path) == before


@pytest.mark.slow
def test_a_project_named_outside_before_this_check_hands_out_inside_its_folder(tmp_path):
    """A project whose name was set to ``../../outside`` (with sqlite3, or by an older
    Assay): the copies would have been written two folders up."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    with Project.create(work / "P.assay", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text="Lithium from Chile.", title="one")])
    conn = sqlite3.connect(work / "P.assay")
    with conn:
        conn.execute("UPDATE meta SET value = '../../outside' WHERE key = 'name'")
    conn.close()
    result = run_cli("assign", "P.assay", "--reviewers", "ana", "-o", "copies", cwd=work)
    # The copies are named after the project's file instead, inside the folder asked for.
    assert result.returncode == 0, result.stderr
    assert (work / "copies" / "P-ana.assay").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b"]


@pytest.mark.slow
def test_report_and_export_refuse_a_missing_folder_and_assign_makes_only_its_own(tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    with Project.create(work / "P.assay", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text="Lithium from Chile.", title="one")])
        p.approve_article(1, "ana")
    for argv in (("report", "P.assay", "-o", "new/r.html"),
                 ("export", "P.assay", "-f", "assay", "-o", "new/x.jsonl")):
        result = run_cli(*argv, cwd=work)
        assert result.returncode == 1
        assert "the folder new does not exist" in result.stderr
        assert not (work / "new").exists()
    result = run_cli("assign", "P.assay", "--all", "--reviewers", "ana", "-o", "deep/copies",
                     cwd=work)
    assert result.returncode == 1 and "the folder deep does not exist" in result.stderr
    result = run_cli("assign", "P.assay", "--all", "--reviewers", "ana", "-o", "copies",
                     cwd=work)
    assert result.returncode == 0, result.stderr
    assert "Made the folder copies" in result.stdout
    assert (work / "copies" / "P-ana.assay").is_file()
