"""What every export format is: one record (name, suffix, writer, what it carries).

A format module defines ``EXPORT = ExportFormat(...)`` and a writer that takes the
reviewed articles and a :class:`Sink`; ``core.formats.registry`` lists them, and
``core.formats.export`` does what is common to all (filters, validation, temporary
files, progress, cancel). Adding a format is one module and one line in the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from core.models import Label, RelationType, Reviewed, Topic
from core.store.rules import Linker  # the project's (project.linker())
from core.text.json_lines import json_line


@dataclass
class ExportReport:
    """What one export wrote."""

    articles: int = 0
    spans: int = 0
    files: list[Path] = field(default_factory=list)
    cancelled: bool = False
    fmt: str = ""
    rows: int = 0  # rows of the claims and facts CSVs, lines of the versions export
    unit: str = "entities"  # what the format counts, for the summary
    relations: int = 0  # relations written, by a format that carries them

    def summary(self) -> str:
        """What was written, in the unit of the format: "8 article(s), 12 claim(s)", and
        the relations when there were any: "2 article(s), 11 entities, 5 relations"."""
        counted = (f"{self.spans} entities" if self.unit == "entities"
                   else f"{self.rows} {self.unit}")
        related = (f", {self.relations} relations" if self.relations and self.unit == "entities"
                   else "")
        return f"{self.articles} article(s), {counted}{related}"


@dataclass
class Sink:
    """Where a writer writes, and what it may need besides the articles."""

    report: ExportReport
    linker: Linker
    fh: TextIO | None = None  # text formats: the open temporary file
    paths: list[Path] = field(default_factory=list)  # file formats: temporary paths to write
    split: float | None = None
    seed: int = 0
    total: int = 0
    labels: list[tuple[str, str]] = field(default_factory=list)  # the scheme: (name, colour)
    scheme: list[Label] = field(default_factory=list)  # the scheme, whole (Assay JSONL)
    # The scheme's relation types, for formats that carry relations (their configs, the
    # direction of a symmetric type).
    relation_types: list[RelationType] = field(default_factory=list)
    # The scheme's topics, for formats that carry them: a multi-label format names every
    # topic (spaCy's doc.cats, Prodigy's options, Label Studio's <Choices>).
    topics: list[Topic] = field(default_factory=list)


Writer = Callable[[Iterable[Reviewed], Sink], None]


@dataclass(frozen=True)
class ExportFormat:
    """One export format."""

    name: str  # the CLI's -f value
    title: str  # what the export dialog shows
    suffix: str  # the usual file suffix, with its dot
    write: Writer
    carries: str  # one line for the README and the dialog: what the file holds
    claims: bool = False  # reads accepted claims
    # reads every span and claim whatever its state, with who and when (Assay JSONL)
    decisions: bool = False
    suggestions: bool = False  # reads suggested spans too (as predictions)
    versions: bool = False  # reads the reviewers' versions (a team project)
    # reads the relations between the spans it reads (``Project.reviewed``: accepted ones
    # between accepted spans; with ``suggestions`` the live suggested ones too; with
    # ``decisions`` every one, whatever its state)
    relations: bool = False
    # reads each article's topics (``Reviewed.topics``) in the states it reads spans in:
    # accepted; with ``suggestions`` the suggested too; with ``decisions`` all
    topics: bool = False
    tokens: bool = False  # written from Assay's tokens, split at span edges
    text_file: bool = True  # False: the writer writes ``sink.paths`` itself
    splits: bool = False  # can write a train/dev split
    spaces_in_spans: bool = True  # False: refuse spans that begin or end with a space
    spaces_in_labels: bool = True  # False: refuse labels with a space (a column separator)
    unit: str = "entities"
    companions: tuple[str, ...] = ()  # extra files written beside it: "<stem><suffix>"


def dump(obj: Any) -> str:
    """One JSON line with its newline (``core.text.json_lines``: non-ASCII kept as is but
    U+2028/U+2029 escaped, so a reader splitting with ``str.splitlines()`` sees one)."""
    return json_line(obj) + "\n"
