"""A minimal signal: listeners connected to an event, called in order when it is emitted.

The review history and session emit these; Qt widgets subscribe to them (as napari's
``_qt`` layer subscribes to its models' events) instead of being refreshed by hand.

The rule of lifetime, so that a closed dialog is not refilled for ever:

- a **bound method** (``widget.refill``) is held through a weak reference: when its
  object goes, the listener goes with it (``weakref.WeakMethod``). Widgets and
  controllers connect bound methods;
- anything else (a plain function, a lambda, ``list.append``) is held strongly and lives
  as long as the signal does: use it only for what lives as long as the session (a test's
  recorder), or keep the returned ``Connection`` and call its ``disconnect``.

A Qt widget whose Python object outlives its window (a dialog parented to the main
window is kept by its parent) disconnects when it closes: ``gui.common.listening`` does that.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable
from typing import Any


class Connection:
    """One listener on one signal; ``disconnect()`` removes it (twice is harmless)."""

    def __init__(self, signal: Signal, callback: Callable[..., Any]) -> None:
        self._signal: weakref.ref[Signal] = weakref.ref(signal)
        self._ref: Callable[[], Callable[..., Any] | None]
        if isinstance(callback, types.MethodType):
            self._ref = weakref.WeakMethod(callback)
        else:
            self._ref = lambda: callback

    def callback(self) -> Callable[..., Any] | None:
        """The listener, or None once its object is gone."""
        return self._ref()

    def disconnect(self) -> None:
        signal = self._signal()
        if signal is not None and self in signal._connections:
            signal._connections.remove(self)


class Signal:
    """``connect(listener)``; ``emit(*args)`` calls every live listener with ``args``."""

    def __init__(self) -> None:
        self._connections: list[Connection] = []

    def connect(self, callback: Callable[..., Any]) -> Connection:
        connection = Connection(self, callback)
        self._connections.append(connection)
        return connection

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Remove the first connection of ``callback``; ValueError if it is not connected."""
        for connection in self._connections:
            if connection.callback() == callback:
                self._connections.remove(connection)
                return
        raise ValueError(f"{callback!r} is not connected")

    def emit(self, *args: Any) -> None:
        for connection in list(self._connections):
            if connection not in self._connections:
                continue  # disconnected by an earlier listener of this emission
            callback = connection.callback()
            if callback is None:
                self._connections.remove(connection)  # its object is gone
            else:
                callback(*args)

    def __len__(self) -> int:
        """The live listeners (those whose object is gone are dropped first)."""
        self._connections = [c for c in self._connections if c.callback() is not None]
        return len(self._connections)
