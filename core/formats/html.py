"""The main text of a news page: no markup, scripts, styles, navigation or boilerplate.

Finding the article in a page is not Assay's job, so trafilatura does it: it is
maintained, made for news and blog pages, and scored well in the published
comparisons of main-text extractors (its own benchmark, and ScrapingHub's).
Assay keeps two things of its own:

- the *layout* of the text: trafilatura gives the article as a small XML tree
  (``p``, ``head``, ``list``/``item``, ``table``/``row``/``cell``, ``lb``,
  ``quote``/``code``), which is rendered here so that paragraphs are separated by a
  blank line, list items and table rows are lines and cells are tabs: an entity
  never runs from one paragraph, item or row into the next;
- the *title*: the article's own first heading when it has one (a page's
  ``<title>`` often names the site), else trafilatura's metadata title.

Trafilatura's size thresholds are set to one character, because a short wire
story or a page fragment is still an article to a reviewer (its defaults fall
back to a cruder extraction below 250 characters and flatten the paragraphs).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from core.formats.bad_content import BadContent as _BadContent

TITLE_MAX_CHARS = 200

# trafilatura logs every page it finds nothing in at ERROR; with no handler of its own,
# Python would print that on the CLI's stderr. The importer reports the page instead.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())


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


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    for key in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE", "MIN_EXTRACTED_COMM_SIZE",
                "MIN_OUTPUT_COMM_SIZE"):
        config.set("DEFAULT", key, "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its timer uses signals: not in threads
    return config


def extract_html(markup: str) -> HtmlPage:
    """The main text of an HTML page as plain text with line breaks, and its metadata."""
    import trafilatura  # ~0.3 s to import: only when a page is read

    if not _BODY.search(markup):
        # libxml2's HTML parser predates HTML5: without a <body>, it leaves <article> and
        # <main> in the head, where trafilatura finds nothing.
        markup = _HEAD_END.sub(r"\g<0><body>", markup, count=1) if _HEAD_END.search(
            markup) else f"<html><head></head><body>{markup}</body></html>"
    try:
        doc = trafilatura.bare_extraction(
            markup, with_metadata=True, include_tables=True, include_comments=False,
            include_images=False, include_links=False, include_formatting=False,
            deduplicate=False, config=_config())
    except RecursionError as exc:  # absurdly nested markup
        raise _BadContent("cannot parse HTML (nested too deeply)") from exc
    except Exception as exc:  # lxml's and trafilatura's own errors: a broken page
        raise _BadContent(f"cannot parse HTML ({exc})") from exc
    if doc is None or isinstance(doc, dict) or doc.body is None:  # a dict only if as_dict
        return HtmlPage("")
    blocks = [_block(child) for child in doc.body]
    text = "\n\n".join(b for b in blocks if b)
    heading = next((_collapse(_text(c)) for c in doc.body if c.tag == "head"), "")
    title = heading or _collapse(doc.title or "")
    return HtmlPage(text=text, title=title[: TITLE_MAX_CHARS * 2], url=doc.url or "",
                    published=doc.date or "")


def _text(element) -> str:
    """All the text under ``element``, with ``lb`` as ``_BREAK`` (not in any XML text)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        parts.append(_BREAK if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _block(element) -> str:
    """One block of the article as text: a paragraph, a list, a table, a quote."""
    tag = element.tag
    if tag == "list":
        return "\n".join(line for item in element if (line := _lines(_text(item))))
    if tag == "table":
        rows = ("\t".join(_collapse(_text(cell)) for cell in row) for row in element
                if row.tag == "row")
        return "\n".join(row for row in rows if row.strip())
    if tag in ("quote", "code"):  # from <pre> too: keep its lines and their spacing
        raw = [line.rstrip() for line in _text(element).replace(_BREAK, "\n").split("\n")]
        while raw and not raw[0].strip():
            raw.pop(0)
        while raw and not raw[-1].strip():
            raw.pop()
        return "\n".join(raw) if len(raw) > 1 else _collapse("".join(raw))
    return _lines(_text(element))


_BREAK = "\x00"
_BODY = re.compile(r"<body[\s>]", re.I)
_HEAD_END = re.compile(r"</head\s*>", re.I)


def _lines(text: str) -> str:
    """The page's whitespace collapsed; only its explicit line breaks (``<br>``) kept."""
    return "\n".join(line for part in text.split(_BREAK) if (line := _collapse(part)))


def _collapse(text: str) -> str:
    return " ".join(text.split())
