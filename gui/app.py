"""Entry point of the ``assay`` GUI command (and of the frozen app).

``assay cli …`` runs the command line instead, which is how the frozen app
starts its own pre-annotation child process.
"""

from __future__ import annotations

import getpass
import logging
import multiprocessing
import sys
import traceback
from pathlib import Path

from platformdirs import user_data_path


def data_dir() -> Path:
    """Where settings-adjacent user data lives (sample project, logs)."""
    return user_data_path("Assay", appauthor=False)


def ask_reviewer(settings, parent=None) -> str:
    """The reviewer's name, asked once and remembered: it is written on every change."""
    from PySide6.QtWidgets import QInputDialog

    name = str(settings.value("reviewer") or "").strip()
    while not name:
        name, ok = QInputDialog.getText(
            parent, "Who is reviewing?",
            "Your name is recorded with every decision you make:",
            text=getpass.getuser())
        name = name.strip()
        if not ok and not name:
            name = getpass.getuser() or "reviewer"
    settings.setValue("reviewer", name)
    return name


def setup_logging() -> Path:
    """Log to a file in the user's data folder; its path is shown when something breaks."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "assay.log"
    logging.basicConfig(filename=path, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return path


def install_error_dialog(log_path: Path) -> None:
    """An unexpected error is logged and shown in a dialog instead of the app vanishing."""
    from PySide6.QtWidgets import QApplication

    from core.errors import AssayError
    from gui.common.plain_text import critical, warn

    def hook(kind, value, tb) -> None:
        if isinstance(value, AssayError):  # e.g. a damaged page found while scrolling
            logging.getLogger("assay").warning("%s", value)
            warn(QApplication.activeWindow(), "Assay", str(value))
            return
        logging.getLogger("assay").error("Unexpected error", exc_info=(kind, value, tb))
        traceback.print_exception(kind, value, tb)
        parent = QApplication.activeWindow()
        critical(
            parent, "Assay: unexpected error",
            f"Something went wrong: {value}\n\nYour work is saved (every change is written "
            f"at once). Details are in the log file:\n{log_path}")

    sys.excepthook = hook


def project_argument(arguments: list[str]) -> Path | None:
    """The project a desktop or a terminal asked Assay to open (``Assay path/to/x.assay``):
    the first argument that is not an option. Qt has taken its own options out already."""
    for argument in arguments:
        if argument and not argument.startswith("-"):
            return Path(argument).expanduser()
    return None


def main(argv: list[str] | None = None) -> int:
    """Start the Qt application, open the last project (or the sample) and run."""
    argv = list(sys.argv if argv is None else argv)
    multiprocessing.freeze_support()
    if len(argv) > 1 and argv[1] == "cli":
        from core.cli import main as cli_main

        return cli_main(argv[2:])
    if "--selftest" in argv[1:]:
        from gui.selftest import run_selftest

        return run_selftest()
    log_path = setup_logging()

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from core.resources import resource_path
    from core.sample import ensure_sample_project
    from gui.common.theme import apply_theme
    from gui.window.single_instance import InstanceServer, hand_to_running, server_name

    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(argv)
    app.setOrganizationName("Assay")
    app.setApplicationName("Assay")
    project = project_argument(app.arguments()[1:])
    name = server_name(data_dir())
    answer = hand_to_running(name, project)
    if answer is not None:  # an Assay runs already: it opens the project, this one ends
        print(answer)
        return 0
    from gui.window.main_window import MainWindow  # the heavy part: not for a hand-over

    app.setWindowIcon(QIcon(str(resource_path("icons", "assay.png"))))
    install_error_dialog(log_path)
    settings = QSettings()
    apply_theme(app, dark=settings.value("view/dark", "false") == "true")
    # Listen before the first-run question, so a project double-clicked while it is asked
    # waits for this window instead of starting a second Assay.
    handed: list[str] = []
    server = InstanceServer(name, handed.append)
    reviewer = ask_reviewer(settings)
    window = MainWindow(settings, reviewer)
    server.hand_to(window.files.open_from_elsewhere)
    last = settings.value("project/last")
    opened = project is not None and window.open_project(project)
    if not opened:
        opened = bool(last) and Path(str(last)).exists() and window.open_project(str(last))
    if not opened:
        window.open_project(ensure_sample_project(data_dir()))
    for path in handed:
        window.files.open_from_elsewhere(path)
    window.show()
    code = app.exec()
    del server
    return code


if __name__ == "__main__":
    sys.exit(main())
