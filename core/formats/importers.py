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
import codecs
import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol

from core.errors import AssayError, InvalidEdit
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

TITLE_MAX_CHARS = 200
# One article this large is almost certainly not an article (a dump, a log) and
# would make the review window crawl; refuse it with a clear message instead.
MAX_ARTICLE_BYTES = 100 * 1024 * 1024
# A batch is committed when it holds this many characters even if it has fewer
# than batch_size articles, so 500 five-megabyte articles never sit in memory.
BATCH_MAX_CHARS = 16_000_000
# A broken 100,000-line file should not produce 100,000 messages.
MAX_PROBLEMS_PER_FILE = 200
# Bytes read to decide the encoding of a file that is streamed line by line.
SNIFF_BYTES = 64 * 1024


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


class _BadContent(Exception):
    """A whole file cannot be imported; the message becomes an ImportProblem reason."""


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


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(head: bytes) -> str | None:
    match = _CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


@dataclass(frozen=True)
class HtmlPage:
    """What :func:`extract_html` finds in a page."""

    text: str
    title: str = ""
    url: str = ""
    published: str = ""


def extract_html(markup: str) -> HtmlPage:
    """The main text of an HTML page as plain text with line breaks, and its metadata.

    The text of the longest ``<article>`` (else ``<main>``, else ``<body>``)
    without scripts, styles, navigation, asides, footers and page headers;
    block elements become line breaks and paragraphs are separated by a blank
    line, so that entities never run from one paragraph, list item or table
    row into the next.
    """
    parser = _HtmlText()
    try:
        parser.feed(markup)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything it raises is a broken page
        raise _BadContent(f"cannot parse HTML ({exc})") from exc
    return parser.page()


_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "nav", "aside", "footer", "header", "template",
    "svg", "math", "iframe", "object", "canvas", "form", "button", "select", "textarea",
})
_PARAGRAPH_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl",
    "table", "figure", "hr", "address", "details",
})
_LINE_TAGS = frozenset({
    "div", "li", "tr", "dt", "dd", "figcaption", "section", "article", "main", "body",
    "caption", "summary", "thead", "tbody", "tfoot", "center",
})
_CELL_TAGS = frozenset({"td", "th"})
_REGION_TAGS = ("article", "main", "body")
_VOID_TAGS = frozenset({
    "br", "hr", "img", "meta", "link", "input", "wbr", "area", "base", "col", "embed",
    "source", "track", "param",
})
_PUBLISHED_KEYS = ("article:published_time", "og:published_time", "datepublished",
                   "pubdate", "publishdate", "publish-date", "date", "dc.date",
                   "dcterms.created", "parsely-pub-date", "sailthru.date")
_SPACES = re.compile(r"\s+")

# Pieces of output: text, or a break marker (soft line, paragraph, <br>, table cell).
_LINE, _PARA, _BR, _CELL = 1, 2, 3, 4
_SEPARATORS = ("\n", "\n\n", "\t")


@dataclass
class _Region:
    kind: str
    chars: int = 0


