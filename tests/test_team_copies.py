"""Team work that cannot be faked (issue 23): the project records what it hands out and
merge trusts only that record; a copy is blind to the lead's decisions unless a second
opinion is asked for, and says so in the agreement; every value of a copy meets the
store's rules; a copy is read in one transaction, with all its events; reviewer names
are checked before they become file names and cleaned before they reach a terminal.

Copies are made and merged with the real CLI (a subprocess, as a lead would run it) and
forged with the sqlite3 module, as a hostile reviewer would."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.schema import SCHEMA_VERSION

REPO = Path(__file__).parents[1]


def text_of(i: int) -> str:
    return (f"Report {i}: Chile and Peru sold 4{i},000 tonnes of lithium to Japan in 2024, "
            "the IEA said.")


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=180)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(done: subprocess.CompletedProcess, *words: str) -> str:
    """Refused as a user reads it: rc != 0, one line on stderr, no traceback."""
    assert done.returncode != 0, done.stdout
    err = done.stderr.strip()
    assert "Traceback" not in done.stderr and len(err.splitlines()) == 1, done.stderr
    for word in words:
        assert word in err, err
    return err


@pytest.fixture
def origin(tmp_path) -> Path:
    """Four articles with the model's suggestions (Chile GPE, Peru LOC, lithium MINERAL)
    and the rules' claim; the lead has decided article 1: Chile accepted and linked by
    hand, Peru relabelled GPE, lithium rejected, Japan added, the claim supported with a
    note, the article approved with a note."""
    path = tmp_path / "team.assay"
    with Project.create(path, name="team", rules=store_rules()) as p:
        p.add_articles([ArticleIn(text=text_of(i), title=f"R{i}", spans=(
            SpanIn(*at(text_of(i), "Chile"), "GPE"), SpanIn(*at(text_of(i), "Peru"), "LOC"),
            SpanIn(*at(text_of(i), "lithium"), "MINERAL"))) for i in range(1, 5)])
        for article_id in p.article_ids():
            p.suggest_claims(article_id, "rules")
        spans = {s.text: s for s in p.spans(1)}
        p.update_span(spans["Chile"].id, "lead", state="accepted", kb_id="org:lead-picked")
        p.relabel_span(spans["Peru"].id, "GPE", "lead")
        p.reject_span(spans["lithium"].id, "lead")
        p.add_span(1, *at(text_of(1), "Japan"), "GPE", "lead")
        (claim,) = p.claims(1)
        p.update_claim(claim.id, "lead", verdict="supported", note="checked by the lead")
        p.set_note(1, "lead's note", "lead")
        p.approve_article(1, "lead")
    return path


def approve_all(copy_path: Path, reviewer: str) -> None:
    """A reviewer's work in their copy, through the store as the window does."""
    with Project.open(copy_path, rules=store_rules()) as copy:
        for article_id in copy.article_ids():
            copy.approve_article(article_id, reviewer, seconds=12.5)


