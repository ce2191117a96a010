"""An article's date from its own text: the dateline near the top ("June 3, 2024",
"3 June 2024", "2024-06-03"), as ISO ``YYYY-MM-DD``.

Every importer asks this (``core.formats.importers``) when the file gave no date of its
own (front matter, an HTML page's metadata, a record's date field): a date the file gave
is never replaced. A dateline is looked for only at the top, where news puts it (above
or at the start of the first paragraph), and only at the start of a line, so a date the
story talks about further down ("the law takes effect on 1 January 2026") is not taken
for the day it was written. Written as a small rule rather than a date-parsing library:
it must say no to most text, and what it accepts is listed here.
"""

from __future__ import annotations

import re
from datetime import date

TOP_LINES = 6  # the first non-empty lines where a dateline may stand
TOP_CHARS = 1500  # and no further into the text than this
LINE_START = 60  # characters: a dateline's date starts this near the start of its line

MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), 1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2024-06-03
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # June 3, 2024
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 3 June 2024
)


def _as_date(match: re.Match[str]) -> date | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        return date(int(match.group("year")), number, int(match.group("day")))
    except ValueError:  # 31 June, month 13
        return None


def dateline(text: str) -> str:
    """The date of the dateline at the top of ``text`` (ISO), or "" if it has none."""
    seen = 0
    for line in text[:TOP_CHARS].split("\n"):
        if not line.strip():
            continue
        seen += 1
        if seen > TOP_LINES:
            break
        found = [(m.start(), d) for pattern in PATTERNS for m in pattern.finditer(line)
                 if m.start() <= LINE_START and (d := _as_date(m)) is not None]
        if found:
            return min(found, key=lambda hit: hit[0])[1].isoformat()
    return ""