class _HtmlText(HTMLParser):
    """Collects text pieces tagged with the article/main/body regions that hold them.

    Picking the region at the end (rather than while parsing) copes with pages
    where the ``<article>`` appears after a lot of other body text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[int | str, tuple[int, ...], bool]] = []
        self.regions: list[_Region] = []
        self.open_regions: list[tuple[str, int]] = []
        self.region_ids: tuple[int, ...] = ()
        self.skipping: list[str] = []
        self.pre = 0
        self.pre_opened = False  # a newline right after <pre> is not content (HTML spec)
        self.in_head = False
        self.title_parts: list[str] | None = None
        self.page_title = ""
        self.h1_parts: list[str] | None = None
        self.h1s: list[tuple[str, tuple[int, ...]]] = []
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.ld_json: list[str] | None = None
        self.ld_blocks: list[str] = []

    # -- tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] and tag not in _VOID_TAGS:
                self.skipping.append(tag)
            return
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("meta", "link"):
            self._metadata(tag, attributes)
            return
        if tag == "script" and "ld+json" in attributes.get("type", "").lower():
            self.ld_json = []
        if self._starts_skip(tag):
            self.skipping.append(tag)
            return
        self._open(tag)

    def _starts_skip(self, tag: str) -> bool:
        # A <header> inside an article holds its headline and byline: keep it.
        if tag == "header" and any(kind in ("article", "main") for kind, _ in self.open_regions):
            return False
        return tag in _SKIP_TAGS

    def _open(self, tag: str) -> None:
        # Pages that never close <head> or open <body> still have their text read.
        self.in_head = tag == "head" or (self.in_head and tag in ("title", "base"))
        if tag == "title" and not self.page_title:
            self.title_parts = []
        elif tag == "h1" and self.h1_parts is None:
            self.h1_parts = []
        elif tag == "pre":
            self.pre += 1
            self.pre_opened = True
        if tag in _REGION_TAGS:
            self.regions.append(_Region(tag))
            self.open_regions.append((tag, len(self.regions) - 1))
            self.region_ids = tuple(i for _, i in self.open_regions)
        self._break_for(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == "script" and self.ld_json is not None:
                self.ld_blocks.append("".join(self.ld_json))
                self.ld_json = None
            if tag in self.skipping:
                while self.skipping.pop() != tag:
                    pass
            return
        if tag == "head":
            self.in_head = False
        elif tag == "title" and self.title_parts is not None:
            self.page_title = _collapse("".join(self.title_parts))
            self.title_parts = None
        elif tag == "h1" and self.h1_parts is not None:
            self.h1s.append((_collapse("".join(self.h1_parts)), self.region_ids))
            self.h1_parts = None
        elif tag == "pre" and self.pre:
            self.pre -= 1
        if tag != "br":  # </br> is read by browsers as <br>; it is handled as a start tag
            self._break_for(tag)
        if tag in _REGION_TAGS:
            self._close_region(tag)

    def _close_region(self, tag: str) -> None:
        for pos in range(len(self.open_regions) - 1, -1, -1):
            if self.open_regions[pos][0] == tag:
                del self.open_regions[pos:]
                self.region_ids = tuple(i for _, i in self.open_regions)
                return

    def _break_for(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self._add(_PARA)
        elif tag in _LINE_TAGS:
            self._add(_LINE)
        elif tag in _CELL_TAGS:
            self._add(_CELL)
        elif tag == "br":
            self._add(_BR)

    def _metadata(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "link":
            if "canonical" in attrs.get("rel", "").lower().split() and not self.canonical:
                self.canonical = attrs.get("href", "").strip()
            return
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        value = (attrs.get("content") or attrs.get("datetime") or "").strip()
        if key and value and key not in self.meta:
            self.meta[key] = value

    # -- text

    def handle_data(self, data: str) -> None:
        if self.skipping:
            if self.ld_json is not None:
                self.ld_json.append(data)
            return
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if self.in_head:
            return
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        if self.pre_opened:
            data = data[1:] if data.startswith("\n") else data
            self.pre_opened = False
        text = data if self.pre else _SPACES.sub(" ", data)
        if text:
            self._add(text)

    def _add(self, piece: int | str) -> None:
        self.pieces.append((piece, self.region_ids, self.pre > 0))
        if isinstance(piece, str):
            for region in self.region_ids:
                self.regions[region].chars += len(piece)

    # -- result

    def page(self) -> HtmlPage:
        region = self._main_region()
        pieces = [(p, pre) for p, ids, pre in self.pieces if region is None or region in ids]
        return HtmlPage(
            text=_render(pieces),
            title=self._title(region),
            url=self.canonical or self.meta.get("og:url", "") or self._ld("url"),
            published=self._published(),
        )

    def _main_region(self) -> int | None:
        """The longest <article>, else the longest <main>, else the body, else everything."""
        for kind in _REGION_TAGS:
            found = [(r.chars, -i, i) for i, r in enumerate(self.regions)
                     if r.kind == kind and r.chars]
            if found:
                return max(found)[2]
        return None

    def _title(self, region: int | None) -> str:
        in_region = [t for t, ids in self.h1s if t and (region is None or region in ids)]
        anywhere = [t for t, _ in self.h1s if t]
        for candidate in (in_region[:1], [self.meta.get("og:title", "")], [self._ld("headline")],
                          [self.page_title], anywhere[:1]):
            if candidate and candidate[0]:
                return _collapse(candidate[0])[:TITLE_MAX_CHARS * 2]
        return ""

    def _published(self) -> str:
        for key in _PUBLISHED_KEYS:
            if self.meta.get(key):
                return self.meta[key]
        return self._ld("datePublished")

    def _ld(self, key: str) -> str:
        """A string field of the page's JSON-LD (schema.org NewsArticle), if it has one."""
        for block in self.ld_blocks:
            try:
                value = _find_key(json.loads(block), key)
            except (ValueError, RecursionError):  # broken or absurdly nested JSON-LD
                continue
            if value:
                return value
        return ""


