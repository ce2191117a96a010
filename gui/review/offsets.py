"""The one place that converts between Python string offsets and Qt document positions.

Qt counts UTF-16 code units; Python counts code points. Every character
outside the Basic Multilingual Plane (emoji, some CJK) is two Qt positions
and one Python position, so every offset after it shifts. Everything in
``gui/`` that talks to a QTextDocument converts through an ``OffsetMap``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Maps offsets of one text both ways; O(1) for BMP-only text, O(log n) otherwise."""

    def __init__(self, text: str) -> None:
        # Python offsets of astral characters; each adds one extra Qt position after it.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # Qt position just after each astral character.
        self._astral_qt_end = [p + i + 2 for i, p in enumerate(self._astral)]
        self.length = len(text)

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_qt(self, offset: int) -> int:
        """Qt position of Python offset ``offset``."""
        if not self._astral:
            return offset
        return offset + bisect_right(self._astral, offset - 1)

    def to_py(self, position: int) -> int:
        """Python offset of Qt position ``position``; a position inside a pair rounds down."""
        if not self._astral:
            return position
        before = bisect_right(self._astral_qt_end, position)
        offset = position - before
        # A position between the two halves of a pair belongs to the astral char itself.
        if before < len(self._astral) and offset > self._astral[before]:
            offset = self._astral[before]
        return offset
