"""The article header's topics: each live topic of the article as a chip (a suggestion
tinted, with a dashed border, until the reviewer or the approval decides it), then a
"Topics (T)" button whose menu lists every topic of the project with its digit, checked
where the article has it. T opens the menu from the keyboard and the digit toggles the
topic; a click on a chip or a menu entry toggles it too. Names are untrusted text: shown
as plain text, never as rich text."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent
from PySide6.QtWidgets import QLabel, QMenu, QToolButton, QWidget

from core.models import ArticleTopic, Topic
from core.text.normalise import one_line
from gui.common.flow_layout import FlowLayout
from gui.common.plain_text import plain_tip
from gui.common.theme import INK, label_color

NO_TOPICS = "No topic yet: press T"
CHIP_CHARS = 24  # a chip longer than this is cut with "…": a 40-character name widened the window


def chip_style(color: str, suggested: bool) -> str:
    """An accepted topic: its colour, white text. A suggested one: the colour's tint, dark
    text and a dashed border in the colour (as suggested entities are tinted)."""
    if suggested:
        rule = (f"background: {label_color(color, 'suggested').name()}; color: {INK.name()}; "
                f"border: 1px dashed {color};")
        hover = f"border: 2px solid {color};"
    else:
        ink = INK.name() if QColor(color).lightnessF() > 0.6 else "white"  # legible on yellow
        rule = f"background: {color}; color: {ink}; border: 1px solid {color}; font-weight: 600;"
        hover = f"border: 2px solid {INK.name()};"
    return (f"QToolButton {{ {rule} border-radius: 9px; padding: 1px 9px; }} "
            f"QToolButton:hover {{ {hover} }}")


def literal(name: str) -> str:
    """A name as a button or menu shows it: "&" is Qt's mnemonic mark, so it is doubled
    ("mergers & acquisitions" is not "mergers _acquisitions")."""
    return name.replace("&", "&&")


def key_text(topic: Topic) -> str:
    return f"T, {topic.hotkey}" if topic.hotkey else ""


class TopicMenu(QMenu):
    """The Topics menu. A QMenu grabs the keyboard, so a topic's digit acts here (as the
    label menu's keys do, ``gui.review.entity_review.LabelMenu``); Esc closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.keys: dict[str, QAction] = {}

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        action = None if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier \
            else self.keys.get(event.text())
        if action is not None:
            self.close()
            action.trigger()
            event.accept()
            return
        super().keyPressEvent(event)


class TopicChips(QWidget):
    """Chips and the Topics menu; emits ``topic_clicked(name)``. ``menu`` holds one
    checkable action per topic (``gui.review.topic_review`` makes them)."""

    topic_clicked = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.flow = FlowLayout(self, spacing=6)
        self.chips: dict[str, QToolButton] = {}
        self.empty = QLabel(NO_TOPICS)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.menu_button = QToolButton()
        self.menu_button.setText("Topics (T)")
        self.menu_button.setToolTip("Every topic of the project and its digit: T, then the "
                                    "digit, sets or removes it. Review → Labels… edits them "
                                    "(the Topics tab).")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.menu = TopicMenu(self.menu_button)
        self.menu_button.setMenu(self.menu)
        self.flow.addWidget(self.empty)
        self.flow.addWidget(self.menu_button)

    def show_topics(self, topics: Sequence[Topic], rows: Sequence[ArticleTopic],
                    actions: dict[str, QAction]) -> None:
        """The article's live ``rows`` as chips in the scheme's order, and each topic's
        action (``actions``, by name) checked where the article has it live."""
        for chip in self.chips.values():
            self.flow.removeWidget(chip)
            chip.deleteLater()
        self.chips = {}
        live = {r.topic: r for r in rows if r.live}
        self.flow.removeWidget(self.menu_button)
        self.flow.removeWidget(self.empty)
        for topic in topics:
            row = live.get(topic.name)
            if row is None:
                continue
            chip = QToolButton(self)
            suggested = row.state == "suggested"
            chip.setText(literal(one_line(topic.name, CHIP_CHARS)))  # the tooltip has it all
            chip.setStyleSheet(chip_style(topic.color, suggested))
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            how = (f"Suggested by {row.model or 'a model'}"
                   + (f" ({row.score:.2f})" if row.score is not None else "")
                   + "; approving the article accepts it." if suggested
                   else f"Set by {row.updated_by or 'a reviewer'}.")
            key = key_text(topic)
            chip.setToolTip(plain_tip(f"{topic.name}: {topic.description}\n{how}\n"
                                      f"Click{' or ' + key if key else ''} to remove it."))
            chip.clicked.connect(lambda _=False, n=topic.name: self.topic_clicked.emit(n))
            self.flow.addWidget(chip)
            if self.isVisible():
                chip.show()  # at once, not at the next turn of the event loop
            self.chips[topic.name] = chip
        self.empty.setVisible(not self.chips)
        self.flow.addWidget(self.empty)
        self.flow.addWidget(self.menu_button)
        self.menu_button.setEnabled(bool(topics))
        for name, action in actions.items():
            action.setChecked(name in live)
        self.updateGeometry()
