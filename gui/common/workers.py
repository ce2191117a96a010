"""Long work off the GUI thread: import in a QThread, pre-annotation in a child process.

Import is I/O-bound, so a thread with its own SQLite connection keeps the
window responsive. spaCy holds the GIL, so pre-annotation runs as
``assay-cli annotate --json-progress`` in a QProcess: the window stays
smooth, and Cancel is a clean terminate (committed batches stay).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QThread, QTimer, Signal
from shiboken6 import isValid

from core.formats.export import export
from core.jobs import protocol
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.faults import describe, is_file_fault


def cli_command() -> list[str]:
    """How to start ``assay-cli``: the frozen app runs itself with ``cli``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "cli"]
    return [sys.executable, "-m", "core.cli"]


Work = Callable[[Project, Callable[[int, int], None], Callable[[], bool]], object]


class _ThreadWorker(QObject):
    """Runs one piece of work on its own connection to the project, in a worker thread."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, project_path: Path, work: Work, read_only: bool = False) -> None:
        super().__init__()
        self.project_path = project_path
        self.work = work
        self.read_only = read_only
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        try:
            with Project.open(self.project_path, read_only=self.read_only,
                              rules=store_rules()) as project:
                result = self.work(project, self.progress.emit, lambda: self._cancel)
        except Exception as exc:  # shown to the user; committed batches are kept
            self.failed.emit(describe(exc, self.project_path) if is_file_fault(exc)
                             else str(exc))
            return
        self.finished.emit(result)


class ThreadJob(QObject):
    """Owns the thread of one worker and cleans both up when it ends."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, project_path: Path, work: Work, parent: QObject | None = None,
                 read_only: bool = False):
        super().__init__(parent)
        self._thread = QThread(self)
        self.worker = _ThreadWorker(project_path, work, read_only)
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        self.worker.progress.connect(self.progress)
        self.worker.finished.connect(self._done)
        self.worker.failed.connect(self._failed)

    def start(self) -> None:
        _LIVE.add(self)
        app = QCoreApplication.instance()
        if app is not None and not app.property("assay_waits_for_jobs"):
            # Quitting with a worker running would destroy its QThread, which aborts the
            # process: the app waits for them (each is cancelled first) instead.
            app.setProperty("assay_waits_for_jobs", True)
            app.aboutToQuit.connect(_wait_for_jobs)
        self._thread.start()

    def cancel(self) -> None:
        self.worker.cancel()

    def _done(self, result: object) -> None:
        self._thread.quit()
        self._thread.wait()
        _LIVE.discard(self)
        self.finished.emit(result)

    def _failed(self, message: str) -> None:
        self._thread.quit()
        self._thread.wait()
        _LIVE.discard(self)
        self.failed.emit(message)


# Started and not ended: a job keeps itself alive here, so one with no parent (its window
# may close while it runs) is not collected, and the app waits for them when it quits.
_LIVE: set[ThreadJob] = set()


def _wait_for_jobs() -> None:
    for job in list(_LIVE):
        job.cancel()
        job._thread.quit()
        job._thread.wait()
    _LIVE.clear()


def web_import_job(project_path: Path, sources: list, options=None,
                   parent: QObject | None = None) -> ThreadJob:
    """Fetch and import pages and feeds in the background (``core.web.web_import``);
    finishes with a WebImportReport. Network I/O: a thread keeps the window responsive."""
    from core.web.web_import import import_web

    return ThreadJob(project_path, lambda project, progress, cancel: import_web(
        project, sources, options=options, progress=progress, should_cancel=cancel), parent)


def export_job(project_path: Path, options: dict, parent: QObject | None = None,
               read_only: bool = False) -> ThreadJob:
    """Export in the background; ``options`` are ``core.formats.export.export`` keywords."""
    return ThreadJob(project_path, lambda project, progress, cancel: export(
        project, progress=progress, should_cancel=cancel, **options), parent, read_only)

# A child asked to stop (SIGTERM) that is still running after this long is killed: time
# for training to remove its half-written folder, not forever for a PDF stuck in a page.
KILL_AFTER_MS = 10_000