def _find_key(node: Any, key: str, depth: int = 0) -> str:
    if depth > 6:
        return ""
    if isinstance(node, dict):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = _find_key(child, key, depth + 1)
            if found:
                return found
    return ""


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _render(pieces: list[tuple[int | str, bool]]) -> str:
    """Join text pieces and break markers into lines and blank-line-separated paragraphs."""
    out: list[str] = []
    newlines = 0  # line breaks owed before the next text
    cell = False
    for piece, pre in pieces:
        if piece in (_LINE, _PARA):
            newlines = max(newlines, 1 if piece == _LINE else 2)
        elif piece == _BR:
            newlines = min(newlines + 1, 2)
        elif piece == _CELL:
            cell = True
        else:
            text = str(piece)
            at_line_start = not out or newlines > 0 or out[-1].endswith("\n")
            if not pre and (at_line_start or out[-1].endswith((" ", "\t"))):
                text = text.lstrip(" ")
            if not text:
                continue
            if out and newlines:
                _trim_line_end(out)
                out.append(_SEPARATORS[newlines - 1])
            elif out and cell and not at_line_start:
                _trim_line_end(out)
                out.append(_SEPARATORS[2])
            out.append(text)
            newlines, cell = 0, False
    if out:
        _trim_line_end(out)
    return "".join(out).strip("\n")


def _trim_line_end(out: list[str]) -> None:
    """Drop spaces (and a <pre>'s trailing newlines) before a line break we are about to add.

    Stops at a separator already written ("\\n", "\\n\\n", "\\t"): those are kept.
    """
    while out and out[-1] not in _SEPARATORS and out[-1][-1:] in (" ", "\t", "\n"):
        out[-1] = out[-1].rstrip(" \t\n")
        if not out[-1]:
            out.pop()


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




class OffsetMap:
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
    mapping = OffsetMap(raw)
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


# ---------------------------------------------------------------- encodings


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a file's bytes, detecting the encoding; raises _BadContent for non-text.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32); binary signatures and
    control-byte density (a PNG renamed .txt must not become an article);
    strict UTF-8, which nearly all files are; UTF-8 with a few stray Windows
    bytes; an HTML page's declared charset; Windows-1252 when the result reads
    like Western text; then charset-normalizer. charset-normalizer alone guesses
    badly on short Western texts (curly quotes come out as cp852 or cp1250), so
    it only decides what the simple rules cannot.
    """
    return _decode(data, _detect(data, declared))


def _decode(data: bytes, encoding: str) -> str:
    """Decode with a detected encoding; bytes it cannot read never abort an import."""
    return data.decode(encoding, errors=_decode_errors(encoding))


def _decode_errors(encoding: str) -> str:
    """Bytes that are not UTF-8 are most likely Windows-1252; for other codecs, U+FFFD."""
    return _CP1252_FALLBACK if encoding in ("utf-8", "utf-8-sig", "cp1252") else "replace"


def _detect(data: bytes, declared: str | None = None, complete: bool = True) -> str:
    """The codec to decode ``data`` with; ``complete=False`` when it is only a file's start."""
    if not data.strip():
        raise _BadContent("empty")
    bom = _bom_encoding(data)
    if bom:
        _check_decodes(data, bom, complete)
        return bom
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise _BadContent(f"not a text file (looks like a {kind})")
    if b"\x00" in data[:SNIFF_BYTES]:
        utf16 = _bomless_utf16(data, complete)
        if utf16:
            _check_decodes(data, utf16, complete)
            return utf16
    sample = data[:SNIFF_BYTES]
    if len(sample.translate(None, _NOT_CONTROL)) > 2 + len(sample) // 100:
        raise _BadContent("not a text file (it contains binary data)")
    return _detect_8bit(data, declared, complete)


