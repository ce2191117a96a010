"""Token boundaries for snapping selections and moving span edges one token at a time.

Pre-annotation stores spaCy's tokens with each article. For an article that
has none yet, the window uses ``quick_tokens``: a regular expression that
gives the same word boundaries for snapping and runs in milliseconds, so the
window never has to load spaCy (about a second) just to open an article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

# Initialisms ("U.S.") and common abbreviations ("Ltd.") keep their periods, as spaCy's
# tokenizer exceptions do; numbers keep their separators; words keep inner hyphens and
# apostrophes; anything else is one character.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"
    r"|\b(?:Ltd|Inc|Corp|Co|Plc|Bhd|Mr|Mrs|Ms|Dr|St|Jr|No|Gov|Sen|Rep|Dept|Jan|Feb|Aug|Sept|Oct"
    r"|Nov|Dec)\.(?!\w)"
    r"|\d+(?:[.,]\d+)*"
    r"|\w+(?:['’\-]\w+)*"
    r"|\S"
)

Token = tuple[int, int]


def quick_tokens(text: str) -> list[Token]:
    """Token offsets of ``text`` by a regular expression (no spaCy needed)."""
    return [m.span() for m in _TOKEN.finditer(text)]


def snap(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """Widen ``[start, end)`` to whole tokens; None if it covers no token at all.

    A selection that starts in the middle of a word takes the whole word, and
    leading or trailing spaces are dropped, as reviewers expect in Prodigy.
    """
    if start > end:
        start, end = end, start
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    first = bisect_right(ends, start)  # first token ending after start
    last = bisect_left(starts, end) - 1  # last token starting before end
    if first > last or first >= len(tokens) or last < 0:
        return None
    return tokens[first][0], tokens[last][1]


def _is_punct(token: str) -> bool:
    return all(not ch.isalnum() and ch not in "$€£¥%" for ch in token)


def move_edge(
    tokens: Sequence[Token], start: int, end: int, edge: str, step: int,
    text: str | None = None,
) -> tuple[int, int] | None:
    """Move a span's ``edge`` ("start" or "end") by ``step`` tokens; None if impossible.

    The span never becomes empty and never leaves the text. Punctuation tokens
    (commas, brackets, quotes, full stops) are stepped over: no entity starts or
    ends with them, while currency and percent signs count as tokens.
    """
    if text is not None:
        tokens = [t for t in tokens if not _is_punct(text[t[0]:t[1]])]
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    if edge == "start":
        i = bisect_left(starts, start) + step
        if i < 0 or i >= len(tokens) or starts[i] >= end:
            return None
        moved = starts[i], end
    else:
        i = bisect_left(ends, end) + step
        if i < 0 or i >= len(tokens) or ends[i] <= start:
            return None
        moved = start, ends[i]
    if text is not None and "\n" in text[moved[0]:moved[1]]:
        return None  # entities never cross a line break (label guide)
    return moved
