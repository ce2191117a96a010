"""What the adjudication view looks like (issue 25): the reviewers' lanes are seen in a
light and a dark theme, yet quieter than the text, and the red outline of a difference
stays visible around a selected entity."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.common.theme import apply_theme
from tests.gui_helpers import point_of
from tests.test_adjudication import at, window_on_three

TAKE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def luminance(color: QColor) -> float:
    """Relative luminance (WCAG 2)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def strongest(image: QImage, x: int, ys: range, page: QColor) -> float:
    """The highest contrast with the page along a column of pixels."""
    return max(contrast(image.pixelColor(x, y), page) for y in ys)


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def themed(request):
    app = QApplication.instance()
    style, palette = app.style().name(), app.palette()
    apply_theme(app, request.param)
    yield request.param
    app.setStyle(style)
    app.setPalette(palette)


def test_lanes_are_seen_but_quieter_than_the_text(qtbot, tmp_path, themed):
    win = window_on_three(qtbot, tmp_path)  # lithium: all three agree, so its bars are lightest
    view = win.view
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    page = view.palette().base().color()
    start, end = at("lithium")
    middle = point_of(view, (start + end) // 2)
    line = view.cursorRect()  # a line's height, to look below the word
    below = range(middle.y() + line.height() // 2 + 2, middle.y() + 3 * line.height())
    bars = strongest(image, middle.x(), below, page)
    word = point_of(view, at("buy")[0])  # plain text, no entity colour behind it
    letters = max(strongest(image, x, range(word.y() - 6, word.y() + 6), page)
                  for x in range(word.x(), word.x() + 20))
    assert bars >= 2.2, f"the lanes under an agreed entity are too faint ({bars:.2f}:1)"
    assert bars < letters, "the lanes must not be louder than the text"


def is_red(color: QColor) -> bool:
    return color.red() > 150 and color.green() < 120 and color.blue() < 120


def test_a_selected_difference_keeps_its_red_outline(qtbot, tmp_path, themed):
    win = window_on_three(qtbot, tmp_path)
    view = win.view
    QTest.keyClick(view, Qt.Key.Key_1, TAKE)  # ana's "Albemarle Corp.": taken, selected
    assert view.selected_span().text == "Albemarle Corp."
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    left = point_of(view, at("Albemarle")[0])
    top, bottom = left.y() - view.cursorRect().height(), left.y() + view.cursorRect().height()
    # Left of the selection frame, the outline's upright edge: red in the rows of the word.
    red_rows = sum(any(is_red(image.pixelColor(x, y)) for x in range(left.x() - 12, left.x() - 2))
                   for y in range(top, bottom))
    assert red_rows >= 10, "the red outline of the selected difference is hidden"