class CliJob(QObject):
    """Runs ``assay-cli <command> … --json-progress`` as a child process and relays its JSON
    lines (``core.jobs.protocol``) as signals: for work that holds the GIL (spaCy), which a
    thread would let stutter the window. Cancel terminates the child, which cleans up."""

    progress = Signal(int, int)
    warning = Signal(str)
    finished = Signal(object)  # the command's protocol "done" message
    stage = Signal(str)  # a step without counts: "loading the model…"
    failed = Signal(str)

    def __init__(self, args: list[str], done: type, what: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = QProcess(self)
        command = cli_command()
        self.process.setProgram(command[0])
        self.process.setArguments([*command[1:], *args, "--json-progress"])
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self._done_type = done
        self._what = what
        self._buffer = b""
        self._result = done()
        self._reported = False  # the child printed its "done": its report, whatever its exit
        self._cancelled = False

    def start(self) -> None:
        self.process.start()

    def cancel(self) -> None:
        """Ask the child to stop (SIGTERM: it keeps what it finished and exits); one that
        has not ended after ``KILL_AFTER_MS`` (stuck inside one PDF page, say) is killed."""
        self._cancelled = True
        self.process.terminate()
        QTimer.singleShot(KILL_AFTER_MS, self._kill_if_running)

    def _kill_if_running(self) -> None:
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.kill()

    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            message = protocol.decode(line, self._done_type)
            if isinstance(message, protocol.Progress):
                # counts first: the dialog resets its label with them, then shows the stage
                self.progress.emit(message.done, message.total)
                if message.stage:
                    self.stage.emit(message.stage)
            elif isinstance(message, protocol.Warning):
                self.warning.emit(message.message)
            elif isinstance(message, self._done_type):
                self._result = message
                self._reported = True

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._read()
        if self._cancelled:
            self.finished.emit(replace(self._result, cancelled=True))
        elif code == 0 or self._reported:  # an import of only bad files exits 1, reported
            self.finished.emit(self._result)
        else:
            err = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
            lines = [ln for ln in err.splitlines() if ln.strip()]
            self.failed.emit(lines[-1] if lines else f"{self._what} exited with code {code}")


class AnnotateJob(CliJob):
    """``assay-cli annotate``: pre-annotation with the project's chosen model."""

    def __init__(self, project_path: Path, force: bool = False,
                 parent: QObject | None = None) -> None:
        args = ["annotate", str(project_path), *(["--force"] if force else [])]
        super().__init__(args, protocol.AnnotateDone, "pre-annotation", parent)


class ImportJob(CliJob):
    """``assay-cli import`` of files and folders: a child process, because pdfminer holds
    the GIL for a whole page (a thread made the window stutter) and a page it hangs in can
    only be stopped by ending the process."""

    def __init__(self, project_path: Path, paths: list[str],
                 parent: QObject | None = None) -> None:
        super().__init__(["import", str(project_path), *paths], protocol.ImportDone,
                         "import", parent)


class TrainJob(CliJob):
    """``assay-cli train``: a model trained on the approvals, saved beside the project."""

    def __init__(self, project_path: Path, dev: float = 0.2, seed: int = 0, epochs: int = 15,
                 parent: QObject | None = None) -> None:
        args = ["train", str(project_path), "--dev", str(dev), "--seed", str(seed),
                "--epochs", str(epochs)]
        super().__init__(args, protocol.TrainDone, "training", parent)


def read_for_window(window: QObject, current_path: Callable[[], Path | None], work: Callable,
                    done: Callable, failed: Callable) -> ThreadJob:
    """A read of the open project on a worker thread for a window beside the review (the
    statistics, the supply-chain map): ``done(value, same)`` / ``failed(message, same)``
    run only while the window still exists, ``same`` saying whether its project is still
    the one read. No parent: a window closed meanwhile must not destroy a running thread
    (the job keeps itself)."""
    path = current_path()
    assert path is not None  # reads start only with a project open
    job = ThreadJob(path, work, None, read_only=True)

    def ended(handler: Callable, value: object) -> None:
        job.deleteLater()
        if isValid(window):
            handler(value, path == current_path())

    job.finished.connect(lambda value: ended(done, value))
    job.failed.connect(lambda message: ended(failed, message))
    job.start()
    return job
