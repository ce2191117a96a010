"""A PDF's pages as one article text: blocks in reading order, columns apart, running
headers, footers and page numbers dropped, lines joined into paragraphs.

Library-free on purpose: ``core.formats.read_pdf`` turns what pdfminer.six found on each
page into the records below (a text box is a :class:`Block` of :class:`Line` s, with
their places in PDF points, y upwards), and this module decides the rest, so every rule
here is tested on plain records as well as on real PDFs.

Reading order (:func:`reading_order`) is a recursive XY cut that tries columns first: a
set of blocks that a vertical gutter separates is read column by column, left to right.
Where no gutter runs through all of them (a title across both columns), they are cut
into horizontal bands, top to bottom, and consecutive bands are put back together as long
as a gutter still runs through them, so two columns whose paragraph breaks happen to line
up are still read one column after the other, never line by line across.

Page furniture (:func:`furniture`): a block in the top or bottom ``MARGIN_BAND`` of its
page that is the page's top-most or bottom-most is dropped when it is a page number
("12", "Page 3 of 40", "- iv -"), or when the same text (its digits masked, so "Page 3"
and "Page 4" are one text) stands at the same height on at least two pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.text.hyphens import Vocabulary, join_lines

MARGIN_BAND = 0.12  # of the page's height: where running headers and footers stand
SAME_HEIGHT = 4.0  # points: a running header stands this near its place on other pages
GUTTER = 5.0  # points: the least gap between two columns
# A paragraph ending like this is whole; one ending otherwise and followed by a block that
# starts in lowercase continues there (in the next column or on the next page).
_ENDS_SENTENCE = re.compile(r"[.!?:;)\]\"'\u201d\u2019\u2026]$")
# "12", "Page 3", "3 of 40", "3/40", and roman numerals written as numerals are ("iv", not
# "mild" or "did", which are letters a roman numeral has but no numeral).
_ROMAN = r"(?=[mdclxvi])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"(?:page\s*)?(?:\d{{1,5}}|{_ROMAN})(?:\s*(?:of|/)\s*\d{{1,5}})?", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    """One line of text as the PDF placed it (stripped, ligatures already spelled out)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Block:
    """Lines that stand together (a paragraph, a heading, a header): pdfminer's text box."""

    lines: tuple[Line, ...]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


@dataclass
class Page:
    """What one page holds: its blocks, its height, and whether it shows any picture (a
    page of pictures and no text is a scanned page)."""

    blocks: list[Block]
    height: float
    pictures: int = 0


@dataclass(frozen=True)
class Assembled:
    """The article's text and where each page starts in it."""

    text: str
    page_starts: tuple[int, ...]


# ---------------------------------------------------------------- reading order


