"""Adjudication keeps the curator's work: one settle rule for ``assay-cli adjudicate auto``
and the window, taking a version takes the reviewer's decision, the versions follow label
renames and merges, and ``-f versions`` filters the versions themselves.

Every project here is made the way a team makes it: ``assay-cli assign`` hands out
copies, the reviewers work in them through the store (as the window does), and
``assay-cli merge`` takes them back, all through the real command line in a process of its
own."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.store import Project

TEXTS = [f"Report {i}: Chile and Peru sell lithium to Japan, the IEA said." for i in range(4)]
HOSTILE = "ana\x1b[31m\u202eRED\nfake line"


def find(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def assay_cli(*args: str) -> subprocess.CompletedProcess:
    """The installed ``assay-cli`` (the user's command), in a process of its own."""
    script = Path(sys.executable).with_name("assay-cli")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "core.cli"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parents[1])


def ok(*args: str) -> str:
    done = assay_cli(*args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def work(copy_path: Path, reviewer: str, *, add_japan: bool = False,
         reject_last: bool = False) -> None:
    """A reviewer's work in their copy, through the store as the window does it."""
    with Project.open(copy_path, rules=store_rules()) as copy:
        ids = copy.article_ids()
        for article_id in ids:
            text = copy.article_text(article_id)
            if add_japan:
                copy.add_span(article_id, *find(text, "Japan"), "GPE", reviewer)
            if reject_last and article_id == ids[-1]:
                copy.reject_article(article_id, reviewer)
            else:
                copy.approve_article(article_id, reviewer)


def make_team(tmp_path: Path, names: tuple[str, str] = ("ana", "ben")) -> Path:
    """Four pending articles with suggestions, handed out to two reviewers (all shared),
    reviewed and merged back through the CLI. The first reviewer also marks Japan, so the
    versions differ on every article; the second rejects the last article."""
    origin = tmp_path / "team.assay"
    with Project.create(origin, name="team", rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=t, title=f"R{i}", spans=(
            SpanIn(*find(t, "Chile"), "GPE"), SpanIn(*find(t, "Peru"), "GPE"),
            SpanIn(*find(t, "lithium"), "MINERAL"), SpanIn(*find(t, "IEA"), "ORG")))
            for i, t in enumerate(TEXTS)])
    ok("assign", origin, "--reviewers", ",".join(names), "--overlap", "1", "-o",
       tmp_path / "out")
    copies = sorted((tmp_path / "out").glob("*.assay"))
    first = next(c for c in copies if c.stem.endswith(names[0]))
    second = next(c for c in copies if c.stem.endswith(names[1]))
    work(first, names[0], add_japan=True)
    work(second, names[1], reject_last=True)
    ok("merge", origin, *copies, "--reviewer", "lead")
    return origin


def curate(origin: Path) -> None:
    """The lead's own decisions in article 1, still pending: Chile accepted, the IEA
    rejected, Peru relabelled LOC, Japan added as LOC (lithium left a suggestion)."""
    with Project.open(origin, rules=store_rules()) as project:
        spans = {s.text: s for s in project.spans(1)}
        project.update_span(spans["Chile"].id, "lead", state="accepted")
        project.update_span(spans["IEA"].id, "lead", state="rejected")
        project.relabel_span(spans["Peru"].id, "LOC", "lead")
        project.add_span(1, *find(TEXTS[0], "Japan"), "LOC", "lead")


def curated(origin: Path) -> dict[int, list[tuple[str, str, str]]]:
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        return {a: sorted((s.text, s.label, s.state) for s in project.spans(a))
                for a in project.article_ids()}


LEADS = [("Chile", "GPE", "accepted"), ("IEA", "ORG", "rejected"),
         ("Japan", "LOC", "accepted"), ("Peru", "LOC", "accepted"),
         ("lithium", "MINERAL", "suggested")]
AGREED = [("Chile", "GPE", "accepted"), ("IEA", "ORG", "accepted"),
          ("Peru", "GPE", "accepted"), ("lithium", "MINERAL", "accepted")]


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Path:
    """The merged team project with the lead's decisions in article 1 (made once; each
    test works on a copy of the closed file)."""
    origin = make_team(tmp_path_factory.mktemp("team"))
    curate(origin)
    return origin


def copy_of(team: Path, tmp_path: Path, name: str = "p.assay") -> Path:
    path = tmp_path / name
    shutil.copyfile(team, path)
    return path


