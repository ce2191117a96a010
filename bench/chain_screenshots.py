"""``python -m bench.chain_screenshots [DIR]``: Review → Supply-chain map at 1024×640, light
and dark, on a project of a few hundred articles with relations (``bench.chain_map``):
the whole map, and lithium's chain with its heaviest relation's sentences listed."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def settle(app, dialog) -> None:
    """Until the map is read, and drawn again once the resize settles."""
    from PySide6.QtTest import QTest

    while not (dialog.cmap is not None and dialog.done_reading()):
        app.processEvents()
    QTest.qWait(400)


def chain_screenshots(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from bench.chain_map import build_chain_project
    from gui.common.theme import apply_theme
    from gui.statistics.chain_window import show_chain_map
    from gui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = tmp / "chain.assay"
        build_chain_project(path, n=300)
        for dark in (False, True):
            apply_theme(app, dark)
            theme = "dark" if dark else "light"
            settings = QSettings(str(tmp / f"{theme}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(settings, "lead")
            window.open_project(path)
            window.show()
            dialog = show_chain_map(window)
            dialog.resize(1024, 640)

            settle(app, dialog)
            made.append(out / f"chain-map-{theme}.png")
            dialog.grab().save(str(made[-1]))
            box = dialog.mineral_box
            box.setCurrentIndex(box.findText("lithium"))
            settle(app, dialog)
            assert dialog.cmap is not None
            dialog.choose_edge(dialog.cmap.edges[0].key)
            settle(app, dialog)
            made.append(out / f"chain-map-lithium-{theme}.png")
            dialog.grab().save(str(made[-1]))
            dialog.close()
            window.close()
        apply_theme(app, False)
    return made


if __name__ == "__main__":
    for shot in chain_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(shot)