def _detect_8bit(data: bytes, declared: str | None, complete: bool) -> str:
    if _decodes(data, "utf-8", complete) or _mostly_utf8(data):
        return "utf-8"
    declared_codec = _usable_declared(data, declared, complete)
    if declared_codec:
        return declared_codec
    western = _western(data)
    if western:
        return western
    return _charset_normalizer_guess(data) or _single_byte_fallback(data)


def _decodes(data: bytes, encoding: str, complete: bool = True) -> bool:
    """Whether ``data`` is valid in ``encoding``; a cut-off last character is fine if incomplete."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
    except UnicodeError:  # UnicodeDecodeError, or the plain UnicodeError idna/punycode raise
        return False
    return True


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:  # UTF-32 LE before UTF-16 LE: its BOM starts the same way
        if data.startswith(bom):
            return encoding
    return None


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")


def _check_decodes(data: bytes, encoding: str, complete: bool) -> None:
    """A UTF-16/32 file must decode and must not be mostly control characters once decoded."""
    if not _decodes(data, encoding, complete):
        raise _BadContent(f"not a text file (invalid {encoding.upper()})")
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data[:SNIFF_BYTES])
    if len(_CONTROL_CHARS.findall(sample)) > 2 + len(sample) // 100:
        raise _BadContent("not a text file (it contains binary data)")
    if not sample.strip() and len(data) <= SNIFF_BYTES and not data.decode(encoding).strip():
        raise _BadContent("empty")


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive, DOCX or XLSX"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"), (b"GIF89a", "GIF image"), (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"), (b"{\\rtf", "RTF document"),
    (b"SQLite format 3\x00", "SQLite database"), (b"\x7fELF", "program"),
)
# Control bytes that do not occur in text files (tab, newline, CR, form feed and
# the DOS end-of-file mark do). A stray NUL is tolerated (normalise_text drops it).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26))
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _bomless_utf16(data: bytes, complete: bool) -> str | None:
    """UTF-16 without a byte-order mark: ASCII-range text has a NUL in every other byte."""
    sample = data[:SNIFF_BYTES]
    if len(sample) < 4 or (complete and len(data) % 2):
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 with a few stray single-byte characters (pasted Windows quotes).

    Those bytes are decoded as Windows-1252 instead of turning every other
    non-ASCII character of the file into mojibake. Real cp1252 text almost
    never contains valid multi-byte UTF-8 sequences, so their count decides.
    """
    valid = data.decode("utf-8", errors="ignore")
    multibyte = len(valid) - len(valid.encode("ascii", errors="ignore"))
    invalid = len(data) - len(valid.encode("utf-8"))
    return multibyte > 0 and multibyte >= invalid


def _usable_declared(data: bytes, declared: str | None, complete: bool) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        name = "cp1252"  # what browsers do: pages labelled ISO-8859-1 are Windows-1252
    if name.startswith(("utf-16", "utf-32")) or not _reads_ascii(name):
        return None
    if not _decodes(data, name, complete):
        return None
    return name


def _reads_ascii(encoding: str) -> bool:
    """Whether ``encoding`` turns bytes into text and reads ASCII as ASCII.

    A page can declare any codec name Python knows, including ones that are not
    text encodings at all ("hex", "zlib", "rot13", "undefined"); decoding with
    those raises errors no importer expects. The declaration was found by an
    ASCII pattern, so an encoding that reads ASCII differently (EBCDIC) is wrong too.
    """
    try:
        return _ASCII_PROBE.decode(encoding) == _ASCII_PROBE.decode("ascii")
    except (LookupError, UnicodeError, ValueError):
        return False


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_IN_WORD_OK = frozenset("\u2018\u2019\u2010\u2011\u2013\u2026\u00ad\u00b7")


