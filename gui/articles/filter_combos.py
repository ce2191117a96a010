"""The article list's label and topic filters: what each combo offers, filled from the
project's scheme, refilled when it changes (keeping the choice when it stays). The topic
combo says how many articles have each topic, read from the store's kept counts
(``Project.counts_by_topic``: one small table, so it costs the same at a million
articles)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from core.store import Project
from gui.articles.list_model import swatch_icon
from gui.common.plain_text import plain_tip

ALL_LABELS = "All labels"
ALL_TOPICS = "All topics"


def fill_labels(combo: QComboBox, project: Project | None) -> None:
    combo.clear()
    combo.addItem(ALL_LABELS, None)
    if project is None:
        return
    for label in project.labels():
        combo.addItem(swatch_icon(label.color), label.name, label.name)
        if label.description:
            combo.setItemData(combo.count() - 1, plain_tip(label.description),
                              Qt.ItemDataRole.ToolTipRole)


def topic_text(name: str, n: int) -> str:
    return f"{name} ({n:,})"


def fill_topics(combo: QComboBox, project: Project | None) -> None:
    combo.clear()
    combo.addItem(ALL_TOPICS, None)
    if project is None:
        return
    counts = project.counts_by_topic()
    for topic in project.topics():
        combo.addItem(swatch_icon(topic.color), topic_text(topic.name, counts.get(
            topic.name, 0)), topic.name)
        if topic.description:
            combo.setItemData(combo.count() - 1, plain_tip(topic.description),
                              Qt.ItemDataRole.ToolTipRole)


def recount_topics(combo: QComboBox, project: Project | None) -> None:
    """The articles per topic again (after edits), the entries and the choice unchanged."""
    if project is None:
        return
    counts = project.counts_by_topic()
    for i in range(1, combo.count()):
        name = combo.itemData(i)
        if name in counts:
            combo.setItemText(i, topic_text(name, counts[name]))


def refill(combo: QComboBox, fill: Callable[[QComboBox, Project | None], None],
           project: Project | None) -> bool:
    """Fill ``combo`` again, keeping the chosen entry if it is still there, without a
    signal; returns True when the chosen one went (the caller filters again)."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    try:
        fill(combo, project)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(0, index))
    finally:
        combo.blockSignals(False)
    return index < 0 and chosen is not None
