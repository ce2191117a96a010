"""The label scheme, editable and safe: renames and merges rewrite spans in one transaction
and are undoable, a label in use is never deleted, schemes travel as JSON; through the
store, the CLI and the dialog."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from core.cli import main as cli
from core.errors import AssayError, InvalidEdit
from core.models import ArticleIn, SpanIn
from core.nlp.store_rules import store_rules
from core.review.history import History
from core.review.scheme_edits import DeleteLabel, MergeLabel, RenameLabel, UpdateLabel
from core.store import Project
from tests.gui_helpers import open_window

TEXT = "Glencore and the IEA met in Chile; Albemarle and Chile's miners agreed."


def starts(word: str) -> list[int]:
    return [i for i in range(len(TEXT)) if TEXT.startswith(word, i)]


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "labels.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=TEXT, title="L", spans=(
            SpanIn(0, 8, "ORG"), SpanIn(starts("IEA")[0], starts("IEA")[0] + 3, "ORG",
                                        state="accepted"),
            SpanIn(starts("Chile")[0], starts("Chile")[0] + 5, "GPE"),
            SpanIn(starts("Albemarle")[0], starts("Albemarle")[0] + 9, "PERSON",
                   state="rejected")))])
        project.add_articles([ArticleIn(text="Albemarle hired.", title="M", spans=(
            SpanIn(0, 9, "PERSON"),))])
    return path


def labels_of(project: Project) -> dict[str, int]:
    return {s.text: s.label for a in (1, 2) for s in project.spans(a)}


def test_rename_rewrites_every_span_and_the_counts_and_undoes(path):
    with Project.open(path, rules=store_rules()) as project:
        history = History(project, "ana")
        history.do(RenameLabel("ORG", "COMPANY"))
        assert labels_of(project)["Glencore"] == "COMPANY"
        assert "ORG" not in project.label_names()
        assert project.counts_by_label()["COMPANY"] == 2
        assert "ORG" not in project.counts_by_label()
        assert any(e["action"] == "label.rename" for e in project.events())
        history.undo()
        assert labels_of(project)["IEA"] == "ORG" and project.counts_by_label()["ORG"] == 2
        with pytest.raises(InvalidEdit, match="already exists"):
            history.do(RenameLabel("ORG", "GPE"))
        with pytest.raises(InvalidEdit, match="1–40 characters"):
            history.do(RenameLabel("ORG", "bad\nname"))


def test_merge_moves_exactly_the_spans_and_undo_puts_them_back(path):
    with Project.open(path, rules=store_rules()) as project:
        before = project.labels()
        history = History(project, "ana")
        history.do(MergeLabel("PERSON", "ORG"))
        assert "PERSON" not in project.label_names()
        assert labels_of(project)["Albemarle"] == "ORG"
        assert project.counts_by_label()["ORG"] == 3  # the rejected one is not live
        assert project.list_articles()[1].entities == 1
        history.undo()
        assert project.labels() == before  # same place, colour and key
        assert {s.label for s in project.spans(2)} == {"PERSON"}
        assert project.counts_by_label()["PERSON"] == 1


def test_a_label_in_use_is_never_deleted_and_an_unused_one_is(path):
    with Project.open(path, rules=store_rules()) as project:
        history = History(project, "ana")
        with pytest.raises(InvalidEdit, match="used by 2 span"):
            history.do(DeleteLabel("PERSON"))  # one of them rejected: still a decision
        assert "PERSON" in project.label_names() and history.done == []
        law = project.label("LAW")
        history.do(DeleteLabel("LAW"))
        assert "LAW" not in project.label_names()
        history.undo()
        assert project.label("LAW") == law


def test_keys_and_colours_are_checked(path):
    with Project.open(path, rules=store_rules()) as project:
        history = History(project, "ana")
        with pytest.raises(InvalidEdit, match="already MINERAL's"):
            history.do(UpdateLabel("LAW", "key", hotkey="1"))
        with pytest.raises(InvalidEdit, match="#rrggbb"):
            history.do(UpdateLabel("LAW", "colour", color="red"))
        history.do(UpdateLabel("LAW", "guide", hotkey="z", description="Named acts."))
        assert (project.label("LAW").hotkey, project.label("LAW").description) == (
            "z", "Named acts.")
        history.undo()
        assert project.label("LAW").hotkey == "8"


def test_a_scheme_travels_as_json(path, tmp_path):
    out = tmp_path / "team.json"
    with Project.open(path, rules=store_rules()) as project:
        project.update_label("LAW", "ana", description="Named laws and acts.")
        assert project.export_scheme(out) == len(project.labels())
    shared = json.loads(out.read_text())
    shared["labels"].append({"name": "FACILITY", "color": "#88aaff", "hotkey": "f",
                             "description": "Mines, refineries, plants."})
    out.write_text(json.dumps(shared))
    other = tmp_path / "other.assay"
    with Project.create(other, rules=store_rules()) as project:
        assert project.import_scheme(out, "ben") == (1, 1)
        assert project.label("LAW").description == "Named laws and acts."
        assert project.label("FACILITY").hotkey == "f"
    out.write_text('{"labels": [{"color": "#fff"}]}')
    with Project.open(other, rules=store_rules()) as project, \
            pytest.raises(AssayError, match="label 1 has no"):
        project.import_scheme(out, "ben")


def test_the_cli_edits_and_lists_the_scheme(path, capsys):
    assert cli(["labels", str(path), "rename", "ORG", "COMPANY", "--reviewer", "ana"]) == 0
    assert "2 span(s) rewritten" in capsys.readouterr().out
    assert cli(["labels", str(path), "merge", "PERSON", "COMPANY"]) == 0
    assert cli(["labels", str(path), "delete", "GPE"]) == 1  # in use
    assert "used by 1 span" in capsys.readouterr().err
    assert cli(["labels", str(path), "add", "FACILITY", "--color", "#88aaff",
                "--hotkey", "f"]) == 0
    assert cli(["labels", str(path), "list", "--json"]) == 0
    listed = {row["name"]: row for row in json.loads(capsys.readouterr().out.split(
        "Added FACILITY.\n")[-1])}
    assert listed["COMPANY"]["spans"] == 4 and "PERSON" not in listed
    assert listed["FACILITY"]["hotkey"] == "f"


def test_the_labels_dialog_renames_merges_and_the_window_follows(qtbot, tmp_path, path):
    win = open_window(qtbot, tmp_path, path)
    win.show_article(1)
    qtbot.keyClick(win.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dialog = win.labels_dialog
    qtbot.waitUntil(dialog.isVisible)
    names = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    dialog.table.selectRow(names.index("ORG"))
    dialog.name.setFocus()
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "COMPANY")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert labels_of(win.project)["Glencore"] == "COMPANY"
    assert "COMPANY" in win.label_bar.buttons and "ORG" not in win.label_bar.buttons
    assert {s.label for s in win.view.spans} >= {"COMPANY"}  # the open article follows
    dialog.table.selectRow(names.index("PERSON"))
    dialog.merge_target.setCurrentText("COMPANY")
    dialog.merge()
    assert labels_of(win.project)["Albemarle"] == "COMPANY"
    dialog.table.selectRow([dialog.table.item(r, 1).text()
                            for r in range(dialog.table.rowCount())].index("GPE"))
    dialog.delete()
    assert "used by" in dialog.message.text() and "GPE" in win.project.label_names()
    dialog.close()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the merge
    qtbot.keyClick(win.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the rename
    assert labels_of(win.project) == {"Glencore": "ORG", "IEA": "ORG", "Chile": "GPE",
                                      "Albemarle": "PERSON"}
    assert "ORG" in win.label_bar.buttons
    guide = [chip.text() for chip, _ in win.side_panel.guide.rows]
    assert "5  ORG" in guide


@pytest.mark.parametrize("name", ["ORG\u202eXX", "MIN\x9b2J", "A\x1b[2J", "\u2067GPE"])
def test_a_label_name_cannot_hold_terminal_controls_or_bidi_overrides(path, name):
    """Names are printed by assay-cli and drawn in charts: nothing in one may steer them."""
    with Project.open(path, rules=store_rules()) as project:
        with pytest.raises(InvalidEdit):
            project.add_label(name, "#123456", "", "", "ana")
        assert name not in project.label_names()
