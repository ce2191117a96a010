"""Save a chart as PNG through the one writer of user-chosen files.

The statistics, agreement and models windows each offer "Save PNG…"; all three write
through ``core.store.files.write_atomically``, so a chart can never replace the open
project, one of its side files, a pipe or a system file, and a failed save leaves the
old file as it was. A refusal is shown as one sentence.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
from PySide6.QtWidgets import QWidget

from core.errors import AssayError
from core.store.files import write_atomically
from gui.common.plain_text import warn


def save_chart(parent: QWidget, figure: Figure, path: str) -> str | None:
    """Write ``figure`` to ``path`` as a 150 dpi PNG; the path, or None if refused."""
    try:
        write_atomically(Path(path), lambda fh: figure.savefig(fh, format="png", dpi=150),
                         [], "save the chart to")
    except AssayError as exc:
        warn(parent, "Chart not saved", str(exc))
        return None
    return path
