"""A label renamed by another process reaches a project that stays open.

Written the way it broke: `assay-cli labels rename` ran in a second process while the
project was open here; the open project kept the old names, so an edit with the new name
was refused, one with the old name ended in "FOREIGN KEY constraint failed", and an
`annotate --force` run ended in a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.errors import InvalidEdit
from core.jobs.annotate import annotate_project
from core.models import ArticleIn, SpanIn
from core.nlp.pipeline import load_annotator
from core.nlp.store_rules import store_rules
from core.store import Project
from tests.gui_helpers import click_offset, drag_select, open_window

REPO = Path(__file__).parents[1]
# Text we wrote for these tests.
TEXT = "Chile mined lithium and cobalt in 2024."


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=300)


def at(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


@pytest.mark.slow
def test_edits_use_a_name_another_process_gave_and_refuse_the_old_one(tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=TEXT, title="Mine")])
        lithium = proj.add_span(1, *at("lithium"), "MINERAL", "ana")  # names read here
        done = cli("labels", str(path), "rename", "MINERAL", "COMMODITY")
        assert done.returncode == 0, done.stderr
        cobalt = proj.add_span(1, *at("cobalt"), "COMMODITY", "ana")
        assert cobalt.label == "COMMODITY"
        before, after = proj.update_span(lithium.id, "ana", state="rejected")
        assert (before.label, after.state) == ("COMMODITY", "rejected")
        try:
            proj.add_span(1, *at("Chile"), "MINERAL", "ana")
        except InvalidEdit as exc:
            assert str(exc) == "Unknown label 'MINERAL'; add it to the project's scheme first."
        else:
            raise AssertionError("an edit with the old name was stored")
        assert [(s.text, s.label) for s in proj.spans(1)] == [
            ("lithium", "COMMODITY"), ("cobalt", "COMMODITY")]


@pytest.mark.slow
def test_an_entry_another_process_added_links_here(tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text="Kestrel Mining bought cobalt.", title="K")])
        assert proj.link("ORG", "Kestrel Mining") is None  # the linker is built here
        done = cli("kb", str(path), "add", "org:kestrel", "ORG", "Kestrel Mining")
        if done.returncode == 2:  # no such command: add it through a second connection
            with Project.open(path, rules=store_rules()) as other:
                other.add_kb_entry("org:kestrel", "ORG", "Kestrel Mining", [], "bo")
        assert proj.add_span(1, 0, 14, "ORG", "ana").kb_id == "org:kestrel"


@pytest.mark.slow
def test_annotate_with_a_rename_in_between_refuses_with_a_sentence(tmp_path):
    path = tmp_path / "p.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=f"Chile mined {i} tonnes of lithium in 2024.",
                                     title=str(i)) for i in range(6)])
        annotator = load_annotator([lb.name for lb in proj.labels()])
        renamed: list[str] = []

        def progress(done: int, _total: int) -> None:
            if done and not renamed:  # after the first batch: another process renames
                result = cli("labels", str(path), "rename", "MINERAL", "COMMODITY")
                renamed.append(result.stderr)
                assert result.returncode == 0, result.stderr

        try:
            annotate_project(proj, annotator, force=True, batch_size=2, progress=progress)
        except InvalidEdit as exc:
            message = str(exc)
        else:
            raise AssertionError("the run went on with a label that is gone")
        assert message.startswith("The label scheme changed while pre-annotating: MINERAL is "
                                  "no longer a label")
        assert "\n" not in message
        # The first batch is kept, in the scheme's new words; nothing after it was stored.
        labels = {s.label for i in (1, 2) for s in proj.spans(i)}
        assert labels and "MINERAL" not in labels and "COMMODITY" in labels
        assert proj.spans(5) == []


@pytest.mark.slow
def test_the_cli_annotate_run_with_a_rename_in_between_ends_in_one_sentence(tmp_path):
    path = tmp_path / "p.assay"
    sentence = "Chile mined {} tonnes of lithium and cobalt in 2024, the ministry said. "
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=sentence.format(i) * 12, title=str(i))
                           for i in range(200)])
    run = subprocess.Popen(
        [sys.executable, "-m", "core.cli", "annotate", str(path), "--force", "--batch-size",
         "2", "--json-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=REPO)
    try:
        for line in run.stdout:
            if json.loads(line).get("done") == 2:  # the first batch is stored: rename now
                done = cli("labels", str(path), "rename", "MINERAL", "COMMODITY")
                assert done.returncode == 0, done.stderr
                break
        out, err = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    assert "Traceback" not in err and "FOREIGN KEY" not in err
    assert run.returncode == 1
    assert err.strip().splitlines()[-1].endswith(
        "MINERAL is no longer a label of the project. The articles stored before are kept; "
        "run annotate again to use the new scheme.")
    with Project.open(path, rules=store_rules()) as proj:
        assert "MINERAL" not in {s.label for s in proj.spans(1)}
        assert proj.spans(200) == []


@pytest.mark.slow
def test_a_long_lived_window_follows_a_rename_by_another_process(qtbot, tmp_path):
    path = tmp_path / "w.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=TEXT, title="Mine", spans=(
            SpanIn(*at("lithium"), "MINERAL"),))])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    done = cli("labels", str(path), "rename", "MINERAL", "COMMODITY")
    assert done.returncode == 0, done.stderr
    view = win.view
    click_offset(view, at("lithium")[0] + 1)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # accept the (renamed) suggestion
    assert [(s.text, s.label, s.state) for s in win.project.spans(1)] == [
        ("lithium", "COMMODITY", "accepted")]
    drag_select(view, *at("cobalt"))
    qtbot.keyClick(view, Qt.Key.Key_1)  # the first label's key: COMMODITY now
    assert ("cobalt", "COMMODITY") in {(s.text, s.label) for s in win.project.spans(1)}


@pytest.mark.slow
def test_an_idle_window_rebuilds_its_label_keys_after_a_rename_elsewhere(qtbot, tmp_path):
    path = tmp_path / "idle.assay"
    with Project.create(path, rules=store_rules()) as proj:
        proj.add_articles([ArticleIn(text=TEXT, title="Mine")])
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    done = cli("labels", str(path), "rename", "MINERAL", "COMMODITY")
    assert done.returncode == 0, done.stderr
    win.time_keeper.setInterval(50)  # the window's timer looks at the scheme too
    qtbot.waitUntil(lambda: "COMMODITY" in win.label_bar.buttons, timeout=3000)
    drag_select(win.view, *at("cobalt"))
    qtbot.keyClick(win.view, Qt.Key.Key_1)  # the first label's key, pressed once
    assert [(s.text, s.label) for s in win.project.spans(1)] == [("cobalt", "COMMODITY")]
