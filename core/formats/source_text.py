"""What every import reader shares: the record of a problem, the reading of a whole
file's bytes and text, and the normalising of text and pre-made span offsets.

Each reader (``read_documents``, ``read_records``, ``read_csv``) yields entries: the line
an article came from (None for whole-file formats) and the article or a problem.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.formats.bad_content import BadContent as _BadContent
from core.formats.encoding import (
    decode_bytes,
)
from core.models import (
    ArticleIn,
    SchemeIn,
    SpanIn,
)
from core.text.normalise import normalise_text

# One article this large is almost certainly not an article (a dump, a log) and
# would make the review window crawl; refuse it with a clear message instead.
MAX_ARTICLE_BYTES = 100 * 1024 * 1024


# ---------------------------------------------------------------- public records


@dataclass(frozen=True)
class ImportProblem:
    """Something in one file (or one line of it) that could not be imported, and why."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """What one :func:`import_paths` call did; the CLI prints it, the GUI shows it."""

    files: int = 0
    added: int = 0
    duplicates: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    cancelled: bool = False
    scheme_changed: bool = False  # an Assay JSONL export's label scheme was taken


# An entry read from a file: the line it came from (None for whole-file formats)
# and either an article or a problem. The line lets import_paths report an
# article that the store rejects later.
# What a reader yields: an article, a problem, or (an Assay JSONL export's first line) a scheme.
Entry = tuple[int | None, ArticleIn | ImportProblem | SchemeIn]


# Told after each page of a paged file (a PDF) is read: (pages done, pages in the file).
# It may raise ImportCancelled to stop reading that file.
PageHook = Callable[[int, int], None]


class ImportCancelled(Exception):  # noqa: N818 (a request, not an error)
    """The user cancelled while a file was being read: the file gives nothing."""


def problem(path: Path, line: int | None, reason: str) -> ImportProblem:
    return ImportProblem(str(path), line, reason)



def read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise _BadContent(
            f"too large for one article ({size / 1e6:.0f} MB; the limit is "
            f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB); split it or convert it to JSONL"
        )
    with path.open("rb") as fh:
        return fh.read()


def whole_text(data: bytes, declared: str | None = None) -> str:
    """Decoded and normalised text of a whole-file article; empty text is a problem."""
    text = normalised(decode_bytes(data, declared))
    if not text.strip():
        raise _BadContent("empty")
    return text



# ---------------------------------------------------------------- normalising and offsets


def normalised(raw: str) -> str:
    """``normalise_text`` applied until nothing changes.

    The store normalises again on insert, so what we hand it must be a fixed
    point, or span offsets would shift under it. One pass is not always one:
    a second leading BOM ("\\ufeff\\ufeffX") survives the first.
    """
    return normalised_with_spans(raw, [])[0]


def normalised_with_spans(raw: str, spans: list[SpanIn]) -> tuple[str, list[SpanIn]]:
    """The normalised text and the spans moved onto it; raises _BadContent if they cannot be."""
    text = raw
    for _ in range(8):
        after = normalise_text(text)
        if after == text:
            break
        if spans:
            spans = remap_spans(text, after, spans)
        text = after
    return text, spans




class RawOffsets:
    """Maps character offsets in a raw text to offsets in ``normalise_text(raw)``.

    Normalisation only ever drops characters (the ``\\n`` of ``\\r\\n``, a leading
    BOM, control characters) or replaces one with one (a lone ``\\r``), so an
    offset moves left by the number of dropped characters before it. Only the
    dropped positions are stored, which keeps this cheap on a 5 MB text.
    """

    _DROPPED = re.compile(r"(?<=\r)\n|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        boms = len(raw) - len(raw.lstrip("\ufeff"))  # normalise_text drops every leading BOM
        dropped = list(range(boms)) + [m.start() for m in self._DROPPED.finditer(raw, boms)]
        self.dropped = dropped

    def __call__(self, offset: int) -> int:
        return offset - bisect.bisect_left(self.dropped, offset)

    def fits(self, target: str) -> bool:
        """True when this map agrees with how ``target`` was made from the raw text."""
        return len(target) == len(self.raw) - len(self.dropped)


def remap_spans(raw: str, target: str, spans: list[SpanIn]) -> list[SpanIn]:
    """Spans moved from ``raw`` onto ``target = normalise_text(raw)``; raises _BadContent if not.

    A span is kept only if its normalised text is exactly the normalisation of
    the text it covered, so a span that cut a ``\\r\\n`` in half, or covered
    only dropped characters, is reported rather than silently moved.
    """
    mapping = RawOffsets(raw)
    if not mapping.fits(target):
        raise _BadContent("cannot map span offsets onto the normalised text")
    moved = []
    for i, span in enumerate(spans):
        start, end = mapping(span.start), mapping(span.end)
        expected = normalise_text(raw[span.start:span.end])
        if start >= end or target[start:end] != expected:
            raise _BadContent(
                f"span {i} [{span.start}, {span.end}) cannot be mapped onto the normalised "
                "text (it covers only control characters or half a line break)"
            )
        moved.append(SpanIn(start, end, span.label, span.origin, span.state, span.kb_id,
                            span.model))
    return moved
