"""Screenshots of File → Import from feed or links… (``python -m bench.feed_screenshots DIR``):
the dialog with addresses typed in, and the summary of a real import from a feed served on
127.0.0.1 (``tests.web_site``), over the window on the sample project, light and dark, at
1024×640, offscreen."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

TYPED = ("https://www.mining-weekly.example/feeds/critical-minerals.xml\n"
         "https://www.example.org/news/2026/12/07/lithium-refinery-approved.html\n"
         "https://www.example.org/news/2026/12/06/cobalt-export-quota.html")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPoint, QRect, QSettings, Qt
    from PySide6.QtGui import QPainter, QPalette
    from PySide6.QtWidgets import QApplication

    from core.sample import ensure_sample_project
    from core.web.fetch import FetchOptions
    from gui.common.theme import apply_theme
    from gui.window.main_window import MainWindow
    from tests.web_site import Site, article_html, paragraphs, rss

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    site = Site()
    pages = [site.add(f"/news/{slug}.html", article_html(title, paragraphs(mineral)))
             for slug, title, mineral in (
                 ("lithium-refinery", "Lithium refinery approved in Western Australia",
                  "lithium"),
                 ("cobalt-quota", "Congo sets a cobalt export quota", "cobalt"),
                 ("graphite-licences", "China tightens graphite export licences", "graphite"))]
    feed = site.add("/feeds/minerals.xml", rss(
        [("Lithium refinery approved in Western Australia", pages[0], ""),
         ("Congo sets a cobalt export quota", pages[1], ""),
         ("China tightens graphite export licences", pages[2], ""),
         ("Nickel smelter paused", site.url("/news/nickel-smelter.html"), "")]),
        "application/rss+xml")
    site.add("/chart.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for dark in (False, True):
                theme = "dark" if dark else "light"
                project = ensure_sample_project(Path(tmp) / theme)  # each imports afresh
                apply_theme(app, dark)
                settings = QSettings(str(Path(tmp) / f"s{dark}.ini"),
                                     QSettings.Format.IniFormat)
                window = MainWindow(settings, "ana")
                window.open_project(project)
                window.resize(1024, 640)
                window.show()
                window.jobs.fetch_options = FetchOptions(timeout=5, host_delay=0)

                def shot(dialog, name: str, window=window, theme=theme) -> None:
                    for _ in range(5):
                        app.processEvents()
                    picture = window.grab()
                    painter = QPainter(picture)
                    inner = dialog.grab()
                    # Offscreen windows have no frame: a title bar and a border stand in.
                    bar = 26
                    x = (picture.width() - inner.width()) // 2
                    y = (picture.height() - inner.height() + bar) // 2
                    palette = dialog.palette()
                    frame = QRect(x - 1, y - bar - 1, inner.width() + 1, inner.height() + bar + 1)
                    painter.fillRect(frame, palette.color(QPalette.ColorRole.Button))
                    painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
                    painter.drawText(QRect(x, y - bar, inner.width(), bar),
                                     Qt.AlignmentFlag.AlignCenter, dialog.windowTitle())
                    painter.setPen(palette.color(QPalette.ColorRole.Shadow))
                    painter.drawRect(frame)
                    painter.drawPixmap(QPoint(x, y), inner)
                    painter.end()
                    picture.save(str(out / f"feed-import-{name}-{theme}-1024x640.png"))

                dialog = window.jobs.import_web_dialog()
                dialog.box.setPlainText(TYPED)
                shot(dialog, "dialog")
                dialog.box.setPlainText("\n".join([feed, site.url("/chart.png"), pages[0]]))
                dialog.import_button.click()
                while window.jobs.web_summary is None:
                    app.processEvents()
                shot(window.jobs.web_summary, "summary")
                window.jobs.web_summary.close()
                window.close()
            apply_theme(app, False)
    finally:
        site.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