@pytest.mark.slow
def test_auto_keeps_every_decision_of_the_curator_and_says_so(team, tmp_path):
    origin = copy_of(team, tmp_path)
    assert curated(origin)[1] == LEADS
    out = ok("adjudicate", origin, "auto", "--reviewer", "lead")
    after = curated(origin)
    assert after[1] == LEADS  # accepted, rejected, relabelled and added: all kept
    assert after[2] == after[3] == AGREED  # untouched articles get the agreed spans
    assert "Settled 2 article(s)" in out
    assert "Skipped 1 article(s) the curator already decided (1)" in out
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        assert project.article(1).status == "pending"
    # Twice is harmless: the settled ones are settled, the curator's still skipped.
    again = ok("adjudicate", origin, "auto", "--reviewer", "lead")
    assert "Settled 0 article(s)" in again and "2 article(s) already settled" in again
    assert curated(origin) == after


@pytest.mark.slow
def test_auto_replaces_the_curators_decisions_only_with_replace(team, tmp_path):
    origin = copy_of(team, tmp_path)
    out = ok("adjudicate", origin, "auto", "--replace", "--reviewer", "lead")
    assert "Skipped" not in out and "Settled 3 article(s)" in out
    assert curated(origin)[1] == AGREED
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        assert project.article(1).status == "pending"  # they differ on Japan: still yours


def open_adjudicating(qtbot, tmp_path: Path, origin: Path):
    from tests.gui_helpers import open_window

    win = open_window(qtbot, tmp_path, origin, reviewer="lead")
    win.adjudication.act_mode.trigger()
    qtbot.waitUntil(lambda: win.jobs.job is None)
    return win


def answer(win, button: str) -> None:
    """Click ``button`` of the adjudication's question as soon as it is asked."""
    from PySide6.QtCore import QTimer

    def click() -> None:
        box = win.adjudication.prompt
        if box is None:
            QTimer.singleShot(20, click)
            return
        next(b for b in box.buttons() if b.text() == button).click()
    QTimer.singleShot(20, click)


@pytest.mark.slow
def test_the_window_settles_as_the_cli_does_and_asks_before_replacing(qtbot, team, tmp_path):
    by_cli = copy_of(team, tmp_path, "cli.assay")
    ok("adjudicate", by_cli, "auto", "--reviewer", "lead")
    in_window = copy_of(team, tmp_path, "window.assay")
    win = open_adjudicating(qtbot, tmp_path, in_window)
    for article_id in (1, 2, 3, 4):  # the window takes the agreed spans on opening
        win.show_article(article_id)
    assert curated(in_window) == curated(by_cli)
    assert curated(in_window)[1] == LEADS
    # "Take agreed spans" where the curator decided: asked, and "Keep them" keeps them.
    win.show_article(1)
    answer(win, "Keep them")
    win.adjudication.panel.agreed.click()
    assert curated(in_window)[1] == LEADS
    answer(win, "Replace my decisions")
    win.adjudication.panel.agreed.click()
    ok("adjudicate", by_cli, "auto", "--replace", "--reviewer", "lead")
    assert curated(in_window)[1] == curated(by_cli)[1] == AGREED
    win.close()


@pytest.mark.slow
def test_taking_a_rejected_version_rejects_the_article(team, tmp_path):
    origin = copy_of(team, tmp_path)
    before = curated(origin)[4]
    out = ok("adjudicate", origin, "take", "4", "ben", "--reviewer", "lead")
    assert "ben rejected it" in out
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        assert project.article(4).status == "rejected"
    assert curated(origin)[4] == before  # the curated spans are kept for an un-reject
    gold = tmp_path / "gold.jsonl"
    # Nothing is approved now, so the gold export is refused and writes nothing: article 4
    # is not gold.
    refused = assay_cli("export", origin, "-f", "assay", "--status", "approved", "-o", gold)
    assert refused.returncode == 1 and "no approved article" in refused.stderr
    assert not gold.exists()
    # The approved version is still taken with its spans and approved.
    ok("adjudicate", origin, "take", "4", "ana", "--reviewer", "lead")
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        assert project.article(4).status == "approved"
        assert {s.text for s in project.spans(4)} == {"Chile", "Peru", "lithium", "IEA",
                                                      "Japan"}


