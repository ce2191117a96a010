"""JSONL in, JSONL out around :func:`core.jobs.records.annotate_records`, in constant memory.

``assay-cli annotate-jsonl`` and the Dask recipe share these parts, so a file annotated on
one desktop and a partition annotated on a cluster read, report and write the same way:

* :class:`JsonlRecords` turns numbered lines into records, reporting a line that is not
  JSON with its number and going on (as ``assay-cli import`` does);
* :func:`dumps_record` writes a record back exactly as it was read;
* :func:`annotate_jsonl` streams one file (or stdin) into another (or stdout), written
  under a temporary name and renamed at the end, so an interrupted run never leaves half
  a file where the result belongs.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from core.errors import AssayError
from core.formats.bad_content import BadContent
from core.formats.encoding import _text_lines  # the import's own reading of a JSONL file
from core.formats.read_records import json_problem as _json_error  # the import's own words
from core.jobs.leftovers import remove_leftovers, run_mark
from core.jobs.records import annotate_records
from core.store.files import check_destination
from core.text.json_lines import json_line

ProblemHandler = Callable[[str], None]


class JsonlRecords:
    """The records of numbered JSONL lines, for :func:`annotate_records`.

    Blank lines are skipped; a line that is not JSON goes to ``on_problem`` as
    ``"WHERE:LINE: malformed JSON (...)"``. A file whose first line opens a JSON array is
    refused as a whole (AssayError): read line by line it is nothing but problems, and its
    output would be an empty file. :meth:`skip` is an ``on_skip`` for
    ``annotate_records`` that names the record's line: the line numbers of the last
    ``keep`` records are remembered, which covers the batch in flight.
    """

    def __init__(self, lines: Iterable[tuple[int, str]], where: str,
                 on_problem: ProblemHandler, keep: int = 4096) -> None:
        self._lines = lines
        self.where = where
        self.on_problem = on_problem
        self._numbers: deque[int] = deque(maxlen=keep)
        self.records = 0  # records yielded so far
        self.line = 0  # the last line read
        self.bad_lines = 0

    def __iter__(self) -> Iterator[Any]:
        for number, line in self._lines:
            self.line = number
            if not line.strip():
                continue
            if not self.records and not self.bad_lines and line.lstrip().startswith("["):
                raise AssayError(
                    f"{self.where} holds a JSON array, not JSON Lines (one record per line); "
                    "nothing was written. Convert it first, for example with: "
                    f"jq -c '.[]' {self.where} > records.jsonl")
            try:
                record = json.loads(line, strict=False)  # strict=False: as the import reads
            except (ValueError, RecursionError) as exc:
                self.bad_lines += 1
                self.on_problem(f"{self.where}:{number}: {_json_error(exc)}")
                continue
            self._numbers.append(number)
            self.records += 1
            yield record

    def line_of(self, index: int) -> int | None:
        """The line of the ``index``-th record yielded (0-based), while it is remembered."""
        first = self.records - len(self._numbers)
        return self._numbers[index - first] if first <= index < self.records else None

    def skip(self, index: int, reason: str) -> None:
        line = self.line_of(index)
        where = f"{self.where}:{line}" if line is not None else f"{self.where} record {index + 1}"
        self.on_problem(f"{where}: {reason}")


def dumps_record(record: dict[str, Any]) -> str:
    """One JSON line that reads back as ``record`` (no newline at the end).

    UTF-8 as is, U+2028/U+2029 escaped; a lone surrogate (valid in JSON as ``"\\ud800"``,
    not in UTF-8) makes the whole line ASCII with escapes instead (``json_line``).
    """
    return json_line(record)


def file_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines of a JSONL file, decoded exactly as ``assay-cli import`` decodes them."""
    try:
        yield from _text_lines(path)
    except BadContent as exc:
        if str(exc) != "empty":  # an empty file is simply no records
            raise AssayError(f"{path}: {exc}") from exc


def stream_lines(stream: BinaryIO, where: str,
                 on_problem: ProblemHandler) -> Iterator[tuple[int, str]]:
    """Numbered lines of a UTF-8 byte stream (stdin); a line that is not UTF-8 is a problem."""
    for number, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            on_problem(f"{where}:{number}: not UTF-8 (byte {exc.start + 1})")
            continue
        yield number, line.lstrip("\ufeff") if number == 1 else line


