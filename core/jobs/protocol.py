"""The messages a CLI job prints for the window, one JSON object a line (``--json-progress``).

The window runs ``assay-cli annotate --json-progress`` (and ``import``, ``train``) as a
child process (spaCy and pdfminer hold the GIL, so a thread would make the window stutter)
and reads these lines back. Both
sides use these types, so a field is named once: the CLI ``encode``s, the window
``decode``s, and a line that is not a message (a stray print) is ignored.

On the wire: ``{"event": "progress", "done": 3, "total": 10, "stage": ""}``,
``{"event": "warning", "message": "..."}`` and ``{"event": "done", ...}`` with the
job's own result fields.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from core.text.json_lines import json_line


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` finished; ``stage`` names a step without counts ("loading the
    model…")."""

    done: int
    total: int
    stage: str = ""


@dataclass(frozen=True)
class Warning:  # noqa: A001 (the wire name)
    message: str


@dataclass(frozen=True)
class AnnotateDone:
    articles: int = 0
    suggestions: int = 0
    model: str = ""
    failed: tuple[int, ...] = field(default_factory=tuple)  # articles skipped, by id
    cancelled: bool = False
    relations: int = 0  # relation suggestions between the suggested entities


@dataclass(frozen=True)
class ImportDone:
    added: int = 0
    duplicates: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)
    cancelled: bool = False  # stopped by Cancel: what came before is kept


@dataclass(frozen=True)
class ExportDone:
    articles: int = 0
    entities: int = 0
    files: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class TrainDone:
    """A trained model: where it is, and micro F1 on dev for it and for the pre-annotator
    it was compared with (None if that one could not be scored)."""

    model_id: str = ""
    path: str = ""
    f: float | None = None
    baseline_f: float | None = None
    baseline: str = ""
    cancelled: bool = False


Done = AnnotateDone | ImportDone | ExportDone | TrainDone
Message = Progress | Warning | Done
_EVENTS: dict[type, str] = {Progress: "progress", Warning: "warning", AnnotateDone: "done",
                            ImportDone: "done", ExportDone: "done", TrainDone: "done"}


def encode(message: Message) -> str:
    """One JSON line (without the newline)."""
    return json_line({"event": _EVENTS[type(message)], **asdict(message)})


def decode(line: str | bytes, done: type[Done] = AnnotateDone) -> Message | None:
    """The message on one line, or None if the line is not one. ``done`` is the result type
    of the job being read (its "done" line carries that job's fields)."""
    try:
        raw: Any = json.loads(line)
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    kind = {"progress": Progress, "warning": Warning, "done": done}.get(raw.get("event", ""))
    if kind is None:
        return None
    names = {f.name: f for f in fields(kind)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in names}
    try:
        return kind(**values)
    except TypeError:  # a required field is missing
        return None
