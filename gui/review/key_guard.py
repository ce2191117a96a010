"""The one gate of the review's single keys: a key without Ctrl, Alt or Meta (a letter,
Shift+letter, a digit, Space, Enter, Delete…) acts in the review only when the article
text or the article list has the keyboard, and never while a dialog or a popup is open.

Why: twice a file dialog opened without taking the keyboard, and the path typed "into it"
went to the review window, where A, X and S change an article's status. Every key the
window receives passes here first (an application event filter), so an action added
later with a single key is guarded without anyone remembering to: its shortcut is simply
never offered the key. Keys with Ctrl, Alt or Meta (Ctrl+Z, Ctrl+F, Alt+label) and the
function keys (F1) stay window-wide, as before.

Qt's way in: before a key becomes a shortcut, Qt sends the focused widget a
``ShortcutOverride``; a widget that accepts it gets the key as typing instead. Here:

* a dialog is open (``QApplication.activeModalWidget``, or any visible dialog, modal or
  not): the key goes nowhere in the review window, and the status bar says to click the
  dialog;
* a popup is open (``QApplication.activePopupWidget``: a menu, a list): the key goes
  nowhere, unless it is for a text field (the link field's own list of choices);
* the focus is elsewhere in the window (a search field, the link field, a button): the
  focused widget gets the key as it would anywhere else (a field types it), no shortcut;
  a key that is a shortcut there says where it works;
* the focus is on the text or the list: the key acts, as the help (F1) says.

A window that stays open beside the review on purpose (Statistics) calls
:func:`stays_beside_review` so that it does not hold the keys up while it is open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

# Keys with any of these are commands, not typing: they keep their window-wide shortcuts.
COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                     | Qt.KeyboardModifier.MetaModifier)
_BESIDE = "assay_stays_beside_review"  # the property a companion window carries
DIALOG_OPEN = "A dialog is open: click it to type there."  # short: a 1024-pixel status bar


def stays_beside_review(window: QWidget) -> None:
    """Mark a non-modal window made to stay open beside the review (it does not stop the
    review keys while it is shown, as other dialogs do)."""
    window.setProperty(_BESIDE, True)


def is_single_key(event: QKeyEvent) -> bool:
    """A key the gate looks at: no Ctrl, Alt or Meta, and not a function key."""
    return not (event.modifiers() & COMMAND_MODIFIERS) and not (
        Qt.Key.Key_F1 <= event.key() <= Qt.Key.Key_F35)


def open_dialog(main: QWidget) -> QWidget | None:
    """The dialog the review keys wait for, if one is open: a modal one, or any visible
    dialog of the application but a window that stays beside the review."""
    modal = QApplication.activeModalWidget()
    if modal is not None and modal is not main:
        return modal
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QDialog) and w.isVisible() and not w.property(_BESIDE)),
                None)


def takes_text(widget: QWidget | None) -> bool:
    """A field the reviewer types into (the link field, a search, the note)."""
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return isinstance(widget, (QLineEdit, QAbstractSpinBox))


def popup_holds(receiver: QWidget | None) -> bool:
    """A popup (a menu, a list) is open and the key is not for a text field (whose list of
    choices the popup is): the key goes nowhere."""
    return QApplication.activePopupWidget() is not None and not takes_text(receiver)


class ReviewKeys(QObject):
    """The gate, installed on the application for one main window.

    ``surfaces`` are the widgets where single keys act (the article view, the article
    list); ``say`` shows a sentence in the window's status bar."""

    def __init__(self, main: QWidget, surfaces: list[QWidget],
                 say: Callable[[str], None]) -> None:
        super().__init__(main)
        self.main = main
        self.surfaces = surfaces
        self.say = say
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)  # removed by Qt when the window (our parent) goes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(
                event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self.main or not is_single_key(event):
            return False  # another window's key, or a command key: not ours to judge
        dialog = open_dialog(self.main) is not None
        if dialog or popup_holds(watched):
            # Nothing in the review window takes it: no shortcut, no typing, no Space.
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()
            elif dialog:
                self.say(DIALOG_OPEN)
            return True
        focus = QApplication.focusWidget()
        if kind == QEvent.Type.ShortcutOverride and focus not in self.surfaces:
            event.accept()  # the focused widget gets the key as typing, never a shortcut
            if not takes_text(focus) and (key := self._shortcut(event)):
                self.say(f"{key} works in the text or the list: click the text first.")
            return True
        return False

    def _shortcut(self, event: QKeyEvent) -> str:
        """The key as the help writes it, if it is one of the window's shortcuts."""
        pressed = QKeySequence(event.keyCombination())
        for action in self.main.actions():
            if action.isEnabled() and pressed in action.shortcuts():
                return pressed.toString(QKeySequence.SequenceFormat.NativeText)
        return ""