def test_the_window_takes_a_rejected_version_as_a_rejection(qtbot, team, tmp_path):
    origin = copy_of(team, tmp_path)
    win = open_adjudicating(qtbot, tmp_path, origin)
    win.show_article(4)
    tree = win.adjudication.panel.reviewers
    ben = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(1) == "ben")
    assert ben.text(2).startswith("rejected") and not ben.isDisabled()
    tree.setCurrentItem(ben)
    win.adjudication.panel.take.click()
    assert win.project.article(4).status == "rejected"
    win.close()


def test_a_skipped_version_is_refused_with_a_sentence(tmp_path):
    from core.errors import InvalidEdit
    from core.models import Version
    from core.teams.adjudicate import take_version

    skipped = Version(0, 1, "ben", "skipped", "", None, None, "c", "", (), ())
    with pytest.raises(InvalidEdit, match="ben skipped article 1 in their copy"):
        take_version(skipped, approve=True)


def rename_after_merge(team: Path, tmp_path: Path, *change: str) -> Path:
    origin = copy_of(team, tmp_path)
    ok("labels", origin, *change, "--reviewer", "lead")
    return origin


@pytest.mark.parametrize("change, new", [(("rename", "MINERAL", "COMMODITY"), "COMMODITY"),
                                         (("merge", "MINERAL", "ORG"), "ORG")])
@pytest.mark.slow
def test_the_versions_follow_a_label_rename_or_merge(team, tmp_path, change, new):
    origin = rename_after_merge(team, tmp_path, *change)
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        labels = {s.label for v in project.versions() for s in v.spans}
    assert "MINERAL" not in labels and new in labels
    ok("adjudicate", origin, "take", "2", "ana", "--reviewer", "lead")
    assert ("lithium", new, "accepted") in curated(origin)[2]
    ok("adjudicate", origin, "auto", "--reviewer", "lead")
    assert ("lithium", new, "accepted") in curated(origin)[3]
    report = json.loads(ok("agreement", origin, "--json"))
    per_label = report["pairs"][0]["per_label"]
    assert new in per_label and "MINERAL" not in per_label
    # A copy handed out before the change merges again, in the new words.
    copies = sorted((team.parent / "out").glob("*.assay"))
    out = ok("merge", origin, *copies, "--reviewer", "lead")
    assert "0 new, 0 updated, 4 unchanged" in out.splitlines()[0]
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        labels = {s.label for v in project.versions() for s in v.spans}
    assert "MINERAL" not in labels


@pytest.mark.slow
def test_a_reviewer_who_went_on_after_the_rename_merges_in_the_new_words(team, tmp_path):
    origin = rename_after_merge(team, tmp_path, "rename", "MINERAL", "COMMODITY")
    copies = sorted((team.parent / "out").glob("*.assay"))
    ana = tmp_path / "ana.assay"
    shutil.copyfile(next(c for c in copies if c.stem.endswith("ana")), ana)
    # Ana goes on in her copy: the IEA is not an entity.
    with Project.open(ana, rules=store_rules()) as copy:
        spans = {s.text: s for s in copy.spans(1)}
        copy.update_span(spans["IEA"].id, "ana", state="rejected")
    out = ok("merge", origin, ana, "--reviewer", "lead")
    assert "1 updated" in out
    with Project.open_for_reading(origin, rules=store_rules()) as project:
        mine = next(v for v in project.versions([1]) if v.reviewer == "ana")
    assert {(s.label, s.state) for s in mine.spans if s.start == find(TEXTS[0], "lithium")[0]
            } == {("COMMODITY", "accepted")}
    assert len(mine.spans) == 5  # nothing dropped


def test_undoing_a_label_merge_puts_the_versions_back(team, tmp_path):
    from core.review.history import History
    from core.review.scheme_edits import MergeLabel, RenameLabel

    origin = copy_of(team, tmp_path)
    with Project.open(origin, rules=store_rules()) as project:
        before = project.versions()
        history = History(project, "lead")
        history.do(MergeLabel("MINERAL", "ORG"))
        history.do(RenameLabel("ORG", "BODY"))
        assert "MINERAL" not in {s.label for v in project.versions() for s in v.spans}
        history.undo()
        history.undo()
        assert project.versions() == before