def forge(path: Path, *sql: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in sql:
            conn.execute(statement, params if "?" in statement else ())
        conn.commit()
    finally:
        conn.close()


def meta(path: Path, key: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]
    finally:
        conn.close()


# ---- 1. forged copies


@pytest.fixture
def handed(origin, tmp_path) -> dict[str, Path]:
    """The three pending articles dealt to ana and ben (no overlap) by the real CLI; each
    approves hers or his in their copy."""
    out = tmp_path / "copies"
    done = cli("assign", origin, "--reviewers", "ana,ben", "--overlap", "0", "-o", out)
    assert done.returncode == 0, done.stderr
    paths = {r: out / f"team-{r}.assay" for r in ("ana", "ben")}
    for reviewer, path in paths.items():
        approve_all(path, reviewer)
    return paths


@pytest.mark.slow
def test_assign_records_what_it_handed_out_in_the_project(origin, tmp_path):
    out = tmp_path / "copies"
    done = cli("assign", origin, "--reviewers", "ana,ben", "-o", out, "--reviewer", "lead")
    assert done.returncode == 0, done.stderr
    with Project.open(origin, rules=store_rules()) as p:
        for reviewer in ("ana", "ben"):
            path = out / f"team-{reviewer}.assay"
            record = p.handed_out(meta(path, "copy_id"))
            assert record.reviewer == reviewer and record.handed_by == "lead"
            assert sorted(sha for _id, sha in record.articles) == sorted(
                json.loads(meta(path, "copy_articles")))
            assert record.digest == meta(path, "copy_digest")
        assign = [e for e in p.events() if e["action"] == "assign"]
        assert len(assign) == 1 and {c["reviewer"] for c in assign[0]["payload"]["copies"]} \
            == {"ana", "ben"}


def _relabelled_as_ben(copy: Path, handed: dict[str, Path]) -> None:
    forge(copy, "UPDATE meta SET value = 'ben' WHERE key = 'copy_reviewer'",
          "UPDATE articles SET reviewed_by = 'ben'")


def _an_article_not_given(copy: Path, handed: dict[str, Path]) -> None:
    """ben's article slipped into ana's copy, and its SHA-256 into her list."""
    ben = sqlite3.connect(handed["ben"])
    text, sha, title = ben.execute("SELECT text, sha256, title FROM articles").fetchone()
    ben.close()
    listed = json.loads(meta(copy, "copy_articles")) + [sha]
    forge(copy, "INSERT INTO articles(title, text, sha256, status, note, reviewed_by) "
          "VALUES (?, ?, ?, 'approved', '', 'ana')", params=(title, text, sha))
    forge(copy, "UPDATE meta SET value = ? WHERE key = 'copy_articles'",
          params=(json.dumps(sorted(listed)),))


def _a_new_copy_id(copy: Path, handed: dict[str, Path]) -> None:
    forge(copy, "UPDATE meta SET value = ? WHERE key = 'copy_id'", params=(uuid.uuid4().hex,))


def _bens_copy_id(copy: Path, handed: dict[str, Path]) -> None:
    forge(copy, "UPDATE meta SET value = ? WHERE key = 'copy_id'",
          params=(meta(handed["ben"], "copy_id"),))
    _relabelled_as_ben(copy, handed)


def _a_forged_digest(copy: Path, handed: dict[str, Path]) -> None:
    forge(copy, "UPDATE meta SET value = '1' WHERE key = 'copy_shows_decisions'")


@pytest.mark.parametrize("how,words", [
    (_relabelled_as_ben, ("handed out to ana",)),
    (_an_article_not_given, ("list of articles",)),
    (_a_new_copy_id, ("never handed out",)),
    (_bens_copy_id, ("list of articles",)),
    (_a_forged_digest, ("digest",)),
])
@pytest.mark.slow
def test_a_forged_copy_is_refused_and_the_project_is_untouched(origin, handed, tmp_path, how,
                                                               words):
    forged = tmp_path / "forged.assay"
    shutil.copy(handed["ana"], forged)
    how(forged, handed)
    before = digest(origin)
    assert_refused(cli("merge", origin, forged), "Cannot merge forged.assay", *words)
    assert digest(origin) == before
    # The honest copies still merge, each as its own reviewer's.
    done = cli("merge", origin, handed["ana"], handed["ben"])
    assert done.returncode == 0, done.stderr
    with Project.open(origin, rules=store_rules()) as p:
        assert {v.reviewer for v in p.versions()} == {"ana", "ben"}
        for v in p.versions():
            assert v.copy_id == meta(handed[v.reviewer], "copy_id")


# ---- 2. blind copies


@pytest.mark.slow
def test_a_copy_carries_the_suggestions_as_made_never_the_leads_decisions(origin, tmp_path):
    out = tmp_path / "copies"
    done = cli("assign", origin, "--reviewers", "ana", "--overlap", "1", "--all", "-o", out)
    assert done.returncode == 0, done.stderr
    with Project.open(out / "team-ana.assay", rules=store_rules()) as copy:
        first = next(a for a in copy.article_ids() if copy.article(a).title == "R1")
        art = copy.article(first)
        assert (art.status, art.note, art.reviewed_by) == ("pending", "", None)
        spans = [(s.text, s.label, s.state, s.origin) for s in copy.spans(first)]
        assert spans == [("Chile", "GPE", "suggested", "model"),
                         ("Peru", "LOC", "suggested", "model"),
                         ("lithium", "MINERAL", "suggested", "model")]
        assert "org:lead-picked" not in {s.kb_id for s in copy.spans(first)}
        (claim,) = copy.claims(first)
        assert (claim.state, claim.verdict, claim.note) == ("suggested", "unchecked", "")
        assert meta(out / "team-ana.assay", "copy_shows_decisions") == "0"


@pytest.mark.slow
def test_a_second_opinion_is_asked_for_and_named_in_the_agreement(origin, tmp_path):
    out = tmp_path / "copies"
    done = cli("assign", origin, "--reviewers", "ana,ben", "--overlap", "1", "--all",
               "--show-decisions", "-o", out)
    assert done.returncode == 0, done.stderr
    assert "second opinions" in done.stdout
    with Project.open(out / "team-ana.assay", rules=store_rules()) as copy:
        first = next(a for a in copy.article_ids() if copy.article(a).title == "R1")
        assert {(s.text, s.label, s.state) for s in copy.spans(first)} == {
            ("Chile", "GPE", "accepted"), ("Peru", "GPE", "accepted"),
            ("Japan", "GPE", "accepted")}
    for reviewer in ("ana", "ben"):
        approve_all(out / f"team-{reviewer}.assay", reviewer)
    merged = cli("merge", origin, out / "team-ana.assay", out / "team-ben.assay")
    assert merged.returncode == 0 and "second opinion" in merged.stdout
    text = cli("agreement", origin)
    assert "Not independent: ana, ben" in text.stdout and "(not independent)" in text.stdout
    report = json.loads(cli("agreement", origin, "--json").stdout)
    assert report["second_opinions"] == ["ana", "ben"]
    assert report["pairs"][0]["independent"] is False


def test_the_window_hands_out_a_second_opinion_only_when_asked(qtbot, origin, tmp_path):
    from gui.teams.agreement_view import AgreementDialog
    from gui.teams.dialogs import merge_copies
    from tests.gui_helpers import open_window

    win = open_window(qtbot, tmp_path, origin)
    for shows, folder in ((False, "blind"), (True, "second")):
        win.act_hand_out.trigger()
        dialog = win.hand_out_dialog
        qtbot.waitUntil(dialog.isVisible)
        qtbot.keyClicks(dialog.reviewers, "ana, ben")
        dialog.include_decided.setChecked(True)
        dialog.show_decisions.setChecked(shows)
        dialog.folder.setText(str(tmp_path / folder))
        dialog.hand_out()
        copy = tmp_path / folder / "team-ana.assay"
        assert meta(copy, "copy_shows_decisions") == ("1" if shows else "0")
        assert win.project.handed_out(meta(copy, "copy_id")).shows_decisions is shows
    for reviewer in ("ana", "ben"):
        approve_all(tmp_path / "second" / f"team-{reviewer}.assay", reviewer)
    job = merge_copies(win, [str(tmp_path / "second" / f"team-{r}.assay")
                             for r in ("ana", "ben")])
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert "(a second opinion)" in win.statusBar().currentMessage()
    agreement = AgreementDialog(win)
    assert "Not independent: ana, ben" in agreement.summary.text()
    agreement.close()
    win.close()


def test_a_blind_copy_keeps_suggestions_apart(origin, tmp_path):
    """A suggestion the lead rejected and a later one at its place: the copy carries the
    live one (a copy, like every project, holds no overlapping live spans)."""
    from core.teams.assign import hand_out

    with Project.open(origin, rules=store_rules()) as p:
        text = p.article_text(2)
        chile = next(s for s in p.spans(2) if s.text == "Chile")
        p.reject_span(chile.id, "lead")
        p.add_span(2, chile.start, chile.end + 4, "LOC", "rerun", origin="model",
                   state="suggested")
        paths = hand_out(p, ["ana"], tmp_path / "copies", overlap=1.0)
    with Project.open(paths["ana"], rules=store_rules()) as copy:
        second = next(a for a in copy.article_ids() if copy.article(a).title == "R2")
        assert [(s.text, s.label) for s in copy.spans(second)][:2] == [
            (text[chile.start:chile.end + 4], "LOC"), ("Peru", "LOC")]


# ---- 3. every value of a copy meets the store's rules

ONE = "(SELECT min(id) FROM articles)"
CLAIM = ("INSERT INTO claims(article_id, start, \"end\", verdict, evidence_url, note, state, "
         "origin, reason) VALUES ({a}, {start}, {end}, '{verdict}', '', '', '{state}', "
         "'reviewer', '')")
FORGERIES = {
    "overlapping accepted spans": [
        "INSERT INTO spans(article_id, start, \"end\", label, text, origin, state) "
        "SELECT article_id, start, start + 3, label, substr(text, 1, 3), 'reviewer', "
        f"'accepted' FROM spans WHERE article_id = {ONE} ORDER BY start LIMIT 1"],
    "span state bogus": ["UPDATE spans SET state = 'bogus' WHERE id = (SELECT min(id) "
                         "FROM spans)"],
    "span origin unknown": ["UPDATE spans SET origin = 'wizard' WHERE id = (SELECT min(id) "
                            "FROM spans)"],
    "span offset as REAL": ["UPDATE spans SET start = start + 0.5 WHERE id = (SELECT min(id) "
                            "FROM spans)"],
    "span text not the text's": ["UPDATE spans SET text = 'Bolivia' WHERE id = "
                                 "(SELECT min(id) FROM spans)"],
    "kb_id the id rule refuses": ["UPDATE spans SET kb_id = 'not an id!' WHERE id = "
                                  "(SELECT min(id) FROM spans)"],
    "claim verdict <script>": [CLAIM.format(a=ONE, start=0, end=6, verdict="<script>",
                                            state="accepted")],
    "claim state unknown": [CLAIM.format(a=ONE, start=0, end=6, verdict="unchecked",
                                         state="maybe")],
    "claim offset as REAL": [CLAIM.format(a=ONE, start=0.5, end=6, verdict="unchecked",
                                          state="accepted")],
    "status APPROVED": [f"UPDATE articles SET status = 'APPROVED' WHERE id = {ONE}"],
    "seconds as a BLOB": [f"UPDATE articles SET review_seconds = x'00ff' WHERE id = {ONE}"],
    "a duplicated article row": [
        "DROP INDEX idx_articles_sha256",
        "INSERT INTO articles(title, source, url, published, text, sha256, status, note, "
        "reviewed_by) SELECT title, source, url, published, text, sha256, status, note, "
        f"reviewed_by FROM articles WHERE id = {ONE}"],
    "a table it must have dropped": ["DROP TABLE events"],
    "an event that is not JSON": [
        "INSERT INTO events(at, reviewer, article_id, action, payload) VALUES "
        f"('2026-12-07', 'ana', {ONE}, 'span.update', '{{not json')"],
    "an event 100,000 levels deep": [
        "INSERT INTO events(at, reviewer, article_id, action, payload) VALUES "
        f"('2026-12-07', 'ana', {ONE}, 'span.update', "
        f"'{{\"a\": {'[' * 100_000}{']' * 100_000}}}')"],
}


@pytest.fixture
def reviewed_copy(origin, tmp_path) -> Path:
    out = tmp_path / "copies"
    done = cli("assign", origin, "--reviewers", "ana", "--overlap", "1", "-o", out)
    assert done.returncode == 0, done.stderr
    approve_all(out / "team-ana.assay", "ana")
    return out / "team-ana.assay"


@pytest.mark.slow
@pytest.mark.parametrize("what", list(FORGERIES))
def test_a_copy_with_a_value_no_edit_could_make_is_refused_whole(origin, reviewed_copy,
                                                                 tmp_path, what):
    forged = tmp_path / "forged.assay"
    shutil.copy(reviewed_copy, forged)
    forge(forged, *FORGERIES[what])
    before = digest(origin)
    assert_refused(cli("merge", origin, forged), "Cannot merge forged.assay", "Nothing was merged")
    assert digest(origin) == before
    assert cli("merge", origin, reviewed_copy).returncode == 0  # the honest one merges


# ---- 4. torn reads


@pytest.mark.slow
def test_a_copy_written_while_merging_is_read_as_one_moment(origin, reviewed_copy,
                                                            monkeypatch):
    """ana's window undoes her approval of an article (pending again, its spans suggested)
    in another process exactly while merge reads the copy's spans: merge must see the copy
    as it was at one moment, never "approved" with "suggested" spans."""
    from core.teams.merge import merge_copy

    undo = ("import sys; from core.store import Project\n"
            "from core.nlp.store_rules import store_rules\n"
            "with Project.open(sys.argv[1], rules=store_rules()) as c:\n"
            "    a = min(c.article_ids())\n"
            "    ids = [s.id for s in c.spans(a) if s.state == 'accepted']\n"
            "    c.set_article_status(a, 'pending', 'ana', resuggest=ids)\n")
    real_connect = sqlite3.connect
    seen = {"articles": False, "wrote": False}

    def when_spans_are_read(sql: str) -> None:
        if "FROM articles" in sql:
            seen["articles"] = True
        elif "FROM spans" in sql and seen["articles"] and not seen["wrote"]:
            seen["wrote"] = True
            subprocess.run([sys.executable, "-c", undo, str(reviewed_copy)], cwd=REPO,
                           check=True, timeout=120)

    def connect(target, *args, **kwargs):
        conn = real_connect(target, *args, **kwargs)
        if reviewed_copy.name in str(target):
            conn.set_trace_callback(when_spans_are_read)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    with Project.open(origin, rules=store_rules()) as p:
        merge_copy(p, reviewed_copy)
        monkeypatch.undo()
        assert seen["wrote"]
        versions = p.versions()
    with Project.open(reviewed_copy, rules=store_rules()) as copy:  # the other process did write
        assert copy.article(min(copy.article_ids())).status == "pending"
    assert len(versions) == 3  # as the copy was when merge began: all approved
    for v in versions:
        assert v.status == "approved" and {s.state for s in v.spans} <= {"accepted",
                                                                         "rejected"}


# ---- 5. every event of a copy


@pytest.mark.slow
def test_a_copy_keeps_all_its_events_past_ten_thousand(origin, reviewed_copy):
    from core.teams.merge import merge_copy

    conn = sqlite3.connect(reviewed_copy)
    first = conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    conn.executemany("INSERT INTO events(at, reviewer, article_id, action, payload) VALUES "
                     "(?, 'ana', ?, 'article.note', ?)",
                     [(f"2026-12-07T00:{i // 60 % 60:02}:{i % 60:02}", first,
                       json.dumps({"before": "", "after": f"note {i}"}))
                      for i in range(10_050)])
    conn.commit()
    n = conn.execute("SELECT count(*) FROM events WHERE article_id = ?", (first,)).fetchone()[0]
    conn.close()
    with Project.open(origin, rules=store_rules()) as p:
        merge_copy(p, reviewed_copy)
        (version,) = [v for v in p.versions() if len(v.events) > 10]
    assert len(version.events) == n > 10_050


# ---- 6. reviewer names


@pytest.mark.parametrize("name", ["ana\x1b[2J", "b\u202eob", "x" * 300, "ana/../../x", ".ana",
                                  "a\u200bna", "cy\tdee", "c:d"])
@pytest.mark.slow
def test_a_reviewer_name_that_steers_a_terminal_or_a_path_is_refused(origin, tmp_path, name):
    before = digest(origin)
    err = assert_refused(cli("assign", origin, "--reviewers", f"ben,{name}", "-o",
                             tmp_path / "copies"))
    assert "\x1b" not in err and "\u202e" not in err
    assert not (tmp_path / "copies").exists() and digest(origin) == before


@pytest.mark.slow
def test_a_newline_in_a_name_is_refused_too(origin, tmp_path):
    assert_refused(cli("assign", origin, "--reviewers", "ana\nben", "-o", tmp_path / "c"),
                   "line break")
    assert not (tmp_path / "c").exists()


@pytest.mark.slow
def test_merge_output_is_one_clean_line_per_copy(origin, reviewed_copy, tmp_path):
    hostile = tmp_path / "team-ana\x1b[2J\u202e.assay"
    shutil.copy(reviewed_copy, hostile)
    done = cli("merge", origin, hostile)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert len(done.stdout.strip().splitlines()) == 1 and "ana's 3 articles (3 new" in done.stdout
    forged = tmp_path / "forged.assay"
    shutil.copy(reviewed_copy, forged)
    forge(forged, "UPDATE meta SET value = 'ben\x1b]0;pwned\x07\u202e' "
          "WHERE key = 'copy_reviewer'")
    err = assert_refused(cli("merge", origin, forged))
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err


# ---- the schema


@pytest.mark.slow
def test_a_project_of_schema_9_gets_the_record_and_its_old_copies_are_refused(origin,
                                                                              tmp_path):
    out = tmp_path / "copies"
    assert cli("assign", origin, "--reviewers", "ana", "-o", out).returncode == 0
    approve_all(out / "team-ana.assay", "ana")
    forge(origin, "DROP TABLE handed_out_articles", "DROP TABLE handed_out",
          "PRAGMA user_version = 9")
    with Project.open(origin, rules=store_rules()) as p:
        assert p.schema_version == SCHEMA_VERSION and p.handed_out(meta(
            out / "team-ana.assay", "copy_id")) is None
    assert_refused(cli("merge", origin, out / "team-ana.assay"), "never handed out",
                   "handed out again")
