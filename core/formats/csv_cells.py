"""CSV for spreadsheets: cells that a spreadsheet would run as a formula are neutralised.

Excel, LibreOffice and Google Sheets treat a cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula (CSV injection: a title
``=HYPERLINK(...)`` or a bullet "- Chile raised…" in a claim would run). As OWASP
advises, such a text cell is written with a leading ``'``, which spreadsheets show
as text and do not display. Numbers Assay writes (offsets, ids) are left alone.
JSONL exports are not spreadsheets and keep every text exactly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetWriter:
    """``csv.writer`` whose every text cell goes through :func:`safe_cell`; the header row
    ``columns`` is written first."""

    def __init__(self, fh: TextIO | None, columns: Iterable[str]) -> None:
        if fh is None:
            raise ValueError("a CSV export needs the open file")
        self._writer = csv.writer(fh)
        self.writerow(columns)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])