@pytest.mark.slow
def test_renames_and_merges_are_followed_in_order_for_an_older_copy(team, tmp_path):
    origin = rename_after_merge(team, tmp_path, "rename", "MINERAL", "COMMODITY")
    ok("labels", origin, "merge", "COMMODITY", "ORG", "--reviewer", "lead")
    ok("labels", origin, "rename", "ORG", "BODY", "--reviewer", "lead")
    copies = sorted((team.parent / "out").glob("*.assay"))
    out = ok("merge", origin, *copies, "--reviewer", "lead")  # MINERAL → … → BODY
    assert out.count("4 unchanged") == 2
    # A label the versions use cannot be deleted from under them.
    done = assay_cli("labels", origin, "delete", "BODY", "--reviewer", "lead")
    assert done.returncode == 1 and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_copys_label_renamed_and_deleted_since_is_refused_with_a_sentence(team, tmp_path):
    origin = copy_of(team, tmp_path)
    copies = sorted((team.parent / "out").glob("*.assay"))
    ana = tmp_path / "ana.assay"
    shutil.copyfile(next(c for c in copies if c.stem.endswith("ana")), ana)
    with Project.open(ana, rules=store_rules()) as copy:  # ana marks a LAW nobody else used
        copy.add_span(1, *find(TEXTS[0], "Report"), "LAW", "ana")
    ok("labels", origin, "rename", "LAW", "STATUTE", "--reviewer", "lead")
    ok("labels", origin, "delete", "STATUTE", "--reviewer", "lead")
    before = origin.read_bytes()
    done = assay_cli("merge", origin, ana, "--reviewer", "lead")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "its label LAW became STATUTE, which this project no longer has" in done.stderr
    assert origin.read_bytes() == before


@pytest.mark.slow
def test_versions_export_filters_by_the_versions_reviewer_and_label(team, tmp_path):
    origin = copy_of(team, tmp_path)
    ok("adjudicate", origin, "take", "2", "ana", "--reviewer", "lead")  # curated by lead
    out = tmp_path / "v.jsonl"
    ok("export", origin, "-f", "versions", "--status", "all", "--reviewer", "ben",
       "--label", "GPE", "-o", out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["reviewer"] for r in lines} == {"ben"}
    assert len(lines) == 4
    assert {s["label"] for r in lines for s in r["spans"]} == {"GPE"}
    assert {s["text"] for r in lines for s in r["spans"]} == {"Chile", "Peru"}
    # The curator is nobody's reviewer here: no version of theirs.
    done = assay_cli("export", origin, "-f", "versions", "--status", "all", "--reviewer",
                     "lead", "-o", tmp_path / "none.jsonl")
    assert "Traceback" not in done.stderr
    if done.returncode == 0:
        text = (tmp_path / "none.jsonl").read_text(encoding="utf-8")
        assert text == ""


@pytest.mark.slow
def test_reviewer_names_from_copies_reach_the_terminal_as_one_clean_line(tmp_path):
    origin = make_team(tmp_path, names=("ana", "ben"))
    with sqlite3.connect(origin) as db:  # a copy's reviewer name, as a merge stored it
        db.execute("UPDATE versions SET reviewer = ? WHERE reviewer = 'ana'", (HOSTILE,))
    db.close()
    agreement = ok("agreement", origin)
    listed = ok("adjudicate", origin, "list")
    for out in (agreement, listed):
        assert "\x1b" not in out and "\u202e" not in out
    assert "fake line" in agreement
    assert not any(line.startswith("fake line") for line in agreement.splitlines())
    taken = assay_cli("adjudicate", origin, "take", "1", HOSTILE, "--reviewer", "lead")
    assert taken.returncode == 0, taken.stderr
    assert "\x1b" not in taken.stdout and "\u202e" not in taken.stdout
    assert len(taken.stdout.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_reviewer_name_with_mathtext_draws_as_written_in_the_agreement_view(qtbot,
                                                                           tmp_path):
    from PySide6.QtGui import QImage

    from tests.gui_helpers import open_window

    origin = make_team(tmp_path)
    with sqlite3.connect(origin) as db:  # a copy's reviewer name, as a merge stored it
        db.execute("UPDATE versions SET reviewer = ? WHERE reviewer = 'ana'",
                   ("$\\undefinedmacro$ \x1b[31m",))
    db.close()
    win = open_window(qtbot, tmp_path, origin, reviewer="lead")
    win.act_agreement.trigger()
    qtbot.waitUntil(lambda: getattr(win, "agreement_dialog", None) is not None
                    and win.agreement_dialog.isVisible(), timeout=30_000)
    dialog = win.agreement_dialog
    png = QImage(dialog.save_png(str(tmp_path / "agreement.png")))
    assert not png.isNull()
    ticks = [t.get_text() for t in dialog.figure.axes[0].get_xticklabels()]
    assert "\\$\\undefinedmacro\\$ [31m" in ticks and "ben" in ticks
    dialog.close()
    win.close()
