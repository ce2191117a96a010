"""Spreadsheets: ``.csv`` (and ; tab | separated), text and title columns chosen by name."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.formats.bad_content import BadContent as _BadContent
from core.formats.encoding import (
    _text_lines,
)
from core.formats.html import TITLE_MAX_CHARS, _collapse
from core.formats.source_text import (
    Entry,
    ImportProblem,
    normalised,
    problem,
)
from core.models import (
    ArticleIn,
)
from core.text.normalise import normalise_text

# ---------------------------------------------------------------- .csv


_TEXT_COLUMNS = ("text", "body", "content", "article")
_COLUMN_NAMES = {
    "title": ("title", "headline"),
    "source": ("source", "publisher"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "pubdate"),
}
_DELIMITERS = (",", ";", "\t", "|")


def read_csv(path: Path) -> Iterator[Entry]:
    """One article per row; the columns are found by name in the header row."""
    _raise_csv_field_limit()
    lines = _text_lines(path, keep_ends=True, universal=True)
    header_line, header = _csv_header(lines)
    columns = _csv_columns(header)
    reader = csv.reader((line for _n, line in lines), delimiter=header.delimiter)
    reader_lines = header_line  # physical lines consumed before the reader started
    rows = 0
    while True:
        start = reader_lines + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows += 1
            yield start, problem(path, start, f"malformed CSV ({exc})")
            continue
        if row:
            rows += 1
            yield start, _csv_article(path, start, row, columns)
    if not rows:
        raise _BadContent("no rows after the header")


@dataclass(frozen=True)
class _Header:
    names: list[str]
    delimiter: str


def _csv_header(lines: Iterator[tuple[int, str]]) -> tuple[int, _Header]:
    """Read the header row, choosing the delimiter under which a text column appears."""
    explicit = None
    for number, line in lines:
        if not line.strip():
            continue
        if line.lower().startswith("sep=") and explicit is None:
            explicit = line.strip()[4:5] or ","  # Excel's delimiter hint line
            continue
        return number, _parse_header(line, explicit)
    raise _BadContent("empty")


def _parse_header(line: str, explicit: str | None) -> _Header:
    candidates = (explicit,) if explicit else _DELIMITERS
    parsed = []
    for delimiter in candidates:
        try:
            names = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error as exc:
            raise _BadContent(f"malformed CSV header ({exc})") from exc
        names = [n.strip().lstrip("\ufeff").lower() for n in names]
        if any(n in _TEXT_COLUMNS for n in names):
            return _Header(names, delimiter)
        parsed.append(names)
    found = ", ".join(name for name in parsed[0] if name)[:200] or "none"
    raise _BadContent(
        f"no text column (expected one of {', '.join(_TEXT_COLUMNS)}; found: {found})"
    )


def _csv_columns(header: _Header) -> dict[str, int]:
    names = header.names
    columns = {"text": next(names.index(n) for n in _TEXT_COLUMNS if n in names)}
    for field_name, choices in _COLUMN_NAMES.items():
        for choice in choices:
            if choice in names:
                columns[field_name] = names.index(choice)
                break
    return columns


def _csv_article(
    path: Path, line: int, row: list[str], columns: dict[str, int]
) -> ArticleIn | ImportProblem:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else ""

    text = normalised(cell("text"))
    if not text.strip():
        return problem(path, line, "empty text")
    return ArticleIn(
        text=text,
        title=_collapse(normalise_text(cell("title")))[: TITLE_MAX_CHARS * 2],
        source=cell("source").strip() or path.name,
        url=cell("url").strip(),
        published=cell("published").strip(),
    )


def _raise_csv_field_limit() -> None:
    """Allow fields as long as an article: the default 128 KB limit rejects long texts."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # C long is 32 bits on Windows
            limit //= 2
