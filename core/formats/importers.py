"""Read articles from .txt, .md, .html, .pdf, .jsonl and .csv files (and folders of them) into a
project.

Import is the one place where outside text enters Assay, so everything that can
be wrong with a file is decided here: its encoding, whether it is text at all,
what part of it is the article, and whether offsets of pre-made spans still fit
after ``core.text.normalise.normalise_text``. From then on the stored text is frozen.

Two rules shape the code:

* A bad file or a bad line never stops an import: it becomes an
  :class:`ImportProblem` with a line number and the rest goes on.
* Import stays I/O-bound (no spaCy here) and commits in batches through
  ``Project.add_articles``, so a cancel or a crash loses at most one batch and
  re-running the same import adds exactly what is missing (duplicates are
  recognised by the SHA-256 of the normalised text).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from core.errors import AssayError, InvalidEdit
from core.formats.bad_content import BadContent as _BadContent
from core.formats.read_csv import read_csv
from core.formats.read_documents import read_html, read_plain
from core.formats.read_pdf import read_pdf
from core.formats.read_records import read_jsonl, read_label_studio
from core.formats.source_text import (
    MAX_ARTICLE_BYTES,
    Entry,
    ImportCancelled,
    ImportProblem,
    ImportReport,
    PageHook,
    problem,
)
from core.formats.topic_records import adopt_topics
from core.models import (
    ArticleIn,
    Label,
    RelationType,
    SchemeIn,
    Topic,
)
from core.store.files import refuse_project_file
from core.text.dates import dateline

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".jsonl", ".csv", ".json")
# An import with a paged file (a PDF) counts progress in hundredths of a file, so a long
# report moves the bar page by page; any other import counts whole files.
PAGE_STEPS = 100

# A batch is committed when it holds this many characters even if it has fewer
# than batch_size articles, so 500 five-megabyte articles never sit in memory.
BATCH_MAX_CHARS = 16_000_000
# A broken 100,000-line file should not produce 100,000 messages.
MAX_PROBLEMS_PER_FILE = 200


class _Store(Protocol):
    """The part of ``core.store.Project`` the importer needs (keeps this module store-agnostic)."""

    def add_articles(self, articles: Any, reviewer: str = ...) -> Any: ...

    def adopt_scheme(self, labels: Sequence[Label], reviewer: str) -> Any: ...

    def adopt_relation_types(self, types: Sequence[RelationType], reviewer: str) -> Any: ...

    def topics(self) -> list[Topic]: ...

    def topic_counts(self) -> dict[tuple[str, str], int]: ...

    def use_topics(self, topics: Sequence[Topic], reviewer: str) -> None: ...

    def add_topic(self, name: str, reviewer: str, *, color: str = ..., hotkey: str = ...,
                  description: str = ...) -> Any: ...


# ---------------------------------------------------------------- discovery


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """Expand files and folders into (files to import, skipped files), in a stable order.

    Folders are walked recursively with sorted names so that two imports of the
    same folder read the files in the same order. Hidden files and folders and
    files with other extensions are skipped, not errors: a folder of articles
    usually also holds a ``.DS_Store`` or a PDF. A path that does not exist is
    kept in the files list so that reading it reports the problem.
    """
    files, skipped, _ = _discover(paths)
    return files, skipped


def _discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path], list[ImportProblem]]:
    files: list[Path] = []
    skipped: list[Path] = []
    problems: list[ImportProblem] = []
    seen: set[Path] = set()

    def keep(path: Path) -> None:
        key = path.absolute()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, skipped, problems):
                keep(found)
        elif path.exists() and not _is_supported(path):
            skipped.append(path)
        else:
            keep(path)
    return files, skipped, problems


def _walk(root: Path, skipped: list[Path], problems: list[ImportProblem]) -> Iterator[Path]:
    """Files under ``root`` with a supported suffix; hidden entries and others go to skipped."""

    def on_error(exc: OSError) -> None:
        problems.append(ImportProblem(str(exc.filename or root), None,
                                      f"cannot read folder ({exc.strerror or exc})"))

    for folder, dirnames, filenames in os.walk(root, onerror=on_error):
        base = Path(folder)
        hidden_dirs = [d for d in dirnames if d.startswith(".")]
        skipped.extend(base / d for d in sorted(hidden_dirs))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = base / name
            if name.startswith(".") or not _is_supported(path):
                skipped.append(path)
            else:
                yield path


def _is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


# ---------------------------------------------------------------- reading one file


def read_file(path: Path) -> Iterator[ArticleIn | ImportProblem]:
    """Yield the articles in one file, and a problem for each part that cannot be read.

    Never raises for bad content or an unreadable file: the caller imports what
    it can and shows the problems.
    """
    for _line, item in _read_entries(Path(path)):
        if not isinstance(item, SchemeIn):
            yield item


def _read_entries(path: Path, pages: PageHook | None = None) -> Generator[Entry, None, None]:
    """Like :func:`read_file`, with the line each article came from, problems capped per file;
    a paged file tells ``pages`` after each page (which may raise ImportCancelled)."""
    reported = 0
    hidden = 0
    for line, item in _read_uncapped(path, pages):
        if isinstance(item, SchemeIn):
            yield line, item
            continue
        if not isinstance(item, ImportProblem) and _too_large(item.text):
            item = problem(path, line, _too_large(item.text))
        if isinstance(item, ImportProblem):
            if reported >= MAX_PROBLEMS_PER_FILE:
                hidden += 1
                continue
            reported += 1
        else:
            item = _dated(_storable(item), path, line)
        yield line, item
    if hidden:
        yield None, ImportProblem(str(path), None, f"{hidden} more problem(s) not listed")


def _too_large(text: str) -> str:
    """Why one article is too large to import, or "" (the same cap for every format)."""
    if len(text) * 4 <= MAX_ARTICLE_BYTES:  # a UTF-8 character is at most 4 bytes
        return ""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size <= MAX_ARTICLE_BYTES:
        return ""
    return (f"too large for one article ({size / 1e6:.0f} MB; the limit is "
            f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB); split it into several articles")


def _read_uncapped(path: Path, pages: PageHook | None = None) -> Iterator[Entry]:
    if not path.is_file():
        yield None, problem(path, None, "no such file" if not path.exists() else "not a file")
        return
    try:
        # Opening a project file here would drop its connection's locks (core.store.files).
        refuse_project_file(path, "import")
    except AssayError as exc:
        yield None, ImportProblem(str(path), None, str(exc))
        return
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    paged = _PAGED_READERS.get(suffix)
    if reader is None and paged is None:
        yield None, problem(path, None, f"unsupported file type {suffix or '(none)'}")
        return
    try:
        if paged is not None:
            yield from paged(path, pages)
        elif reader is not None:
            yield from reader(path)
    except OSError as exc:
        yield None, ImportProblem(str(path), None, f"cannot read ({exc.strerror or exc})")
    except _BadContent as exc:
        yield None, ImportProblem(str(path), None, str(exc))


def _dated(article: ArticleIn, path: Path, line: int | None) -> ArticleIn:
    """The article with a date where the file gave none: the dateline at the top of its
    text (``core.text.dates``), else, for a file that is one article, the day the file
    was last modified (a last resort: a copied file has the day it was copied). A date
    the file gave (front matter, a page's metadata, a record's field) is kept as it is."""
    if article.published.strip():
        return article
    published = dateline(article.text)
    if not published and line is None:
        try:
            modified = path.stat().st_mtime
        except OSError:
            return article
        published = datetime.fromtimestamp(modified, UTC).date().isoformat()
    return replace(article, published=published) if published else article


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(article: ArticleIn) -> ArticleIn:
    """The article with each lone UTF-16 surrogate replaced by U+FFFD.

    JSON can spell half of a UTF-16 pair (``"\\ud800"``) and ``json.loads`` keeps
    it; no UTF-8 file or SQLite text can hold one, so storing it would fail.
    One character replaces one, so span offsets still fit. Decoded bytes never
    contain one (decoding errors already become U+FFFD).
    """
    spans = article.spans
    texts = [article.text, article.title, article.source, article.url, article.published,
             *(sp.label for sp in spans), *(sp.kb_id or "" for sp in spans),
             *(c.evidence_url + c.note for c in article.claims)]
    if not any(_SURROGATE.search(t) for t in texts):
        return article

    def fix(text: str) -> str:
        return _SURROGATE.sub("\ufffd", text)

    return replace(
        article, text=fix(article.text), title=fix(article.title), source=fix(article.source),
        url=fix(article.url), published=fix(article.published),
        spans=tuple(replace(sp, label=fix(sp.label), kb_id=sp.kb_id and fix(sp.kb_id))
                    for sp in spans),
        claims=tuple(replace(c, evidence_url=fix(c.evidence_url), note=fix(c.note))
                     for c in article.claims),
    )



_READERS: dict[str, Callable[[Path], Iterator[Entry]]] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
    ".json": read_label_studio,
}
# Readers of files with pages: told after each page (progress, and a cancel mid-file).
_PAGED_READERS: dict[str, Callable[[Path, PageHook | None], Iterator[Entry]]] = {
    ".pdf": read_pdf,
}


# ---------------------------------------------------------------- importing into a project


@dataclass
class _Batch:
    """Articles waiting to be committed, with where each came from for problem reports."""

    articles: list[ArticleIn] = field(default_factory=list)
    origins: list[tuple[Path, int | None]] = field(default_factory=list)
    chars: int = 0

    def add(self, article: ArticleIn, path: Path, line: int | None) -> None:
        self.articles.append(article)
        self.origins.append((path, line))
        self.chars += len(article.text)

    def __len__(self) -> int:
        return len(self.articles)


def import_paths(
    project: _Store,
    paths: Iterable[str | Path],
    *,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    reviewer: str = "import",
) -> ImportReport:
    """Import files and folders into ``project``, committing every ``batch_size`` articles.

    Files are read lazily, so memory holds one batch. ``progress(files_done,
    files_total)`` is called at the start and after each file; with a paged file (a PDF)
    among them both count ``PAGE_STEPS`` a file and a paged file moves them page by page.
    ``should_cancel`` is checked before each file, after each committed batch and after
    each page of a paged file. On cancel, the articles already read are committed and the
    report says ``cancelled``; a paged file being read gives nothing (never half of it).
    Store errors other than a rejected span (a full disk, a locked file)
    propagate: batches committed before them stay.
    """
    batch_size = max(1, batch_size)
    files, skipped, problems = _discover(paths)
    report = ImportReport(files=len(files), problems=problems, skipped=skipped)
    batch = _Batch()
    cancelled = should_cancel or (lambda: False)
    steps = PAGE_STEPS if any(p.suffix.lower() in _PAGED_READERS for p in files) else 1
    total = len(files) * steps
    if progress:
        progress(0, total)
    for done, path in enumerate(files, 1):
        if cancelled():
            report.cancelled = True
            break
        try:
            batch = _import_file(project, path, batch, report, batch_size, reviewer, cancelled,
                                 _page_progress(progress, (done - 1) * steps, steps, total,
                                                cancelled))
        except ImportCancelled:
            report.cancelled = True
        if report.cancelled:
            break
        if progress:
            progress(done * steps, total)
    if len(batch):
        _commit(project, batch, report, reviewer)
    return report


def _page_progress(progress: Callable[[int, int], None] | None, base: int, steps: int,
                   total: int, cancelled: Callable[[], bool]) -> PageHook:
    """What a paged file tells after each page: the import's progress moves within the
    file's ``steps``, and a cancel stops the file (ImportCancelled)."""
    def told(page: int, pages: int) -> None:
        if cancelled():
            raise ImportCancelled
        if progress and steps > 1 and pages:
            progress(base + min(steps - 1, page * steps // pages), total)
    return told


def _import_file(project: _Store, path: Path, batch: _Batch, report: ImportReport,
                 batch_size: int, reviewer: str, cancelled: Callable[[], bool],
                 pages: PageHook) -> _Batch:
    """Read one file into ``batch``, committing each full batch; returns the batch to go on
    with (``report.cancelled`` set if a cancel was seen after a commit)."""
    with closing(_read_entries(path, pages)) as entries:  # closes the file if we stop early
        for line, item in entries:
            if isinstance(item, ImportProblem):
                report.problems.append(item)
                continue
            if isinstance(item, SchemeIn):  # an Assay JSONL export: its labels first
                if len(batch):
                    _commit(project, batch, report, reviewer)
                    batch = _Batch()
                try:
                    if project.adopt_scheme(item.labels, reviewer):
                        report.scheme_changed = True
                    if item.relation_types and project.adopt_relation_types(
                            item.relation_types, reviewer):
                        report.scheme_changed = True
                    if item.topics and adopt_topics(project, item.topics, reviewer):
                        report.scheme_changed = True
                except InvalidEdit as exc:
                    report.problems.append(problem(path, line, f"scheme not taken: {exc}"))
                continue
            batch.add(item, path, line)
            if len(batch) >= batch_size or batch.chars >= BATCH_MAX_CHARS:
                _commit(project, batch, report, reviewer)
                batch = _Batch()
                if cancelled():
                    report.cancelled = True
                    break
    return batch


def _commit(project: _Store, batch: _Batch, report: ImportReport, reviewer: str) -> None:
    """Store one batch in one transaction; if the store refuses it, store what it accepts.

    The store rolls back a whole batch for one bad span, so on InvalidEdit the
    batch is retried article by article and only the bad ones are reported.
    """
    try:
        result = project.add_articles(batch.articles, reviewer=reviewer)
    except InvalidEdit:
        for article, (path, line) in zip(batch.articles, batch.origins, strict=True):
            try:
                result = project.add_articles([article], reviewer=reviewer)
            except InvalidEdit as exc:
                report.problems.append(problem(path, line, f"not imported: {exc}"))
                continue
            report.added += result.added
            report.duplicates += result.duplicates
        return
    report.added += result.added
    report.duplicates += result.duplicates
