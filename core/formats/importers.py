"""Read articles from .txt, .md, .html, .jsonl and .csv files (and folders of them) into a project.

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

import bisect
import csv
import json
import os
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from core.errors import AssayError, InvalidEdit
from core.formats.bad_content import BadContent as _BadContent
from core.formats.encoding import (
    _text_lines,
    decode_bytes,
)
from core.formats.html import TITLE_MAX_CHARS, _collapse, _declared_charset, extract_html
from core.models import (
    CLAIM_ORIGINS,
    CLAIM_STATES,
    CLAIM_VERDICTS,
    SPAN_ORIGINS,
    SPAN_STATES,
    ArticleIn,
    ClaimIn,
    SpanIn,
)
from core.store.files import refuse_project_file
from core.text.normalise import normalise_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv", ".json")

# One article this large is almost certainly not an article (a dump, a log) and
# would make the review window crawl; refuse it with a clear message instead.
MAX_ARTICLE_BYTES = 100 * 1024 * 1024
# A batch is committed when it holds this many characters even if it has fewer
# than batch_size articles, so 500 five-megabyte articles never sit in memory.
BATCH_MAX_CHARS = 16_000_000
# A broken 100,000-line file should not produce 100,000 messages.
MAX_PROBLEMS_PER_FILE = 200


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


class _Store(Protocol):
    """The part of ``core.store.Project`` the importer needs (keeps this module store-agnostic)."""

    def add_articles(self, articles: Any, reviewer: str = ...) -> Any: ...


# An entry read from a file: the line it came from (None for whole-file formats)
# and either an article or a problem. The line lets import_paths report an
# article that the store rejects later.
_Entry = tuple[int | None, ArticleIn | ImportProblem]


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
        yield item


def _read_entries(path: Path) -> Generator[_Entry, None, None]:
    """Like :func:`read_file`, with the line each article came from, problems capped per file."""
    reported = 0
    hidden = 0
    for line, item in _read_uncapped(path):
        if not isinstance(item, ImportProblem) and _too_large(item.text):
            item = _problem(path, line, _too_large(item.text))
        if isinstance(item, ImportProblem):
            if reported >= MAX_PROBLEMS_PER_FILE:
                hidden += 1
                continue
            reported += 1
        else:
            item = _storable(item)
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


def _read_uncapped(path: Path) -> Iterator[_Entry]:
    if not path.is_file():
        yield None, _problem(path, None, "no such file" if not path.exists() else "not a file")
        return
    try:
        # Opening a project file here would drop its connection's locks (core.store.files).
        refuse_project_file(path, "import")
    except AssayError as exc:
        yield None, ImportProblem(str(path), None, str(exc))
        return
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        yield None, _problem(path, None, f"unsupported file type {suffix or '(none)'}")
        return
    try:
        yield from reader(path)
    except OSError as exc:
        yield None, ImportProblem(str(path), None, f"cannot read ({exc.strerror or exc})")
    except _BadContent as exc:
        yield None, ImportProblem(str(path), None, str(exc))


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


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise _BadContent(
            f"too large for one article ({size / 1e6:.0f} MB; the limit is "
            f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB); split it or convert it to JSONL"
        )
    with path.open("rb") as fh:
        return fh.read()


def _whole_text(data: bytes, declared: str | None = None) -> str:
    """Decoded and normalised text of a whole-file article; empty text is a problem."""
    text = normalised(decode_bytes(data, declared))
    if not text.strip():
        raise _BadContent("empty")
    return text


# ---------------------------------------------------------------- .txt and .md


def _read_plain(path: Path) -> Iterator[_Entry]:
    """A text or Markdown file is one article: the whole file, title guessed from line one."""
    text = _whole_text(_read_bytes(path))
    markdown = path.suffix.lower() == ".md"
    meta = _front_matter(text) if markdown else {}
    body_start = meta.pop("_end", 0)
    title = meta.get("title") or guess_title(text[body_start:], markdown=markdown)
    yield None, ArticleIn(
        text=text, title=title, source=path.name,
        url=meta.get("url", ""), published=meta.get("published", ""),
    )


_HEADING = re.compile(r"#{1,6}(?:\s+|$)")
_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+)\s*")
_BULLET = re.compile(r"(?:[-*+\u2022]|\d+[.)])\s")
# A final period that ends an abbreviation or an ellipsis does not end a sentence.
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:Ltd|Inc|Co|Corp|Plc|PLC|Bros|Jr|Sr|St|Dr|Mr|Mrs|Ms|No|vs|etc)\.|"
    r"\b(?:[A-Za-z]\.){2,}|\.\.\.)$"
)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def guess_title(text: str, markdown: bool = False) -> str:
    """The first line of ``text`` when it reads like a headline, else "".

    A headline is short, is followed by more text, and does not end like a
    sentence (a final period, comma, colon or semicolon), except after an
    abbreviation ("… Ltd.") or an ellipsis. A Markdown heading ("# …") or a
    line underlined with === or --- is a title whatever its punctuation. The
    article text itself is never changed: the title line stays in it, so that
    offsets made by other tools on the whole file still fit.
    """
    lines = text.lstrip().split("\n", 2)
    first = lines[0].strip()
    rest = "\n".join(lines[1:])
    if not first or not rest.strip():
        return ""  # a one-line file is the article itself, not its title
    second = lines[1].strip() if len(lines) > 1 else ""
    heading = _HEADING.match(first) is not None or (
        bool(second) and _SETEXT_UNDERLINE.fullmatch(second) is not None
    )
    title = _clean_title(first) if (markdown or heading) else first
    if not title or len(title) > TITLE_MAX_CHARS:
        return ""
    if heading or _reads_like_headline(title):
        return title
    return ""


def _reads_like_headline(line: str) -> bool:
    if _BULLET.match(line) or not any(ch.isalpha() for ch in line):
        return False
    last = line[-1]
    if last in ",;:":
        return False
    return last != "." or _ABBREVIATION_END.search(line) is not None


def _clean_title(line: str) -> str:
    """Drop Markdown heading marks, emphasis and link syntax from a title line."""
    line = _HEADING.sub("", line, count=1).rstrip("#").strip()
    line = _MD_LINK.sub(r"\1", line)
    return " ".join(_MD_EMPHASIS.sub("", line).split())


_FRONT_MATTER_KEYS = {
    "title": "title", "url": "url", "link": "url", "canonical_url": "url",
    "date": "published", "published": "published",
}


def _front_matter(text: str) -> dict[str, Any]:
    """Title, url and date from a YAML front-matter block (static-site Markdown), if any.

    Only flat ``key: value`` lines are read; no YAML library is needed for that.
    ``_end`` is where the body after the block starts, for title guessing.
    """
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4, 8192)
    if end < 0:
        return {}
    found: dict[str, Any] = {}
    for line in text[4:end].split("\n"):
        key, sep, value = line.partition(":")
        name = _FRONT_MATTER_KEYS.get(key.strip().lower())
        value = value.strip().strip("'\"")
        if sep and name and value and name not in found:
            found[name] = value
    close = text.find("\n", end + 4)
    found["_end"] = len(text) if close < 0 else close + 1
    return found


# ---------------------------------------------------------------- .html


def _read_html(path: Path) -> Iterator[_Entry]:
    """An HTML page is one article: its main text, title, canonical url and date."""
    data = _read_bytes(path)
    page = extract_html(_whole_text(data, declared=_declared_charset(data[:4096])))
    body = normalised(page.text)
    if not body.strip():
        raise _BadContent("no article text found in the HTML")
    yield None, ArticleIn(text=body, title=page.title, source=path.name,
                          url=page.url, published=page.published)


# ---------------------------------------------------------------- .jsonl


def _read_jsonl(path: Path) -> Iterator[_Entry]:
    """One article per line; malformed lines are problems and the rest still imports."""
    seen_any = False
    for number, line in _text_lines(path):
        if not line.strip():
            continue
        seen_any = True
        try:
            record = json.loads(line, strict=False)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            yield number, _problem(path, number, _json_error(exc))
            continue
        try:
            article = article_from_record(record, default_source=path.name)
        except _BadContent as exc:
            yield number, _problem(path, number, str(exc))
            continue
        yield number, article
    if not seen_any:
        raise _BadContent("empty")


# ---------------------------------------------------------------- Label Studio .json


def _read_label_studio(path: Path) -> Iterator[_Entry]:
    """A Label Studio export: an array of tasks, each one article (``core.formats.label_studio``).

    The number in a problem is the task's position in the array."""
    from core.formats import label_studio

    if label_studio.file_too_large(path):
        raise _BadContent(f"too large ({path.stat().st_size / 1e9:.1f} GB) for one JSON file; "
                          "export it from Label Studio in parts")
    with path.open("rb") as fh:
        data = fh.read()
    try:
        tasks = list(label_studio.read_tasks(data))
    except (ValueError, RecursionError) as exc:
        raise _BadContent(_json_error(exc)) from exc
    if not tasks:
        raise _BadContent("no tasks")
    for number, item in tasks:
        try:
            record = label_studio.task_record(item)
            yield number, article_from_record(record, default_source=path.name)
        except (ValueError, _BadContent) as exc:
            yield number, _problem(path, number, f"task {number}: {exc}")


