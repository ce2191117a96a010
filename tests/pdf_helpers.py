"""PDFs made for the tests with reportlab: the layouts, fonts and failures of real reports.

Each page is drawn the hard way for a text extractor: the two columns' lines alternate in
the content stream (left line 1, right line 1, left line 2, …), so only a layout analysis
that sees the columns reads them apart; a running header, a footer with the page number
and a repeated footer line on every page; ligature characters (U+FB01 "ﬁ", U+FB02 "ﬂ") in
a TrueType font that has them (Bitstream Vera, shipped inside reportlab) and a Chinese
word in a CID font (no embedding needed: reportlab's STSong-Light).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import reportlab
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
SIZE = 10  # points: each column's longest line ends 30 points before the next column
LEADING = 13
TOP = HEIGHT - 90  # the first body line; the header stands at HEIGHT - 40
HEADER = "Cobalt Supply Review 2026"
FOOTER = "Mineral Commodity Summaries"
CJK = "\u4e2d\u56fd"  # 中国

pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts"
                                            / "Vera.ttf")))
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

# A report of three pages. Page 1: two columns, a word hyphenated across a line ("sup-ply"),
# a real compound broken at its hyphen ("cobalt-free"), ligatures, accents, an em dash and a
# Chinese word. Page 2: two columns whose paragraph breaks line up, and a paragraph that
# runs on from the left column into the right one. Page 3: one column, whose first line
# ends a word begun on page 2 ("pro-" + "duction").
REPORT: list[tuple[list[str], list[str]]] = [
    ([
        "Cobalt from the Lualaba province of the",
        "DRC feeds the global sup-",
        "ply of batteries, and Qu\u00e9bec plans",
        "cobalt-",
        "free cells \u2014 a \ufb01rst for the \ufb02eet.",
        "",
        f"Refiners in {CJK} buy most of it.",
    ], [
        "Lithium brines in the Atacama",
        "supply most of the region's output.",
        "",
        "Indonesia's nickel in Sulawesi",
        "grew again in 2025.",
    ]),
    ([
        "Graphite anodes come from Heilongjiang.",
        "",
        "Manganese ore from Gabon is expected to",
    ], [
        "rise by a third next year.",
        "",
        "Tantalum from Rwanda is traced by the",
        "long-term trend in pro-",
    ]),
    ([
        "duction capacity, which stays strong.",
        "",
        "Conclusions follow the tables.",
    ], []),
]
# What the importer must make of REPORT, paragraph by paragraph.
REPORT_TEXT = (
    "Cobalt from the Lualaba province of the DRC feeds the global supply of batteries, and "
    "Qu\u00e9bec plans cobalt-free cells \u2014 a first for the fleet.\n\n"
    f"Refiners in {CJK} buy most of it.\n\n"
    "Lithium brines in the Atacama supply most of the region's output.\n\n"
    "Indonesia's nickel in Sulawesi grew again in 2025.\n\n"
    "Graphite anodes come from Heilongjiang.\n\n"
    "Manganese ore from Gabon is expected to rise by a third next year.\n\n"
    "Tantalum from Rwanda is traced by the long-term trend in production capacity, which "
    "stays strong.\n\n"
    "Conclusions follow the tables."
)


def _font_for(line: str) -> str:
    return "STSong-Light" if CJK in line else "Vera"


def _draw_columns(c: canvas.Canvas, left: Sequence[str], right: Sequence[str]) -> None:
    """Both columns, their lines alternating in the content stream."""
    x_right = WIDTH / 2 + 20 if right else None
    for i in range(max(len(left), len(right))):
        y = TOP - i * LEADING
        for x, lines in ((72, left), (x_right, right)):
            if x is not None and i < len(lines) and lines[i]:
                c.setFont(_font_for(lines[i]), SIZE)
                c.drawString(x, y, lines[i])


def write_pdf(path: Path, pages: Sequence[tuple[Sequence[str], Sequence[str]]], *,
              title: str | None = "Cobalt Supply Review", created: str | None = "20260315",
              furniture: bool = True, password: str | None = None) -> Path:
    """A PDF of ``pages`` (each its left and right column's lines; "" a paragraph break)
    with a running header, "Page N of M" and a repeated line in the footer."""
    encrypt = pdfencrypt.StandardEncryption(password) if password else None
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title is not None:
        c.setTitle(title)
    if created is not None:
        c.setDateFormatter(lambda *_ymdhms: f"D:{created}093000+01'00'")
    for number, (left, right) in enumerate(pages, 1):
        if furniture:
            c.setFont("Vera", 9)
            c.drawString(72, HEIGHT - 40, HEADER)
            c.drawString(72, 30, FOOTER)
            c.drawRightString(WIDTH - 72, 30, f"Page {number} of {len(pages)}")
        _draw_columns(c, left, right)
        c.showPage()
    c.save()
    return path


def write_report(path: Path, **options) -> Path:
    return write_pdf(path, REPORT, **options)


def write_scanned(path: Path, pages: int = 2, text_on: Sequence[int] = ()) -> Path:
    """Pages that are only a picture (a scan without OCR), but for the pages in
    ``text_on`` (1-based), which have a line of text."""
    from PIL import Image

    picture = ImageReader(Image.new("RGB", (120, 160), (200, 200, 190)))
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        if number in text_on:
            c.setFont("Vera", SIZE)
            c.drawString(72, TOP, f"Cobalt from the Lualaba province, page {number}.")
        else:
            c.drawImage(picture, 72, 200, WIDTH - 144, HEIGHT - 300)
        c.showPage()
    c.save()
    return path


def long_report(pages: int) -> list[tuple[list[str], list[str]]]:
    """``pages`` pages of two full columns, like a long agency report."""
    out = []
    for n in range(1, pages + 1):
        left = [f"Section {n} reviews the cobalt of", "Lualaba and the copper of Zambia,"] * 12 \
            + ["", f"End of the left column on page {n}."]
        right = [f"Lithium and graphite on page {n}", "come from Chile and China again;"] * 12 \
            + ["", f"End of the right column, page {n}."]
        out.append((left, right))
    return out
