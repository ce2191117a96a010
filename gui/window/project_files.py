"""File → New project…, Open project… and Open recent: choosing which project file the
window opens (``MainWindow.open_project`` does the opening, the lock and the checks)."""

from __future__ import annotations

from pathlib import Path

from core.errors import AssayError
from core.nlp.store_rules import store_rules
from core.store import Project
from gui.common.file_dialogs import open_file_name, save_file_name
from gui.common.plain_text import warn

MAX_RECENT = 8


class ProjectFiles:
    """The window's project-file dialogs and its list of recent projects (in QSettings)."""

    def __init__(self, window) -> None:
        self.window = window

    def new_project_dialog(self) -> None:
        w = self.window
        path = save_file_name(w, "New project", Path.home(), "Assay projects (*.assay)")
        if not path:
            return
        if not path.endswith(".assay"):
            path += ".assay"
        try:
            Project.create(path, rules=store_rules()).close()
        except AssayError as exc:
            warn(w, "Cannot create project", str(exc))
            return
        w.open_project(path)

    def open_dialog(self) -> None:
        path = open_file_name(self.window, "Open project", Path.home(),
                              "Assay projects (*.assay);;All files (*)")
        if path:
            self.window.open_project(path)

    def remember(self, path: str) -> None:
        settings = self.window.settings
        recent = [p for p in (settings.value("project/recent") or []) if p != path]
        recent.insert(0, path)
        settings.setValue("project/recent", recent[:MAX_RECENT])
        self.fill_recent()

    def fill_recent(self) -> None:
        """File → Open recent: the last projects opened, newest first, by name and folder.
        A file that has gone (moved, deleted, on a disk not mounted) is not offered."""
        menu = self.window.recent_menu
        menu.clear()
        recent = self.window.settings.value("project/recent") or []
        if isinstance(recent, str):
            recent = [recent]
        for path in (p for p in recent if Path(p).is_file()):
            shown = f"{Path(path).name}  —  {Path(path).parent}".replace("&", "&&")
            action = menu.addAction(shown)  # "&&": a file name's "&" is not a mnemonic
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.window.open_project(p))
        menu.setEnabled(not menu.isEmpty())

    def open_from_elsewhere(self, path: str) -> None:
        """A later start of Assay handed over *path* (a double-clicked project), or "" to
        bring this window forward: show the window, then open the project as File → Open."""
        w = self.window
        if w.isMinimized():
            w.showNormal()
        w.raise_()
        w.activateWindow()
        if path:
            w.open_project(path)