def reading_order(blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` in the order a person reads them (the module's docstring)."""
    blocks = list(blocks)
    if len(blocks) <= 1:
        return blocks
    columns = _columns(blocks)
    if len(columns) > 1:
        return [b for column in columns for b in reading_order(column)]
    sections: list[list[Block]] = []
    for band in _bands(blocks):
        if sections and len(_columns(sections[-1] + band)) > 1:
            sections[-1].extend(band)
        else:
            sections.append(list(band))
    if len(sections) == 1:  # nothing to cut: top to bottom, then left to right
        return sorted(blocks, key=lambda b: (-b.y1, b.x0))
    return [b for section in sections for b in reading_order(section)]


def _columns(blocks: Sequence[Block]) -> list[list[Block]]:
    """``blocks`` split at every vertical gutter that runs past all of them, left to right."""
    ordered = sorted(blocks, key=lambda b: b.x0)
    groups: list[list[Block]] = [[ordered[0]]]
    right = ordered[0].x1
    for block in ordered[1:]:
        if block.x0 - right >= GUTTER:
            groups.append([block])
        else:
            groups[-1].append(block)
        right = max(right, block.x1)
    return groups


def _bands(blocks: Sequence[Block]) -> list[list[Block]]:
    """``blocks`` split at every horizontal gap that runs across all of them, top down."""
    ordered = sorted(blocks, key=lambda b: -b.y1)
    groups: list[list[Block]] = [[ordered[0]]]
    bottom = ordered[0].y0
    for block in ordered[1:]:
        if block.y1 < bottom:
            groups.append([block])
        else:
            groups[-1].append(block)
        bottom = min(bottom, block.y0)
    return groups


# ---------------------------------------------------------------- headers and footers


def _edge_blocks(page: Page) -> list[tuple[str, Block]]:
    """The page's top-most and bottom-most blocks that stand in its margin bands, each with
    the band ("top" or "bottom")."""
    if not page.blocks:
        return []
    top = max(b.y1 for b in page.blocks)
    bottom = min(b.y0 for b in page.blocks)
    found = []
    for block in page.blocks:
        if block.y0 >= page.height * (1 - MARGIN_BAND) and top - block.y1 <= SAME_HEIGHT:
            found.append(("top", block))
        elif block.y1 <= page.height * MARGIN_BAND and block.y0 - bottom <= SAME_HEIGHT:
            found.append(("bottom", block))
    return found


def _key(band: str, block: Block) -> tuple[str, str]:
    return band, " ".join(_DIGITS.sub("#", block.text.lower()).split())


def furniture(pages: Sequence[Page]) -> set[int]:
    """The ``id`` of every block that is a running header, footer or page number."""
    heights: dict[tuple[str, str], list[tuple[int, float]]] = {}
    dropped: set[int] = set()
    for number, page in enumerate(pages):
        for band, block in _edge_blocks(page):
            if _PAGE_NUMBER.fullmatch(block.text.strip().strip("-\u2013\u2014 ").strip()):
                dropped.add(id(block))
                continue
            heights.setdefault(_key(band, block), []).append((number, block.y0))
    for number, page in enumerate(pages):
        for band, block in _edge_blocks(page):
            others = heights.get(_key(band, block), [])
            if any(n != number and abs(y - block.y0) <= SAME_HEIGHT for n, y in others):
                dropped.add(id(block))
    return dropped


# ---------------------------------------------------------------- the text


def paragraph(block: Block, vocabulary: Vocabulary) -> str:
    """A block's lines as one paragraph: joined with a space, or without one where a
    hyphen or dash ends a line (``core.text.hyphens``)."""
    text = ""
    for line in block.lines:
        text = join_lines(text, line.text, vocabulary)
    return text


def assemble(pages: Sequence[Page]) -> Assembled:
    """The article: each page's blocks in reading order, furniture dropped, one paragraph
    per block with a blank line between them; a paragraph cut by a column or a page
    (it does not end a sentence and the next starts in lowercase) is joined again.

    A page starts where its first character landed (inside a paragraph that it
    continues, or inside a word joined across the page break); a page that gave no text
    starts where the next one does."""
    dropped = furniture(pages)
    kept = [reading_order([b for b in page.blocks if id(b) not in dropped]) for page in pages]
    vocabulary = Vocabulary()
    for blocks in kept:
        for block in blocks:
            vocabulary.add(line.text for line in block.lines)
    parts: list[str] = []
    size = 0  # len("\n\n".join(parts))
    starts: list[int | None] = []
    for blocks in kept:
        start: int | None = None
        for block in blocks:
            text = paragraph(block, vocabulary)
            if not text:
                continue
            if parts and _continues(parts[-1], text):
                joined = join_lines(parts[-1], text, vocabulary)  # ends with ``text`` whole
                size += len(joined) - len(parts[-1])
                parts[-1] = joined
                if start is None:
                    start = size - len(text)
                continue
            size += 2 if parts else 0
            if start is None:
                start = size
            parts.append(text)
            size += len(text)
        starts.append(start)
    following = size
    for i in range(len(starts) - 1, -1, -1):
        known = starts[i]
        following = known if known is not None else following
        starts[i] = following
    return Assembled("\n\n".join(parts), tuple(s for s in starts if s is not None))


def _continues(before: str, after: str) -> bool:
    return not _ENDS_SENTENCE.search(before) and after[:1].islower()
