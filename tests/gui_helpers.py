"""Helpers for driving the review window with real mouse and key events."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.review.article_view import ArticleView


def where(text: str, part: str) -> tuple[int, int]:
    """``[start, end)`` of the first ``part`` in ``text``."""
    start = text.index(part)
    return start, start + len(part)


def point_of(view: ArticleView, offset: int, after: bool = False) -> QPoint:
    """Viewport point on the character at Python ``offset`` (its left edge, or right with after)."""
    cursor = QTextCursor(view.document())
    qt = view.offset_map.to_qt(offset)
    cursor.setPosition(qt)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + (-1 if after else 2), rect.center().y())


def drag_select(view: ArticleView, start: int, end: int) -> None:
    """Press at ``start``, move with the button held, release just after ``end - 1``."""
    viewport = view.viewport()
    a = point_of(view, start)
    b = point_of(view, end, after=True)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for p in (QPoint((a.x() + b.x()) // 2, b.y()), b):
        move = QMouseEvent(QEvent.Type.MouseMove, QPointF(p), viewport.mapToGlobal(QPointF(p)),
                           Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, move)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def click_offset(view: ArticleView, offset: int) -> None:
    """Click in the middle of the character at ``offset``."""
    p = point_of(view, offset)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(p.x() + 2, p.y()))


def open_window(qtbot, settings_dir, project_path, reviewer: str = "ana"):
    """A shown main window on ``project_path``, label popup off, the text view focused."""
    from PySide6.QtCore import QSettings

    from gui.window.main_window import MainWindow

    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, reviewer)
    win.act_popup.setChecked(False)
    win._toggle_popup()
    qtbot.addWidget(win)
    win.open_project(project_path)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # window shortcuts (Ctrl+Z, …) need it active
    win.view.setFocus()
    return win


REPO = Path(__file__).parents[1]


def window_process(script: str, project: Path, settings: Path) -> subprocess.Popen:
    """A real window in a process of its own (offscreen): ``script`` runs with the project
    and a settings file as its arguments, talking to the test over stdin and stdout."""
    return subprocess.Popen(
        [sys.executable, "-c", script, str(project), str(settings)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
