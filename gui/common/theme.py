"""Colours and fonts shared by the widgets, so light and dark palettes stay legible.

Label colours are displaCy's pastels; text on them is always dark, whatever
the palette, because white text on a pastel is unreadable.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

INK = QColor("#1b1b1b")  # text drawn on top of a label colour
READING_FAMILIES = ("Charter", "Georgia", "Source Serif 4", "Noto Serif", "DejaVu Serif")
STATUS_COLORS = {
    "pending": QColor("#8a8f98"),
    "approved": QColor("#2e9d5b"),
    "rejected": QColor("#d0473f"),
    "skipped": QColor("#c08a1e"),
}


def label_color(hex_color: str, state: str = "accepted") -> QColor:
    """Background for an entity: full colour when accepted, a lighter tint when suggested."""
    color = QColor(hex_color)
    if not color.isValid():
        color = QColor("#dddddd")
    if state == "suggested":
        # Blend towards white: recognisably the same hue, visibly not yet decided.
        white = QColor("#ffffff")
        t = 0.55
        color = QColor(
            round(color.red() * (1 - t) + white.red() * t),
            round(color.green() * (1 - t) + white.green() * t),
            round(color.blue() * (1 - t) + white.blue() * t),
        )
    return color


def reading_font(point_size: float = 12.5) -> QFont:
    """A serif text face for long reading, the first one installed of a short list."""
    families = set(QFontDatabase.families())
    for family in READING_FAMILIES:
        if family in families:
            font = QFont(family)
            break
    else:
        font = QFont()
        font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(point_size)
    return font


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """A calm dark palette for the Fusion style (Qt has none built in on every platform)."""
    p = QPalette()
    base, window, text = QColor("#1f2125"), QColor("#2a2d32"), QColor("#e6e6e6")
    role = QPalette.ColorRole
    p.setColor(role.Window, window)
    p.setColor(role.WindowText, text)
    p.setColor(role.Base, base)
    p.setColor(role.AlternateBase, QColor("#25282d"))
    p.setColor(role.ToolTipBase, window)
    p.setColor(role.ToolTipText, text)
    p.setColor(role.Text, text)
    p.setColor(role.Button, window)
    p.setColor(role.ButtonText, text)
    p.setColor(role.BrightText, QColor("#ff6b6b"))
    p.setColor(role.Highlight, QColor("#3d6fb4"))
    p.setColor(role.HighlightedText, QColor("#ffffff"))
    p.setColor(role.PlaceholderText, QColor("#8a8f98"))
    p.setColor(role.Link, QColor("#7fb0ff"))
    for group in (QPalette.ColorGroup.Disabled,):
        p.setColor(group, role.Text, QColor("#777777"))
        p.setColor(group, role.ButtonText, QColor("#777777"))
        p.setColor(group, role.WindowText, QColor("#777777"))
    return p


def apply_theme(app: QApplication, dark: bool) -> None:
    """Fusion everywhere, so screenshots and users see the same widgets on every platform."""
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
