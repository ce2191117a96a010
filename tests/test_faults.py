"""Faults and bad input in core and the CLI: kills, two writers, read-only, full disk, damage.

Every test works on real project files. Processes are real ``assay-cli`` runs
killed with SIGKILL (no cleanup runs) as soon as their own progress output shows
they are part-way; their stdout pipe is shrunk to one page and read one line at
a time, so a child that has not been killed yet blocks on a full pipe after a
bounded number of further steps and can never finish before the kill lands,
however loaded the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.cli import main as cli_main
from core.errors import ProjectError
from core.formats.importers import import_paths
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import SCHEMA_VERSION, Project
from core.store import faults as dbfaults
from tests.file_helpers import skip_unless_chmod_binds

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
needs_sigkill = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "core.cli", *args]


def text_of(i: int) -> str:
    return (f"Report {i}: Glencore shipped cobalt from the DRC to China in March "
            f"{2000 + i % 25}. Lithium output in Chile rose {i % 40}% after Albemarle "
            f"expanded, the IEA said.")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def start_child(args: list[str]) -> subprocess.Popen:
    """A child whose stdout is an unbuffered pipe of one page (where Linux allows it)."""
    child = subprocess.Popen(args, cwd=REPO, env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, bufsize=0)
    try:
        import fcntl

        fcntl.fcntl(child.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)
    except (ImportError, AttributeError, OSError):  # other systems: the default pipe
        pass
    return child


def kill_after_progress(child: subprocess.Popen, timeout: float = 120) -> int:
    """Read JSON lines until one reports work done, SIGKILL the child; returns that count."""
    deadline = time.monotonic() + timeout
    try:
        while True:
            assert time.monotonic() < deadline, "the child never reported progress"
            line = child.stdout.readline()  # one line at a time: the child stays throttled
            if not line:
                pytest.fail("the child ended before it was killed: "
                            + child.stderr.read().decode("utf-8", "replace"))
            message = json.loads(line)
            if message.get("event") == "progress" and message["done"] > 0:
                child.send_signal(signal.SIGKILL)
                break
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)  # reap it, so nothing holds the file any more
    assert child.returncode == -signal.SIGKILL
    return message["done"]


# --------------------------------------------------------------------------- kill -9


# One page of pipe holds at most ~87 progress lines: a child blocked on it is < 180 in.
ANNOTATE_N, ANNOTATE_BATCH = 200, 2


def annotation_state(path: Path) -> dict[int, tuple]:
    """Per article: the model that annotated it, its spans (no ids or times), tokens cached."""
    conn = sqlite3.connect(path)
    try:
        state = {}
        for article_id, model in conn.execute("SELECT id, model FROM articles ORDER BY id"):
            spans = conn.execute(
                'SELECT start, "end", label, text, origin, state, kb_id FROM spans '
                'WHERE article_id = ? ORDER BY start, "end"', (article_id,)).fetchall()
            tokens = conn.execute("SELECT offsets FROM article_tokens WHERE article_id = ?",
                                  (article_id,)).fetchone()
            state[article_id] = (model, tuple(spans), tokens[0] if tokens else None)
        return state
    finally:
        conn.close()


@pytest.mark.slow
@needs_sigkill
def test_annotate_killed_midway_keeps_whole_articles_and_resumes(tmp_path):
    from core.jobs.annotate import annotate_project
    from core.nlp.pipeline import load_annotator

    crash, reference = tmp_path / "crash.assay", tmp_path / "reference.assay"
    with Project.create(crash, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text_of(i), title=f"Report {i}")
                              for i in range(ANNOTATE_N)])
        labels = [lb.name for lb in project.labels()]
    shutil.copy(crash, reference)
    child = start_child(cli("annotate", str(crash), "--json-progress",
                            "--batch-size", str(ANNOTATE_BATCH)))
    # Meanwhile load the same pipeline here, for the rerun and the uninterrupted run.
    loaded: dict = {}
    loader = threading.Thread(target=lambda: loaded.update(annotator=load_annotator(labels)))
    loader.start()
    try:
        reported = kill_after_progress(child)
    finally:
        loader.join()
    annotator = loaded["annotator"]

    assert integrity(crash) == "ok"
    killed = annotation_state(crash)
    done = [i for i, (model, _, _) in killed.items() if model]
    # Whole batches only: the first k articles, k a multiple of the batch size.
    assert reported <= len(done) < ANNOTATE_N, "the kill should land part-way"
    assert done == sorted(killed)[:len(done)] and len(done) % ANNOTATE_BATCH == 0
    with Project.open(crash, rules=store_rules()) as project:
        logged = sum(len(e["payload"]["articles"]) for e in project.events()
                     if e["action"] == "annotate")
    assert logged == len(done)

    # The run that was never interrupted.
    with Project.open(reference, rules=store_rules()) as project:
        assert annotate_project(project, annotator).articles == ANNOTATE_N
    full = annotation_state(reference)
    assert all(model and spans and tokens for model, spans, tokens in full.values())
    for article_id, (model, spans, tokens) in killed.items():
        if model:  # annotated: all of its suggestions and its tokens, as a full run makes
            assert (model, spans, tokens) == full[article_id]
        else:  # not annotated: nothing of it at all
            assert spans == () and tokens is None

    # Run again: it does the rest, and only the rest.
    with Project.open(crash, rules=store_rules()) as project:
        assert annotate_project(project, annotator).articles == ANNOTATE_N - len(done)
    assert annotation_state(crash) == full
    assert integrity(crash) == "ok"


EXPORT_N = 300


def approved_project(path: Path, n: int) -> None:
    with Project.create(path, rules=store_rules()) as project:
        articles = []
        for i in range(n):
            text = text_of(i)
            start = text.index("cobalt")
            articles.append(ArticleIn(text=text, title=f"Report {i}", spans=(
                SpanIn(start, start + 6, "MINERAL", origin="imported", state="accepted"),)))
        project.add_articles(articles)
        for article_id in project.article_ids():
            project.approve_article(article_id, "ana")


def check_export(path: Path, n: int, tmp_path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == list(range(1, n + 1))
    for r in records:
        assert [(s["text"], s["label"]) for s in r["spans"]] == [("cobalt", "MINERAL")]
        assert r["text"][r["spans"][0]["start"]:r["spans"][0]["end"]] == "cobalt"
    # And it imports back.
    with Project.create(tmp_path / "reimported.assay", rules=store_rules()) as again:
        report = import_paths(again, [path])
        assert report.problems == [] and report.added == n
        assert again.counts_by_label(include_suggested=False)["MINERAL"] == n


@pytest.mark.slow
@needs_sigkill
@pytest.mark.parametrize("earlier_export", [False, True], ids=["new-file", "over-earlier"])
def test_export_killed_midway_leaves_no_file_under_the_final_name(tmp_path, earlier_export):
    source = tmp_path / "source.assay"
    approved_project(source, EXPORT_N)
    out = tmp_path / "out" / "train.jsonl"
    partial = out.with_name(out.name + ".partial")
    out.parent.mkdir()  # an export makes no missing folder (core.store.files)
    if earlier_export:
        out.write_text('{"an": "earlier, complete export"}\n', encoding="utf-8")
        before = digest(out)
    child = start_child(cli("export", str(source), "-f", "assay", "-o", str(out),
                            "--json-progress"))
    kill_after_progress(child)

    if earlier_export:
        assert digest(out) == before  # the earlier file is untouched
    else:
        assert not out.exists()
    assert integrity(source) == "ok"

    rerun = subprocess.run(cli("export", str(source), "-f", "assay", "-o", str(out)),
                           cwd=REPO, env=ENV, capture_output=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert not partial.exists()  # the leftover of the killed run was overwritten and renamed
    check_export(out, EXPORT_N, tmp_path)


# --------------------------------------------------------------------------- two writers


def small_project(path: Path, n: int = 4) -> None:
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text_of(i), title=f"Report {i}")
                              for i in range(n)])


def test_two_projects_on_one_file_interleave_without_losing_anything(tmp_path):
    path = tmp_path / "two.assay"
    small_project(path)
    a, b = Project.open(path, rules=store_rules()), Project.open(path, rules=store_rules())
    try:
        text = a.article_text(1)
        span = a.add_span(1, text.index("Glencore"), text.index("Glencore") + 8, "ORG", "ana")
        assert [s.id for s in b.spans(1)] == [span.id]  # B sees A's commit at once
        b.relabel_span(span.id, "PERSON", "bo")
        a.set_span_kb(span.id, "test:glencore", "ana")  # A re-reads: B's label is kept
        b.set_note(1, "check the date", "bo")
        a.approve_article(2, "ana")
        b.add_span(2, 0, 6, "EVENT", "bo")
        a.update_span(span.id, "ana", label="ORG")
    finally:
        a.close()
        b.close()
    with Project.open(path, rules=store_rules()) as project:
        final = project.span(span.id)
        assert (final.label, final.kb_id, final.state) == ("ORG", "test:glencore", "accepted")
        assert project.article(1).note == "check the date"
        assert project.article(2).status == "approved"
        assert [s.label for s in project.spans(2)] == ["EVENT"]
        assert len(project.events()) == 7 + 1  # seven edits and the import
        assert project.integrity_ok()


def test_a_writer_waits_for_the_other_and_says_busy_only_when_it_cannot(tmp_path):
    path = tmp_path / "busy.assay"
    small_project(path)
    a, b = Project.open(path, rules=store_rules()), Project.open(path, rules=store_rules())
    try:
        b.conn.execute("BEGIN IMMEDIATE")  # B is in the middle of a write
        release = threading.Timer(0.3, lambda: b.conn.execute("COMMIT"))
        release.start()
        a.set_note(1, "waited", "ana")  # blocks until B commits, then succeeds
        release.join()
        assert b.article(1).note == "waited"

        a.conn.execute("PRAGMA busy_timeout = 100")
        b.conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(ProjectError, match="busy: another program"):
            a.set_note(1, "too soon", "ana")
        b.conn.execute("COMMIT")
        a.set_note(1, "later", "ana")
    finally:
        a.close()
        b.close()
    with Project.open(path, rules=store_rules()) as project:
        assert project.article(1).note == "later"
        assert [e["payload"]["after"] for e in project.events()
                if e["action"] == "article.note"] == ["later", "waited"]


WRITER = """
import json, sys
from core.errors import AssayError
from core.nlp.store_rules import store_rules
from core.store import Project

