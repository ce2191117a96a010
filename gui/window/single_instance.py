"""One Assay per user and data folder: a project double-clicked while Assay runs opens there.

A desktop starts a new process for every double-click on a ``.assay`` file. Without this,
the second process would open its own window, and since the first window holds the lock of
*its* project the user would end up with two windows to keep apart. So the first Assay
listens on a local socket (``QLocalServer``: a Unix socket on Linux and macOS, a named pipe
on Windows), and a later start that was given a project hands the path over and exits. The
running window opens it exactly as File → Open does: its lock, its read-only banner when
another process holds the project, its message when the file is not a project.

The name includes the user and the data folder, so two users on one machine, or a test run
with its own HOME, never reach each other's Assay. The message is one line of JSON; the
path in it is only ever opened as a project (never run, never shown as rich text).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from core.text.normalise import one_line

HANDOFF_WAIT_MS = 3000
MAX_MESSAGE = 64 * 1024  # a path; anything longer is not from an Assay


def server_name(data_folder: Path) -> str:
    """The socket name of the Assay that uses *data_folder* (its settings, sample, logs)."""
    key = f"{getpass.getuser()}\0{Path(data_folder).resolve()}"
    return "assay-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def hand_to_running(name: str, project: Path | None,
                    wait_ms: int = HANDOFF_WAIT_MS) -> str | None:
    """Ask the running Assay called *name* to open *project* (or, given None, just to come to
    the front); its answer, or None if no Assay runs."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(wait_ms):
        return None
    ask = {"open": str(Path(project).resolve())} if project is not None else {"show": True}
    message = json.dumps(ask) + "\n"
    socket.write(message.encode("utf-8"))
    socket.waitForBytesWritten(wait_ms)
    answer = b""
    while not answer.endswith(b"\n") and socket.waitForReadyRead(wait_ms):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    text = one_line(answer.decode("utf-8", "replace"))
    return text or "The running Assay did not answer; it may be busy. Try again."


class InstanceServer(QObject):
    """Listens for later starts of Assay and passes each project path to *open_project*
    (``""`` when a start without a project only asks the running window to show itself).

    *open_project* is called after the answer has gone back, from the event loop, so a
    dialog it shows (a damaged file, say) never keeps the second process waiting.
    """

    def __init__(self, name: str, open_project: Callable[[str], object]) -> None:
        super().__init__()
        self._open_project = open_project
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self._server.listen(name):
            # A socket left by an Assay that was killed: nobody answered on it (the caller
            # tried first), so it is safe to remove and listen again.
            QLocalServer.removeServer(name)
            self._server.listen(name)
        self._server.newConnection.connect(self._accept)

    def hand_to(self, open_project: Callable[[str], object]) -> None:
        """From now on pass projects to *open_project* (the window, once it exists)."""
        self._open_project = open_project

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_MESSAGE:
                socket.abort()
            return
        line = bytes(socket.readLine(MAX_MESSAGE).data())
        try:
            asked = json.loads(line.decode("utf-8"))
            path = "" if asked.get("show") is True else asked["open"]
            if not isinstance(path, str) or not (path or asked.get("show") is True):
                raise ValueError(path)
        except (ValueError, KeyError, TypeError, AttributeError):
            socket.write(b"Not understood.\n")
            socket.flush()
            socket.disconnectFromServer()
            return
        answer = (f"Opening {one_line(path)} in the running Assay window." if path
                  else "Assay is already running; its window is brought to the front.")
        socket.write(answer.encode("utf-8") + b"\n")
        socket.flush()
        socket.disconnectFromServer()
        QTimer.singleShot(0, lambda: self._open_project(path))
