"""Files that are one article each: ``.txt``, ``.md`` (title, front matter) and ``.html``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.formats.bad_content import BadContent as _BadContent
from core.formats.html import TITLE_MAX_CHARS, _declared_charset, extract_html
from core.formats.source_text import (
    Entry,
    normalised,
    read_bytes,
    whole_text,
)
from core.models import (
    ArticleIn,
)

# ---------------------------------------------------------------- .txt and .md


def read_plain(path: Path) -> Iterator[Entry]:
    """A text or Markdown file is one article: the whole file, title guessed from line one."""
    text = whole_text(read_bytes(path))
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


def read_html(path: Path) -> Iterator[Entry]:
    """An HTML page is one article: its main text, title, canonical url and date."""
    data = read_bytes(path)
    page = extract_html(whole_text(data, declared=_declared_charset(data[:4096])))
    body = normalised(page.text)
    if not body.strip():
        raise _BadContent("no article text found in the HTML")
    yield None, ArticleIn(text=body, title=page.title, source=path.name,
                          url=page.url, published=page.published)
