"""A minimal signal: callbacks connected to an event, called in order when it is emitted.

The review history and session emit these; Qt widgets connect to them (as napari's
``_qt`` layer connects to its models' events) instead of being refreshed by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Signal:
    """``connect(callback)``; ``emit(*args)`` calls every callback with ``args``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)
