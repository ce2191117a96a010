"""A window's first size: what it would like, but never more than the screen it opens on.

A fixed ``resize(1100, 720)`` opened the statistics window taller and wider than a
1024×640 laptop screen, its title bar and buttons out of reach (issue 25).
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.92  # leave room for the desktop's panels and the window's frame


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` × ``height``, or to the share of its screen's free
    area that fits, whichever is smaller."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen() \
        or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    free = screen.availableGeometry()
    widget.resize(min(width, int(free.width() * SCREEN_SHARE)),
                  min(height, int(free.height() * SCREEN_SHARE)))
