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
        model_screenshots(app, Path(tmp), out)
    return 0


def gold_project(path: Path, gold: Path, n: int):
    """A project whose first ``n`` articles are gold briefs, approved as marked."""
    from bench.quality import read_marked
    from core.models import ArticleIn
    from core.store import Project

    passages = read_marked(gold)[:n]
    project = Project.create(path, name="briefs")
    project.add_articles([ArticleIn(text=p.text, title=p.id) for p in passages])
    for article_id, passage in zip(project.article_ids(), passages, strict=True):
        for start, end, label in passage.spans:
            project.add_span(article_id, start, end, label, "ana")
        project.approve_article(article_id, "ana")
    return project


def model_screenshots(app, tmp: Path, out: Path) -> None:
    """Review → Models… after training on 40 approved gold briefs (about a minute)."""
    from core.jobs.train import train_project
    from gui.models_dialog import ModelsDialog

    path = tmp / "briefs.assay"
    gold_project(path, Path(__file__).parent / "gold" / "train-a.gold", 40).close()
    result = train_project(path, epochs=10)
    dialog = ModelsDialog(None, str(path), "", result.model_id)
    for name, size in (("", (980, 640)), ("-1024x640", (1024, 600))):
        dialog.resize(*size)
        dialog.show()
        for _ in range(3):
            app.processEvents()
        dialog.grab().save(str(out / f"models{name}.png"))
    dialog.close()


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
