"""A ``.pdf`` file is one article: its text layer, laid out by ``core.formats.pdf_layout``,
with each page's start offset, its title and its date.

pdfminer.six (MIT) reads the file and its layout analysis groups characters into lines
and lines into text boxes with their places on the page; ``pdf_layout`` puts the boxes in
reading order, drops running headers, footers and page numbers, and joins lines and
hyphenated words. Ligature characters (U+FB00-FB06, "ﬁ") are spelled out ("fi").

A PDF that cannot give its whole text is refused with one sentence and nothing of it is
stored: an encrypted one, one without a text layer (scanned), a damaged or truncated one,
a file that is not a PDF at all, and one over ``MAX_PDF_PAGES`` pages. Pages are read one
by one; after each the ``pages`` hook is told (progress) and may raise ``ImportCancelled``
(the user cancelled): the article is made only when every page has been read, so a cancel
leaves no half of it.

Title: the PDF's own (its metadata), unless it is empty or a file name ("Microsoft Word -
report.docx"); else the first paragraph when it is short and does not end a sentence; else
the file's name. Date: the metadata's creation date; else, as for every format, the
dateline at the top of the text (``core.text.dates``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from core.formats.bad_content import BadContent
from core.formats.html import TITLE_MAX_CHARS
from core.formats.pdf_layout import Block, Line, Page, assemble
from core.formats.source_text import Entry, ImportCancelled, PageHook, problem
from core.models import ArticleIn
from core.text.normalise import normalise_text, one_line

# pdfminer logs what it works around in a file ("Could not get FontBBox…") as warnings,
# which Python would print on stderr for want of a handler: the import reports in its own
# sentences. An app that sets up logging still gets them.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

MAX_PDF_PAGES = 2000
TITLE_CHARS = 150  # a first paragraph longer than this is text, not a title
SCANNED_LETTERS = 20  # a page with pictures and fewer letters (a page number) is a scan
_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl",
              0xFB05: "st", 0xFB06: "st"}
_UNMAPPED = re.compile(r"\(cid:\d+\)")  # pdfminer's text for a glyph with no character
_FILE_NAME = re.compile(r"(?:^microsoft \w+ - )|\.(?:docx?|pdf|rtf|odt|pptx?|xlsx?|indd|tex)$",
                        re.IGNORECASE)
_PDF_DATE = re.compile(r"(?:D:)?((?:19|20)\d\d)(\d\d)(\d\d)")
OCR = "run OCR first"
_SCANNED = f"has no text layer; it looks scanned \u2014 {OCR}"


def read_pdf(path: Path, pages: PageHook | None = None) -> Iterator[Entry]:
    """The article in one PDF (``pages(done, total)`` after each page), or BadContent; and
    a note naming the pages that are only pictures, when some have text and some not."""
    with path.open("rb") as fh:
        _check_envelope(fh)
        article, scanned = _read(fh, path, pages)
    yield None, article
    if scanned:
        listed = ", ".join(str(n) for n in scanned[:12]) + (", …" if len(scanned) > 12 else "")
        yield None, problem(path, None, f"page(s) {listed} have no text layer (scanned?); "
                                        "the article has the text of the other pages")


def _check_envelope(fh: BinaryIO) -> None:
    """Refuse a file that does not start and end as a PDF before parsing it."""
    head = fh.read(1024)
    if b"%PDF-" not in head:
        raise BadContent("is not a PDF (it does not start like one)")
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(max(0, size - 2048))
    if b"%%EOF" not in fh.read():
        raise BadContent("is damaged or cut short (it does not end like a PDF); "
                         "nothing of it was imported")
    fh.seek(0)


def _read(fh: BinaryIO, path: Path, hook: PageHook | None) -> tuple[ArticleIn, list[int]]:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        document, total = _open(fh)
        pages = _pages(document, total, hook)
        info = _info(document)
    except ImportCancelled:
        raise
    except BadContent:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise BadContent("is encrypted with a password; open it, save a copy without the "
                         "password and import that") from exc
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        why = one_line(str(exc), 80) or type(exc).__name__
        raise BadContent(f"is damaged and cannot be read ({why}); nothing of it was "
                         "imported") from exc
    assembled = assemble(pages)
    text = assembled.text
    if not text.strip():
        raise BadContent(_SCANNED if any(p.pictures for p in pages)
                         else "has no text on any page")
    scanned = [n for n, page in enumerate(pages, 1) if page.pictures and sum(
        ch.isalpha() for block in page.blocks for ch in block.text) < SCANNED_LETTERS]
    return ArticleIn(text=text, title=_title(info.get("Title"), text, path),
                     source=path.name, published=_date(info.get("CreationDate")),
                     pages=assembled.page_starts), scanned


def _open(fh: BinaryIO) -> tuple[Any, int]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    document = PDFDocument(PDFParser(fh))
    tree = resolve1(document.catalog.get("Pages"))
    total = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    if not isinstance(total, int) or total < 0:
        raise BadContent("is damaged and cannot be read (it has no page list); "
                         "nothing of it was imported")
    if total > MAX_PDF_PAGES:
        raise BadContent(f"has {total:,} pages; a PDF of at most {MAX_PDF_PAGES:,} pages is "
                         "imported as one article: split it and import the parts")
    return document, total


def _pages(document: Any, total: int, hook: PageHook | None) -> list[Page]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager(caching=True)
    # boxes_flow=None: pdf_layout orders the boxes itself (and pdfminer's own ordering is
    # the slow part of its analysis); all_texts: text drawn inside forms is text too.
    device = PDFPageAggregator(resources, laparams=LAParams(boxes_flow=None, all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)
    out: list[Page] = []
    unmapped = letters = 0
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        layout = device.get_result()
        found = Page([], float(layout.height))
        counts = _collect(layout, found)
        unmapped += counts[0]
        letters += counts[1]
        out.append(found)
        if hook is not None:
            hook(len(out), max(total, len(out)))
    if unmapped > letters:
        raise BadContent("has text in fonts that do not say which characters they draw, so "
                         f"it cannot be read; {OCR}")
    return out


def _collect(container: Any, page: Page) -> tuple[int, int]:
    """Add the text boxes and pictures in ``container`` (a page or a figure) to ``page``;
    returns the unmapped glyphs and the letters seen."""
    from pdfminer.layout import LTFigure, LTImage, LTTextBox, LTTextLine

    unmapped = letters = 0
    for item in container:
        if isinstance(item, LTTextBox):
            lines = []
            for line in item:
                if not isinstance(line, LTTextLine):
                    continue
                raw = line.get_text()
                unmapped += len(_UNMAPPED.findall(raw))
                text = clean_line(raw)
                letters += sum(ch.isalpha() for ch in text)
                if text:
                    lines.append(Line(text, line.x0, line.y0, line.x1, line.y1))
            if lines:
                page.blocks.append(Block(tuple(lines), item.x0, item.y0, item.x1, item.y1))
        elif isinstance(item, LTImage):
            page.pictures += 1
        elif isinstance(item, LTFigure):
            found = _collect(item, page)
            unmapped += found[0]
            letters += found[1]
    return unmapped, letters


def clean_line(raw: str) -> str:
    """One line's text as stored: ligatures spelled out, glyphs without a character
    dropped, control characters dropped (``normalise_text``), spaces collapsed."""
    text = _UNMAPPED.sub("", raw.translate(_LIGATURES))
    return " ".join(normalise_text(text).split())


def _info(document: Any) -> dict[str, str]:
    """The document's metadata (its Info dictionary) as text: Title, CreationDate, …"""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    found: dict[str, str] = {}
    for info in document.info or []:
        for key, value in (resolve1(info) or {}).items():
            value = resolve1(value)
            if isinstance(value, bytes):
                found[str(key)] = decode_text(value)
            elif isinstance(value, str):
                found[str(key)] = value
    return found


def _title(given: str | None, text: str, path: Path) -> str:
    title = one_line(normalise_text(given or ""), TITLE_MAX_CHARS)
    if title and not _FILE_NAME.search(title) and title.lower() not in ("untitled", "title"):
        return title
    first = text.split("\n\n", 1)[0].strip()
    if first and len(first) <= TITLE_CHARS and not first.endswith(".") and any(
            ch.isalpha() for ch in first):
        return one_line(first, TITLE_MAX_CHARS)
    return path.stem


def _date(given: str | None) -> str:
    """A PDF date ("D:20240603120000+02'00'") as ISO ``YYYY-MM-DD``, or ""."""
    match = _PDF_DATE.match((given or "").strip())
    if not match:
        return ""
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""

