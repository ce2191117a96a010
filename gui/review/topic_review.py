"""Topics in the review window: T opens the article's Topics menu (under the header's
chips), where a topic's digit, or a click, toggles it; a click on a chip toggles it too.
Each is one undoable edit (``core.review.topic_edits.SetTopic``, on the window's history:
Ctrl+Z undoes it), and the article stays open where it was.

Why T, then the digit: every digit with every modifier is taken. The bare digits (and Q,
W) label entities, Alt+digit and Alt+Shift+digit jump between entities of a label,
Ctrl+1, 2, 3 and 0 give a claim its verdict, Ctrl+Alt+digit and Ctrl+Shift+digit take a
reviewer's spans or version while adjudicating, and Shift+digit is a different key on
every keyboard layout (Shift+2 is @ or "). T was the one letter that is neither a command
nor a label's key in the default scheme (and no new label is given it:
``core.store.scheme.SPARE_HOTKEYS``). It is a single key, so the key guard
(``gui.review.key_guard``) lets it act only in the text or the list, never under a
dialog, as A, X and S.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from core.review.session import ReviewSession
from core.review.topic_edits import SetTopic, toggled
from gui.review.topic_chips import TopicChips, literal

if TYPE_CHECKING:
    from gui.review_host import ReviewHost


class TopicReview:
    """Binds the topic keys and fills the header's chips from the session's events."""

    def __init__(self, host: ReviewHost, chips: TopicChips) -> None:
        self.host = host
        self.chips = chips
        self.session: ReviewSession | None = None
        self.key_actions: dict[str, QAction] = {}
        chips.topic_clicked.connect(self.toggle)
        self.act_topics = host.action("&Topics of the article…", "T", self.open_menu, help=(
            "Articles", "The article's topics: then a topic's digit sets or removes it "
                        "(a click on a topic in the header removes it)"))
        self.actions = [self.act_topics]
        self._return_to: QWidget | None = None
        chips.menu.aboutToHide.connect(self._menu_closed)

    def attach(self, session: ReviewSession) -> None:
        """Follow a new session: its topics' keys, and the open article's topics."""
        self.session = session
        self.keys_follow_scheme()
        session.labels_changed.connect(self.keys_follow_scheme)
        session.article_opened.connect(self.show)
        session.topics_changed.connect(self.show)

    def keys_follow_scheme(self) -> None:
        """One checkable entry per topic in the Topics menu, its digit first; rebuilt
        whenever the scheme changes (here or in another process)."""
        menu = self.chips.menu
        menu.clear()
        menu.keys = {}
        self.key_actions = {}
        if self.session is None:
            return
        for topic in self.session.topic_scheme():
            action = menu.addAction(f"{topic.hotkey or ' '}   {literal(topic.name)}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, n=topic.name: self.toggle(n))
            if topic.hotkey:
                menu.keys[topic.hotkey] = action
            self.key_actions[topic.name] = action
        self.show()

    def open_menu(self) -> None:
        """T: the Topics menu under the header's button (its digits act there)."""
        session = self.session
        if session is None or session.article is None or not self.key_actions:
            return
        if self.host.refuse_if_read_only("set the article's topics"):
            return  # as every edit key: the status bar says why, no menu to choose from
        button = self.chips.menu_button
        self._return_to = QApplication.focusWidget()
        self.chips.menu.popup(button.mapToGlobal(QPoint(0, button.height())))

    def _menu_closed(self) -> None:
        """The keyboard goes back where T was pressed (the text or the list), so the next
        key acts there."""
        widget, self._return_to = self._return_to, None
        if widget is not None:
            widget.setFocus()

    def show(self, *_: object) -> None:
        """The open article's topics as chips (none open: no chips, no menu)."""
        session = self.session
        if session is None:
            return
        open_article = session.article is not None
        self.chips.setVisible(open_article)
        self.chips.show_topics(session.topic_scheme() if open_article else [],
                               session.topics, self.key_actions)

    def toggle(self, name: str) -> None:
        """A topic's key, chip or menu entry: off if the article has it live, else on."""
        session = self.session
        if session is None or session.article is None:
            return
        on = toggled(session.topics, name)
        if self.host.push(SetTopic(session.article.id, name, on)):
            self.host.statusBar().showMessage(
                f"Topic {'set' if on else 'removed'}: {name}. Ctrl+Z undoes.", 4000)
        self.show()  # a refused toggle leaves the menu's check as the file has it
