"""The window's action table: every action declared once (attribute, title, keys, handler,
help row), and the menus built from it; the F1 help is built from the same actions
(``gui.window.shortcuts.help_rows``), so keys, menus and help cannot drift apart. Modelled on
napari's ``components/_viewer_key_bindings.py``.

Feature controllers (claims, linking, entity review) declare their own actions the same
way, through ``MainWindow.action``; the menus below name them by their list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QKeySequence

Std = QKeySequence.StandardKey
Handler = Callable[[Any], Callable[[], Any]]  # window -> the slot to call

# attribute, title, keys, handler, (help group, what it does) or None, checkable
ACTIONS: list[tuple[str, str, Any, Handler, tuple[str, str] | None, bool]] = [
    ("act_new", "&New project…", Std.New, lambda w: w.files.new_project_dialog, None, False),
    ("act_open", "&Open project…", Std.Open, lambda w: w.files.open_dialog, None, False),
    ("act_import_files", "&Import files…", "Ctrl+I", lambda w: w.jobs.import_files_dialog,
     ("Project", "Import files"), False),
    ("act_import_folder", "Import f&older…", "Ctrl+Shift+I",
     lambda w: w.jobs.import_folder_dialog, ("Project", "Import a folder"), False),
    ("act_import_web", "Import from f&eed or links…", None, lambda w: w.jobs.import_web_dialog,
     None, False),
    ("act_annotate", "&Pre-annotate…", "Ctrl+P", lambda w: w.jobs.pre_annotate,
     ("Project", "Pre-annotate with spaCy and the gazetteers"), False),
    ("act_reannotate", "&Re-annotate pending articles…", None, lambda w: w.jobs.reannotate,
     None, False),
    ("act_export", "&Export…", "Ctrl+E", lambda w: w.jobs.export_dialog,
     ("Project", "Export the verified data"), False),
    ("act_hand_out", "&Hand out to reviewers…", None, lambda w: w.show_hand_out, None, False),
    ("act_merge", "&Merge reviewers' copies…", None, lambda w: w.merge_copies, None, False),
    ("act_check", "&Check project file…", None, lambda w: w.jobs.check_project, None, False),
    ("act_quit", "&Quit", Std.Quit, lambda w: w.close, None, False),
    ("act_undo", "&Undo", "Ctrl+Z", lambda w: w.undo, ("Editing", "Undo (across articles)"),
     False),
    ("act_redo", "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], lambda w: w.redo, ("Editing", "Redo"),
     False),
    ("act_approve", "&Approve article", "A", lambda w: lambda: w.decide("approved"),
     ("Articles", "Approve (accepts remaining suggestions; claims never hold it up) and "
                  "open the next pending"), False),
    ("act_reject", "Re&ject article", "X", lambda w: lambda: w.decide("rejected"),
     ("Articles", "Reject the article"), False),
    ("act_skip", "&Skip article", "S", lambda w: lambda: w.decide("skipped"),
     ("Articles", "Skip the article"), False),
    ("act_note", "Edit &note", "N", lambda w: w.focus_note,
     ("Articles", "Edit the article's note (Enter saves)"), False),
    ("act_next", "Ne&xt article", "J", lambda w: lambda: w.list_panel.move(1),
     ("Articles", "Next article in the list"), False),
    ("act_prev", "&Previous article", "K", lambda w: lambda: w.list_panel.move(-1),
     ("Articles", "Previous article in the list"), False),
    ("act_search", "&Find articles…", Std.Find, lambda w: w.list_panel.focus_search,
     ("Articles", "Search the articles"), False),
    ("act_labels", "&Labels…", "Ctrl+Shift+L", lambda w: w.show_labels,
     ("Entities", "Edit the label scheme: names, keys, colours, guidelines, merge"), False),
    ("act_agreement", "A&greement…", None, lambda w: w.show_agreement, None, False),
    ("act_statistics", "Stat&istics…", None, lambda w: w.show_statistics, None, False),
    ("act_chain_map", "Supply-chain &map…", None, lambda w: lambda: _show_chain_map(w), None,
     False),
    ("act_zoom_in", "Zoom &in", ["Ctrl++", "Ctrl+="], lambda w: lambda: w.zoom(1),
     ("View", "Zoom the text in"), False),
    ("act_zoom_out", "Zoom &out", "Ctrl+-", lambda w: lambda: w.zoom(-1),
     ("View", "Zoom the text out"), False),
    ("act_show_rejected", "Show &rejected entities", "Ctrl+R", lambda w: w._toggle_rejected,
     ("View", "Show or hide rejected entities"), True),
    ("act_all_relations", "Show &all relations", "Shift+R",
     lambda w: lambda: w.relation_review.show_all(w.act_all_relations.isChecked()),
     ("View", "Draw every relation of the article, not only the selected entity's"), True),
    ("act_popup", "Label &menu on selection", None, lambda w: w._toggle_popup, None, True),
    ("act_help", "&Keyboard shortcuts", ["F1", "?", "Shift+?"], lambda w: w.show_shortcuts,
     ("Help", "This list"), False),
    ("act_about", "&About Assay", None, lambda w: w.show_about, None, False),
]

# Menu title -> its entries: an action attribute, "-" (a separator), "@recent" (the recent
# files submenu) or "*name" (a controller's list of actions, e.g. "*claims_review").
MENUS: dict[str, list[str]] = {
    "&File": ["act_new", "act_open", "@recent", "-", "act_import_files", "act_import_folder",
              "act_import_web", "act_annotate", "act_reannotate", "act_export", "-", "act_hand_out",
              "act_merge", "-", "act_check", "-", "act_quit"],
    "&Edit": ["act_undo", "act_redo", "-", "act_search"],
    "&Review": ["act_approve", "act_reject", "act_skip", "act_note", "-", "act_next",
                "act_prev", "-", "*linking", "-", "*entity_review", "*relation_review", "-",
                "act_labels", "act_agreement", "act_statistics", "act_chain_map",
                "*adjudication", "-",
                "*model_training"],
    "&View": ["act_zoom_in", "act_zoom_out", "-", "act_show_rejected", "act_all_relations",
              "act_popup"],
    "&Claims": ["*claims_review"],
    "&Help": ["act_help", "act_about"],
}


def build_actions(window) -> None:
    """Make every action of the table as an attribute of ``window``."""
    for attribute, title, keys, handler, help_row, checkable in ACTIONS:
        setattr(window, attribute, window.action(title, keys, handler(window),
                                                 checkable=checkable, help=help_row))


def build_menus(window) -> None:
    """The menu bar, from ``MENUS``."""
    bar = window.menuBar()
    for title, entries in MENUS.items():
        menu = bar.addMenu(title)
        for entry in entries:
            if entry == "-":
                menu.addSeparator()
            elif entry == "@recent":
                window.recent_menu = menu.addMenu("Open &recent")
            elif entry.startswith("*"):
                menu.addActions(getattr(window, entry[1:]).actions)
            else:
                menu.addAction(getattr(window, entry))


def _show_chain_map(window) -> None:
    """Review → Supply-chain map…: a window of its own, read in the background."""
    if window.project is not None:
        from gui.statistics.chain_window import show_chain_map  # matplotlib: when asked

        show_chain_map(window)
