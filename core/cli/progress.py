"""Progress of a long command: a bar on a terminal, or JSON lines for the window."""

from __future__ import annotations

import sys
import time

from core.jobs import protocol


class ProgressPrinter:
    """A one-line progress bar on a terminal, or JSON lines for a parent process.

    The GUI runs ``assay-cli annotate --json-progress`` as a child process and
    reads these lines, so the two views of progress come from one place.
    """

    def __init__(self, what: str, json_lines: bool = False, stream=None) -> None:
        self.what = what
        self.json_lines = json_lines
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if self.json_lines:
            print(protocol.encode(protocol.Progress(done, total)), file=sys.stdout, flush=True)
            return
        now = time.perf_counter()
        if not self.tty and done != total and now - self._last < 2.0:
            return
        self._last = now
        fraction = done / total if total else 1.0
        bar = "#" * int(fraction * 30)
        rate = done / (now - self.started) if now > self.started else 0.0
        line = f"{self.what} [{bar:<30}] {done}/{total} ({rate:,.0f}/s)"
        end = "\r" if self.tty and done != total else "\n"
        print(line, end=end, file=self.stream, flush=True)

