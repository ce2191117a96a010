"""Screenshots of the window for docs/ (``python -m bench.screenshots``): the bundled sample
project, light and dark, at 1024×640, 1280×720 and 1440×880, offscreen. Open the PNGs and
look at them before committing."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SIZES = {"1024x640": (1024, 640), "1280x720": (1280, 720), "full": (1440, 880)}


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from core.sample import ensure_sample_project
    from gui.main_window import MainWindow
    from gui.theme import apply_theme

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        project = ensure_sample_project(Path(tmp))
        for dark in (False, True):
            apply_theme(app, dark)
            settings = QSettings(str(Path(tmp) / f"s{dark}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(settings, "ana")
            window.open_project(project)
            window.show()
            view = window.view
            view.setFocus()
            view.jumps.step_undecided(1)  # an entity selected, as a reviewer sees it
            for name, size in SIZES.items():
                window.resize(*size)
                for _ in range(3):
                    app.processEvents()
                theme = "dark" if dark else "light"
                window.grab().save(str(out / f"window-{theme}-{name}.png"))
            window.close()
        apply_theme(app, False)
        team_screenshots(app, Path(tmp), project, out)
    return 0


def team_screenshots(app, tmp: Path, sample: Path, out: Path) -> None:
    """The adjudication view and the agreement dialog on the sample project reviewed by
    a team of three (``bench.team_scene``)."""
    import shutil

    from PySide6.QtCore import QSettings

    from bench.team_scene import three_reviewers
    from gui.agreement_view import AgreementDialog
    from gui.main_window import MainWindow

    origin = tmp / "team.assay"
    shutil.copy(sample, origin)
    three_reviewers(origin, tmp / "copies")
    settings = QSettings(str(tmp / "team.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, "lead")
    window.open_project(origin)
    window.show()
    window.adjudication.act_mode.trigger()
    while window.jobs.job is not None:  # the worklist is read in the background
        app.processEvents()
    worst = window.adjudication.panel.article_ids()
    window.show_article(worst[0])
    for name, size in (("", (1440, 880)), ("-1024x640", (1024, 640))):
        window.resize(*size)
        for _ in range(3):
            app.processEvents()
        window.grab().save(str(out / f"adjudication{name}.png"))
    dialog = AgreementDialog(window)
    dialog.show()
    for _ in range(3):
        app.processEvents()
    dialog.grab().save(str(out / "agreement.png"))
    dialog.close()
    window.close()


if __name__ == "__main__":
    sys.exit(main())