def count_lines(path: Path) -> int:
    """Lines in a file, counted in 64 KB chunks (for the progress bar's total)."""
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 16):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


@dataclass
class RecordsReport:
    """What one :func:`annotate_jsonl` run did, for the CLI's summary."""

    records: int = 0  # records written
    problems: int = 0  # lines and records not written
    suggestions: int = 0
    seconds: float = 0.0
    model: str = ""


def annotate_jsonl(
    source: Path | BinaryIO,
    dest: Path | TextIO,
    annotator,  # core.nlp.pipeline.Annotator
    *,
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    on_problem: ProblemHandler | None = None,
) -> RecordsReport:
    """Annotate every record of ``source`` into ``dest``; problems are reported, not fatal.

    A path is read as the import reads it; a byte stream (stdin) as UTF-8. A path ``dest``
    is written atomically (:func:`atomic_text_file`); a text stream as the records come.
    Progress is in lines of ``source``: for a file the total is counted first, in one fast
    pass over its bytes; a stream has no total and no progress.
    """
    report = RecordsReport(model=annotator.model_id)

    def problem(message: str) -> None:
        report.problems += 1
        if on_problem:
            on_problem(message)

    if isinstance(source, Path):
        where, lines = str(source), file_lines(source)
        total = count_lines(source)
    else:
        where = "stdin"
        lines, total = stream_lines(source, where, problem), 0
    reader = JsonlRecords(lines, where, problem, keep=max(4096, 2 * batch_size))
    started = time.perf_counter()
    every = max(1, batch_size)
    try:
        with _opened(dest) as fh:
            for record in annotate_records(reader, annotator, batch_size=batch_size,
                                           on_skip=reader.skip):
                fh.write(dumps_record(record))
                fh.write("\n")
                report.records += 1
                report.suggestions += sum(1 for sp in record["spans"] if isinstance(sp, dict)
                                          and sp.get("model") == report.model)
                if progress and total and report.records % every == 0:
                    progress(min(reader.line, total), total)
    except BrokenPipeError:  # stdout closed early (`| head`): the CLI's own handling
        raise
    except OSError as exc:  # reading the input or writing the output (a full disk)
        kept = "nothing was written to it" if isinstance(dest, Path) else "it is incomplete"
        raise AssayError(f"Stopped annotating {where}: {exc.strerror or exc}; the output "
                         f"was not finished and {kept}.") from exc
    if progress and total:
        progress(total, total)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _opened(dest: Path | TextIO) -> Iterator[IO[str]]:
    if isinstance(dest, Path):
        with atomic_text_file(dest) as fh:
            yield fh
    else:
        yield dest
        dest.flush()


def check_output(path: Path) -> Path:
    """The file an output may replace, or AssayError: a folder, a device, a project (any
    SQLite file) or its side files are refused (``core.store.files.check_destination``),
    so a slip of the finger cannot overwrite a project."""
    return check_destination(path, [], "write the output to")


def _partial_name(path: Path) -> str:
    return f"{path.name}.{run_mark()}.partial"


def remove_killed_outputs(path: Path) -> list[Path]:
    """The partial outputs for ``path`` that killed runs left behind (``OUT.partial`` of an
    older Assay, ``OUT.<host>.<pid>.partial``), removed; one still being written stays."""
    pattern = re.compile(re.escape(path.name)
                         + r"(?:\.(?P<host>[A-Za-z0-9]+)\.(?P<pid>\d+))?\.partial")
    return remove_leftovers(path.parent, pattern)


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at ``path`` whole or not at all.

    Written as ``<name>.partial`` in the same folder (so the rename cannot cross file
    systems), flushed and fsynced, then renamed over ``path``; the folder is fsynced so the
    rename itself survives a power cut. Any failure or Ctrl+C removes the partial file and
    leaves ``path`` as it was; a ``kill -9`` can leave only the ``.partial``, named with this
    run's host and pid so that the next run removes it (:func:`remove_killed_outputs`). What
    :func:`check_output` refuses is refused before anything is written.
    """
    path = check_output(path)
    partial = path.with_name(_partial_name(path))
    try:
        fh = partial.open("x", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise AssayError(f"Cannot write {path}: {exc.strerror or exc}. Nothing was "
                         "written.") from exc
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except BaseException:
        with suppress(OSError):
            partial.unlink()
        raise
    with suppress(OSError):  # not every platform or file system can fsync a folder
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
