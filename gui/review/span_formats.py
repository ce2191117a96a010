"""How an entity looks in the text: its character formats, made once per (label, state).

An article has thousands of entities but only a few dozen distinct looks, so the view
asks here instead of building a ``QTextCharFormat`` per entity. The last character of a
live entity gets letter-spacing as wide as its label's tag, the gap the view paints the
label name into (displaCy's look, without changing the text). The looks depend on the
labels' colours and the tag font, so both empty the cache.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QFont, QFontMetrics, QTextCharFormat

from core.models import Label
from gui.common.theme import INK, label_color

TAG_PAD = 5  # pixels of gap around the painted label name
REJECTED_INK = QColor("#9a9a9a")


class SpanFormats:
    """The formats of entities by label and state, and the width of each label's tag."""

    def __init__(self) -> None:
        self._labels: dict[str, Label] = {}
        self._metrics: QFontMetrics | None = None
        self._cache: dict[tuple[str, str], tuple[QTextCharFormat, QTextCharFormat | None]] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {lb.name: lb for lb in labels}
        self._cache.clear()

    def set_tag_metrics(self, metrics: QFontMetrics) -> None:
        self._metrics = metrics
        self._cache.clear()

    def color(self, label: str) -> QColor:
        """The label's colour (grey for a label the scheme no longer has)."""
        known = self._labels.get(label)
        return QColor(known.color if known else "#9a9a9a")

    def tag_width(self, label: str) -> int:
        assert self._metrics is not None, "set_tag_metrics first"
        return self._metrics.horizontalAdvance(label) + 2 * TAG_PAD

    def formats(self, label: str, state: str) -> tuple[QTextCharFormat, QTextCharFormat | None]:
        """The format of an entity and of its last character (the label gap), or None."""
        key = (label, state)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        known = self._labels.get(label)
        color = known.color if known else "#dddddd"
        fmt = QTextCharFormat()
        last = None
        if state == "rejected":
            fmt.setForeground(REJECTED_INK)
            fmt.setFontStrikeOut(True)
        else:
            fmt.setBackground(label_color(color, state))
            fmt.setForeground(INK)
            if state == "suggested":
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(QColor(color).darker(170))
            # Room for the label name after the last character.
            last = QTextCharFormat()
            last.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            last.setFontLetterSpacing(self.tag_width(label))
        self._cache[key] = (fmt, last)
        return fmt, last