path, who, shared, n, own = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
    [int(x) for x in sys.argv[5].split(",")]
ok, refused = [], []
with Project.open(path, rules=store_rules()) as project:
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for i in range(n):
        project.set_note(own[i % len(own)], f"{who} {i}", who)
        try:
            if who == "a":
                project.update_span(shared, who, label="ORG" if i % 2 else "PERSON")
            else:
                project.update_span(shared, who, kb_id=f"test:{i}")
            ok.append(i)
        except AssayError as exc:
            refused.append(str(exc))
print(json.dumps({"ok": ok, "refused": refused}), flush=True)
"""


@pytest.mark.slow
def test_two_writer_processes_lose_no_write(tmp_path):
    """Both hammer one entity (A its label, B its link) and their own notes at the same time."""
    path = tmp_path / "race.assay"
    small_project(path, 6)
    with Project.open(path, rules=store_rules()) as project:
        text = project.article_text(1)
        shared = project.add_span(1, text.index("Glencore"), text.index("Glencore") + 8,
                                  "ORG", "setup").id
    n = 60
    own = {"a": "2,3", "b": "4,5"}
    children = {who: subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), who, str(shared), str(n), own[who]],
        cwd=REPO, env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for who in ("a", "b")}
    for child in children.values():
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
    for child in children.values():
        child.stdin.write("go\n")
        child.stdin.flush()
    results = {}
    for who, child in children.items():
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results[who] = json.loads(out.strip().splitlines()[-1])

    with Project.open(path, rules=store_rules()) as project:
        for who in ("a", "b"):  # every note landed, the last one of each article stays
            notes = [e for e in project.events() if e["action"] == "article.note"
                     and e["reviewer"] == who]
            assert len(notes) == n
            for k, article_id in enumerate(int(x) for x in own[who].split(",")):
                last = max(i for i in range(n) if i % 2 == k)
                assert project.article(article_id).note == f"{who} {last}"
        final = project.span(shared)
        last_a, last_b = results["a"]["ok"][-1], results["b"]["ok"][-1]
        assert final.label == ("ORG" if last_a % 2 else "PERSON")  # A's last label stands
        assert final.kb_id == f"test:{last_b}"  # and so does B's last link
        updates = [e for e in project.events() if e["action"] == "span.update"]
        assert len(updates) == len(results["a"]["ok"]) + len(results["b"]["ok"])
        assert project.integrity_ok()
    for who in ("a", "b"):  # a refused edit (the other changed it first) says so
        assert all("changed by another window or process" in r for r in results[who]["refused"])


# --------------------------------------------------------------------------- read-only


def test_read_only_open_reads_everything_and_refuses_every_write(tmp_path):
    path = tmp_path / "ro.assay"
    small_project(path)
    with Project.open(path, rules=store_rules()) as writer:
        text = writer.article_text(1)
        span = writer.add_span(1, text.index("cobalt"), text.index("cobalt") + 6, "MINERAL", "a")
    before = digest(path)
    with Project.open(path, read_only=True, rules=store_rules()) as project:
        assert project.read_only
        assert project.count_articles() == 4 and project.spans(1)[0].text == "cobalt"
        assert project.search("lithium") and project.integrity_problems() == []
        writes = [
            lambda: project.set_note(1, "x", "ana"),
            lambda: project.add_span(2, 0, 6, "EVENT", "ana"),
            lambda: project.relabel_span(span.id, "ORG", "ana"),
            lambda: project.approve_article(1, "ana"),
            lambda: project.add_articles([ArticleIn(text="New article about nickel.")]),
            lambda: project.store_annotations([(2, [SpanIn(0, 6, "EVENT")], None)], "m"),
            lambda: project.add_label("NEW", "#123456"),
        ]
        for write in writes:
            with pytest.raises(ProjectError, match="is open read-only: the change was not saved"):
                write()
        assert project.count_articles() == 4 and project.article(1).note == ""
    assert digest(path) == before


def test_read_only_open_refuses_a_project_that_needs_upgrading(tmp_path):
    path = tmp_path / "old.assay"
    small_project(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")  # as an older Assay left it
    conn.close()
    with pytest.raises(ProjectError, match="made by an older Assay and must be upgraded"):
        Project.open(path, read_only=True, rules=store_rules())
    # A writable open upgrades it as before.
    with Project.open(path, rules=store_rules()) as project:
        assert project.schema_version == SCHEMA_VERSION and project.count_articles() == 4


def test_chmod_444_project_reads_and_refuses_writes_clearly(tmp_path):
    path = tmp_path / "locked.assay"
    small_project(path)
    path.chmod(0o444)
    try:
        skip_unless_chmod_binds(path, "read-only opening is covered by the mode=ro tests")
        before = digest(path)
        with Project.open(path, rules=store_rules()) as project:
            assert project.count_articles() == 4
            with pytest.raises(ProjectError, match="is read-only: the change was not saved"):
                project.set_note(1, "x", "ana")
        with Project.open(path, read_only=True, rules=store_rules()) as project:
            assert project.article(1).note == ""
        assert digest(path) == before
    finally:
        path.chmod(0o644)


# --------------------------------------------------------------------------- full disk


def test_full_disk_refuses_the_change_clearly_and_loses_nothing(tmp_path):
    path = tmp_path / "full.assay"
    small_project(path)
    with Project.open(path, rules=store_rules()) as project:
        events = len(project.events())
        pages = project.conn.execute("PRAGMA page_count").fetchone()[0]
        # The connection may not grow the file: every insert that needs a page fails with
        # SQLITE_FULL, exactly as on a full disk.
        project.conn.execute(f"PRAGMA max_page_count = {pages}")
        big = "Nickel output rose. " * 5000
        with pytest.raises(ProjectError, match="is full: the change was not saved"):
            project.add_articles([ArticleIn(text=big, title="big")])
        with pytest.raises(ProjectError, match="is full"):
            project.set_note(1, big, "ana")
        assert project.count_articles() == 4
        assert project.article(1).note == "" and len(project.events()) == events
        assert project.integrity_ok()
        project.conn.execute("PRAGMA max_page_count = 1073741823")  # space again
        project.set_note(1, big, "ana")
        assert project.add_articles([ArticleIn(text=big, title="big")]).added == 1
    with Project.open(path, rules=store_rules()) as project:
        assert project.count_articles() == 5 and project.article(1).note == big


# --------------------------------------------------------------------------- bad files


def sqlite_but_not_assay(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes(name TEXT)")
    conn.commit()
    conn.close()


BAD_FILES = {
    "text file": (lambda p: p.write_text("Lithium prices fell.\n", encoding="utf-8"),
                  "not an Assay project: it is not a SQLite database"),
    "zero bytes": (lambda p: p.write_bytes(b""), r"is empty \(0 bytes\)"),
    "blank text": (lambda p: p.write_text("\n\n   \n", encoding="utf-8"),
                   "looks like an empty text file"),
    "header only": (lambda p: p.write_bytes(dbfaults.SQLITE_MAGIC + b"\0" * 84),
                    "is damaged: it is cut short"),
    "other sqlite": (sqlite_but_not_assay, "a SQLite database but not an Assay project"),
    "folder": (lambda p: p.mkdir(), "is a folder, not an Assay project file"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_is_not_a_project_is_refused_clearly_and_left_alone(tmp_path, kind):
    path = tmp_path / "bad.assay"
    make, message = BAD_FILES[kind]
    make(path)
    before = None if path.is_dir() else digest(path)
    for read_only in (False, True):
        with pytest.raises(ProjectError, match=message):
            Project.open(path, read_only=read_only, rules=store_rules())
    if before is not None:
        assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()
                  if not p.name.endswith(("-wal", "-shm"))) == ["bad.assay"]


def corrupt_middle(path: Path, marker: bytes | None = None) -> None:
    """Overwrite one page in the middle (or the page holding ``marker``) with garbage."""
    data = path.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    at = data.index(marker) if marker else len(data) // 2
    with path.open("r+b") as fh:
        fh.seek(at // page * page)
        fh.write(bytes((i * 151 + 7) % 256 for i in range(page)))


def test_a_damaged_small_project_is_refused_on_open_and_left_alone(tmp_path):
    path = tmp_path / "damaged.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=text_of(i) * 5) for i in range(300)])
    corrupt_middle(path)
    before = digest(path)
    for read_only in (False, True):
        with pytest.raises(ProjectError, match="is damaged .*restore it from a backup"):
            Project.open(path, read_only=read_only, rules=store_rules())
    assert digest(path) == before
    assert cli_main(["check", str(path)]) == 1


MARKER = "Zqxjv-unique-marker"


@pytest.fixture(scope="module")
def big_damaged(tmp_path_factory) -> tuple[Path, int]:
    """A project too big for the full check on open, with the page of one article damaged."""
    path = tmp_path_factory.mktemp("big") / "big.assay"
    body = " Lithium and cobalt shipments from the DRC rose while nickel fell." * 30
    n = 4500
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=f"Article {i}." + body + (
            f" {MARKER}" if i == n // 2 else ""), title=f"Article {i}") for i in range(n)])
        damaged = project.search(MARKER)[0]
    assert path.stat().st_size > dbfaults.QUICK_CHECK_MAX_BYTES
    corrupt_middle(path, MARKER.encode())
    return path, damaged


def test_damage_found_after_opening_is_a_clear_error_not_a_traceback(
        big_damaged, tmp_path, capsys):
    source, damaged = big_damaged
    path = tmp_path / "big.assay"
    shutil.copy(source, path)
    # The cheap check on open does not read that page.
    with Project.open(path, rules=store_rules()) as project:
        assert project.article(1).title == "Article 0"
        with pytest.raises(ProjectError, match="is damaged .*restore it from a backup"):
            project.article(damaged)
        assert project.article(damaged - 200).title  # the rest still reads
        with pytest.raises(ProjectError, match="is damaged"):
            project.list_articles(limit=10_000)
        assert project.integrity_problems()  # "Check project" finds it
    assert cli_main(["check", str(path)]) == 1
    assert "is damaged: SQLite's integrity check found" in capsys.readouterr().err
    # A CLI command that trips over it prints one line, no traceback.
    code = cli_main(["export", str(path), "-f", "csv", "-o", str(tmp_path / "x.csv"),
                     "--status", "all"])
    err = capsys.readouterr().err
    # (a progress line may come first: export reads and checks in one pass now)
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 1 and len(errors) == 1 and errors[0].startswith("error: The project file")
    assert err.rstrip().splitlines()[-1] == errors[0] and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_check_command_on_a_sound_project(tmp_path, capsys):
    path = tmp_path / "fine.assay"
    small_project(path)
    assert cli_main(["check", str(path)]) == 0
    assert "ok (SQLite integrity check passed)" in capsys.readouterr().out