def _json_error(exc: ValueError | RecursionError) -> str:
    if isinstance(exc, RecursionError):
        return "malformed JSON (nested too deeply)"
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON ({exc.msg} at column {exc.colno})"
    return f"malformed JSON ({exc})"


_META_FIELDS = {
    "title": ("title", "headline"),
    "source": ("source", "publisher"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at"),
}


def article_from_record(record: Any, default_source: str = "") -> ArticleIn:
    """An article from one JSON record (Assay, Prodigy or doccano JSONL); raises _BadContent."""
    if not isinstance(record, dict):
        raise _BadContent(f"not a JSON object (found {type(record).__name__})")
    if "text" not in record:
        raise _BadContent('no "text" field')
    raw = record["text"]
    if not isinstance(raw, str):
        raise _BadContent(f'"text" is not a string (found {type(raw).__name__})')
    spans = _record_spans(record, raw)
    claims = _record_claims(record, raw)
    # Claims ride along as spans so that one remapping moves both onto the normalised text.
    text, moved = normalised_with_spans(raw, spans + [SpanIn(c.start, c.end, "claim")
                                                      for c in claims])
    spans = moved[:len(spans)]
    claims = [replace(c, start=m.start, end=m.end)
              for c, m in zip(claims, moved[len(spans):], strict=True)]
    if not text.strip():
        raise _BadContent("empty text")
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    fields = {name: _meta_value(record, meta, keys) for name, keys in _META_FIELDS.items()}
    return ArticleIn(
        text=text,
        title=_collapse(normalise_text(fields["title"]))[: TITLE_MAX_CHARS * 2],
        source=fields["source"] or default_source,
        url=fields["url"],
        published=fields["published"],
        spans=tuple(spans),
        claims=tuple(claims),
    )


def _meta_value(record: dict[str, Any], meta: dict[str, Any], keys: tuple[str, ...]) -> str:
    for holder in (record, meta):
        for key in keys:
            value = holder.get(key)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                text = str(value).strip()
                if text:
                    return text
    return ""


def _record_spans(record: dict[str, Any], raw: str) -> list[SpanIn]:
    """Pre-made spans: Assay/Prodigy ``spans``, doccano ``label``/``entities`` lists.

    Prodigy spans are suggestions unless the example was accepted (``"answer":
    "accept"``); doccano and spaCy-style lists are annotations someone made, so
    they are accepted. An Assay export's own ``state`` and ``origin`` win.
    """
    answer = record.get("answer")
    if "spans" in record:
        default_state = {"accept": "accepted", "reject": "rejected"}.get(answer, "suggested")
        items, key = record["spans"], "spans"
    elif "entities" in record:
        items, key, default_state = record["entities"], "entities", "accepted"
    elif "label" in record:
        items, key, default_state = record["label"], "label", "accepted"
        if isinstance(items, list) and all(isinstance(x, str) for x in items):
            return []  # doccano text classification: document labels, not spans
    else:
        return []
    if items is None:
        return []
    if not isinstance(items, list):
        raise _BadContent(f'"{key}" is not a list')
    return [_span(item, raw, default_state, f"{key}[{i}]") for i, item in enumerate(items)]


def _span(item: Any, raw: str, default_state: str, where: str) -> SpanIn:
    if isinstance(item, list | tuple) and len(item) >= 3:
        start, end, label, extra = item[0], item[1], item[2], {}
    elif isinstance(item, dict):
        start = item.get("start", item.get("start_offset"))
        end = item.get("end", item.get("end_offset"))
        label, extra = item.get("label"), item
    else:
        raise _BadContent(f"{where} is not a span (expected [start, end, label] or an object)")
    if not (_is_int(start) and _is_int(end)):
        raise _BadContent(f"{where} has no whole-number start and end")
    if not isinstance(label, str) or not label.strip():
        raise _BadContent(f"{where} has no label")
    if not 0 <= start < end <= len(raw):
        raise _BadContent(f"{where} [{start}, {end}) does not fit the text (length {len(raw)})")
    quoted = extra.get("text")
    if isinstance(quoted, str) and quoted != raw[start:end]:
        raise _BadContent(
            f"{where} [{start}, {end}) says {quoted!r} but the text there is {raw[start:end]!r}"
        )
    state = extra.get("state") if extra.get("state") in SPAN_STATES else default_state
    origin = extra.get("origin") if extra.get("origin") in SPAN_ORIGINS else "imported"
    kb_id = extra.get("kb_id")
    return SpanIn(start, end, label.strip(), origin=origin, state=state,
                  kb_id=kb_id if isinstance(kb_id, str) and kb_id else None)


def _record_claims(record: dict[str, Any], raw: str) -> list[ClaimIn]:
    """The ``claims`` of an Assay JSONL record: passages with verdict, evidence and note."""
    items = record.get("claims")
    if items is None:
        return []
    if not isinstance(items, list):
        raise _BadContent('"claims" is not a list')
    claims = []
    for i, item in enumerate(items):
        where = f"claims[{i}]"
        if not isinstance(item, dict):
            raise _BadContent(f"{where} is not an object")
        start, end = item.get("start"), item.get("end")
        if not (_is_int(start) and _is_int(end)) or not 0 <= start < end <= len(raw):
            raise _BadContent(f"{where} has no whole-number start and end inside the text")
        quoted = item.get("text")
        if isinstance(quoted, str) and quoted != raw[start:end]:
            raise _BadContent(f"{where} [{start}, {end}) does not quote the text there")
        verdict = item.get("verdict", "unchecked")
        if verdict not in CLAIM_VERDICTS:
            raise _BadContent(f"{where} has an unknown verdict {verdict!r}")
        fields = {k: item.get(k) if isinstance(item.get(k), str) else ""
                  for k in ("evidence_url", "note", "reason")}
        origin = item.get("origin") if item.get("origin") in CLAIM_ORIGINS else "imported"
        state = item.get("state") if item.get("state") in CLAIM_STATES else "accepted"
        claims.append(ClaimIn(start, end, verdict, fields["evidence_url"], fields["note"],
                              state, origin, fields["reason"]))
    return claims


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
        moved.append(SpanIn(start, end, span.label, span.origin, span.state, span.kb_id))
    return moved


# ---------------------------------------------------------------- .csv


_TEXT_COLUMNS = ("text", "body", "content", "article")
_COLUMN_NAMES = {
    "title": ("title", "headline"),
    "source": ("source", "publisher"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "pubdate"),
}
_DELIMITERS = (",", ";", "\t", "|")


def _read_csv(path: Path) -> Iterator[_Entry]:
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
            yield start, _problem(path, start, f"malformed CSV ({exc})")
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
        return _problem(path, line, "empty text")
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


def _problem(path: Path, line: int | None, reason: str) -> ImportProblem:
    return ImportProblem(str(path), line, reason)


_READERS: dict[str, Callable[[Path], Iterator[_Entry]]] = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".jsonl": _read_jsonl,
    ".csv": _read_csv,
    ".json": _read_label_studio,
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
    files_total)`` is called at the start and after each file; ``should_cancel``
    is checked before each file and after each committed batch. On cancel, the
    articles already read are committed and the report says ``cancelled``.
    Store errors other than a rejected span (a full disk, a locked file)
    propagate: batches committed before them stay.
    """
    batch_size = max(1, batch_size)
    files, skipped, problems = _discover(paths)
    report = ImportReport(files=len(files), problems=problems, skipped=skipped)
    batch = _Batch()
    cancelled = should_cancel or (lambda: False)
    if progress:
        progress(0, len(files))
    for done, path in enumerate(files, 1):
        if cancelled():
            report.cancelled = True
            break
        with closing(_read_entries(path)) as entries:  # closes the file if we stop early
            for line, item in entries:
                if isinstance(item, ImportProblem):
                    report.problems.append(item)
                    continue
                batch.add(item, path, line)
                if len(batch) >= batch_size or batch.chars >= BATCH_MAX_CHARS:
                    _commit(project, batch, report, reviewer)
                    batch = _Batch()
                    if cancelled():
                        report.cancelled = True
                        break
        if report.cancelled:
            break
        if progress:
            progress(done, len(files))
    if len(batch):
        _commit(project, batch, report, reviewer)
    return report


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
                report.problems.append(_problem(path, line, f"not imported: {exc}"))
                continue
            report.added += result.added
            report.duplicates += result.duplicates
        return
    report.added += result.added
    report.duplicates += result.duplicates
