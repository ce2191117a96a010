"""A dialog listens to the session while it is open, and not after.

``core.review.events.Signal`` holds a bound method weakly, but a dialog parented to the
window is kept by its parent after it closes, so its listeners would keep refilling a
closed dialog. ``listen_while_open`` connects the dialog's methods and disconnects them
when it finishes (accepted, rejected or closed) or is destroyed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from core.review.events import Connection, Signal


def listen_while_open(widget: QWidget,
                      *pairs: tuple[Signal, Callable[..., Any]]) -> list[Connection]:
    """Connect each (signal, bound method of ``widget``) until ``widget`` closes."""
    connections = [signal.connect(method) for signal, method in pairs]

    def release(*_args: object) -> None:
        for connection in connections:
            connection.disconnect()

    if isinstance(widget, QDialog):
        widget.finished.connect(release)
    widget.destroyed.connect(release)
    return connections