def _symbol_inside_word(text: str) -> bool:
    """True if a non-ASCII non-letter (not an apostrophe or hyphen) sits between two letters."""
    for match in _NON_ASCII.finditer(text):
        pos = match.start()
        char = text[pos]
        if (0 < pos < len(text) - 1 and not char.isalpha() and char not in _IN_WORD_OK
                and text[pos - 1].isalpha() and text[pos + 1].isalpha()):
            return True
    return False


_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _western(data: bytes) -> str | None:
    """"cp1252" when the bytes read as Western European text in Windows-1252, else None.

    In English, French or German text most letters are ASCII and accented
    letters sit inside words; Cyrillic or Greek read as cp1252 is all accented
    letters, and Central European cp1250 puts symbols ("³", "¹") inside words.
    """
    try:
        text = data[:SNIFF_BYTES].decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = len(_LETTER.findall(text))
    accented = len(_NON_ASCII_LETTER.findall(text))
    if letters and accented / letters > 0.3:
        return None
    if _symbol_inside_word(text):
        return None
    return "cp1252"


_ASCII_PROBE = b"The quick brown fox, 2024: 'Lithium' (Li) & cobalt.\n"
# Below this many non-ASCII bytes charset-normalizer has too little to go on
# ("\xe9t\xe9" came out as EBCDIC); Windows-1252 is the likelier answer.
MIN_BYTES_TO_GUESS = 4
_HIGH_BYTES = bytes(range(128, 256))


def _charset_normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's guess, if it had enough to go on and is ASCII-compatible."""
    sample = data[:SNIFF_BYTES]
    non_ascii = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if non_ascii < MIN_BYTES_TO_GUESS:
        return None
    from charset_normalizer import from_bytes  # imported late: it is slow to import

    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        ascii_compatible = _ASCII_PROBE.decode(best.encoding) == _ASCII_PROBE.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return None
    return best.encoding if ascii_compatible else None


def _single_byte_fallback(data: bytes) -> str:
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # decodes anything; the five bytes cp1252 lacks are C1 controls


def _cp1252_or_latin1(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252_TABLE = [_cp1252_or_latin1(b) for b in range(256)]
_CP1252_FALLBACK = "assay.cp1252-fallback"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode bytes that are not UTF-8 as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(_CP1252_TABLE[b] for b in bad), exc.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


# ---------------------------------------------------------------- streaming lines


def _text_lines(path: Path, keep_ends: bool = False,
                universal: bool = False) -> Iterator[tuple[int, str]]:
    """Numbered decoded lines of a file too large to read at once (JSONL, CSV).

    The encoding is decided on the first 64 KB. Lines are split on b"\\n" and
    decoded one by one (safe for UTF-8 and the legacy multi-byte codecs, whose
    trail bytes are never 0x0A), so one line with stray Windows bytes in a
    UTF-8 file is still read correctly. UTF-16/32 files, and CSV files
    (``universal``: the csv module wants "\\r", "\\n" and "\\r\\n" all
    kept, as with ``newline=""``), are read through a text stream instead.
    """
    with path.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
        encoding = _detect(sample, complete=len(sample) < SNIFF_BYTES)
        fh.seek(0)
        if universal or encoding.startswith(("utf-16", "utf-32")):
            stream = io.TextIOWrapper(fh, encoding=encoding, errors=_decode_errors(encoding),
                                      newline="")
            try:
                yield from _numbered(stream, keep_ends)
            finally:
                stream.detach()  # fh is closed by its own with-block
        else:
            codec = "utf-8" if encoding == "utf-8-sig" else encoding
            yield from _numbered((_decode(raw, codec) for raw in fh), keep_ends)


def _numbered(lines: Iterable[str], keep_ends: bool) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, 1):
        if number == 1:
            line = line.lstrip("\ufeff")  # the BOM, or a second one some tools add
        yield number, line if keep_ends else line.rstrip("\r\n")


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
