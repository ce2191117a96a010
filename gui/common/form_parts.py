"""Pieces the small dialogs share: a path field with Browse…, and OK/Cancel with OK named
for what it does ("Export", "Hand out")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLineEdit, QPushButton


def path_row(field: QLineEdit, browse: Callable[[], None]) -> QHBoxLayout:
    """The field, stretched, and a Browse… button beside it."""
    button = QPushButton("Browse…")
    button.clicked.connect(browse)
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(button)
    return row


def ok_cancel(dialog: QDialog, ok_text: str, on_ok: Callable[[], None]) -> QDialogButtonBox:
    """OK (titled ``ok_text``, running ``on_ok``) and Cancel (closing ``dialog``)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons
