"""The main text of a news page: no markup, scripts, styles, navigation or boilerplate.

A small extractor on the standard library's ``html.parser``: the text of the
``<article>`` (else ``<main>``, else ``<body>``), with paragraphs, line breaks and
table cells kept as ``\n\n``, ``\n`` and tabs; the title from ``og:title``, JSON-LD
or ``<h1>``/``<title>``; the canonical URL and the publication date from the
page's metadata.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from core.formats.bad_content import BadContent as _BadContent

TITLE_MAX_CHARS = 200


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
