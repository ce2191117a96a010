"""The Claims panel: the open article's claims, a verdict filter, and the fact-check fields.

The table lists claims in text order with their verdict; below it, the
selected claim's verdict buttons, evidence URL and note, and under a splitter what
other articles say about it (``gui.claims.across_panel``). The panel owns no
data and makes no edits: it emits what the reviewer asked for and the
window runs it as an undoable edit (``core.review.edits``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.models import CLAIM_VERDICTS, Claim
from core.review.claims import deletes, open_counts
from gui.claims.across_panel import ClaimsAcrossPanel
from gui.claims.paint import VERDICT_NAMES, claim_color
from gui.common.plain_text import plain_tip

Index = QModelIndex | QPersistentModelIndex
# Filter choices: (shown name, state or None, verdict or None).
FILTERS = [("All claims", None, None), ("Suggested", "suggested", None)] + [
    (VERDICT_NAMES[v], "accepted", v) for v in CLAIM_VERDICTS]
# Verdict buttons with their shortcuts (the window's actions hold the same keys).
FEWEST_ROWS, MOST_ROWS = 1, 8  # the claims table's height, in rows (more scroll)
VERDICT_KEYS = {"supported": "Ctrl+1", "refuted": "Ctrl+2", "unverifiable": "Ctrl+3",
                "unchecked": "Ctrl+0"}


def claim_status(claim: Claim) -> str:
    """What the Verdict column says: the verdict, or "Suggested" for an undecided one."""
    return "Suggested" if claim.state == "suggested" else VERDICT_NAMES[claim.verdict]


class ClaimModel(QAbstractTableModel):
    """Claims of one article as rows (verdict, passage), filtered by state and verdict."""

    COLUMNS = ("Verdict", "Passage")

    def __init__(self) -> None:
        super().__init__()
        self.all: list[Claim] = []
        self.claims: list[Claim] = []
        self.text = ""
        self.filter: tuple[str | None, str | None] = (None, None)
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_claims(self, claims: Sequence[Claim], text: str) -> None:
        self.beginResetModel()
        self.all, self.text = list(claims), text
        state, verdict = self.filter
        self.claims = [c for c in self.all if (state is None or c.state == state)
                       and (verdict is None or c.verdict == verdict)]
        self.endResetModel()

    def set_filter(self, state: str | None, verdict: str | None) -> None:
        self.filter = (state, verdict)
        self.set_claims(self.all, self.text)

    def passage(self, claim: Claim) -> str:
        return self.text[claim.start:claim.end]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.claims)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        claim = self.claims[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return claim_status(claim) if col == 0 else " ".join(self.passage(claim).split())
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.passage(claim)
            return plain_tip(f"{tip}\n\nSuggested because: {claim.reason}" if claim.reason
                             else tip)
        if col == 0 and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(claim_color(claim))
        if col == 0 and role == Qt.ItemDataRole.FontRole:
            font = QFont(self._italic) if claim.state == "suggested" else QFont()
            font.setBold(claim.state != "suggested")
            return font
        return None


class ClaimsPanel(QWidget):
    """Table + filter + verdict buttons + evidence and note fields."""

    claim_clicked = Signal(int)
    selection_changed = Signal(object)  # the selected claim's id, or None
    verdict_chosen = Signal(str)
    dismiss_requested = Signal()
    evidence_edited = Signal(int, str)  # claim id, new URL
    note_edited = Signal(int, str)  # claim id, new note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClaimModel()
        self.filter_combo = QComboBox()
        for name, _state, _verdict in FILTERS:
            self.filter_combo.addItem(name)
        self.filter_combo.setToolTip("Show claims with this verdict")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setMinimumHeight(48)  # its header and a row
        self._fit_table()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        bold = QFont(self.font())
        bold.setBold(True)  # the verdict column is drawn bold
        self.table.setColumnWidth(0, QFontMetrics(bold).horizontalAdvance("Unverifiable") + 18)
        self.table.clicked.connect(self._clicked)

        # A verdict box, not four buttons: the side column must stay narrow and short.
        self.verdict_box = QComboBox()
        for verdict in ("unchecked", "supported", "refuted", "unverifiable"):
            self.verdict_box.addItem(f"{VERDICT_NAMES[verdict]}   ({VERDICT_KEYS[verdict]})",
                                     verdict)
            color = claim_color(Claim(0, 0, 0, 1, verdict, "", ""))
            self.verdict_box.setItemData(self.verdict_box.count() - 1, QBrush(color),
                                         Qt.ItemDataRole.ForegroundRole)
        self.verdict_box.setPlaceholderText("Suggested")
        self.verdict_box.setToolTip("The claim's verdict (Ctrl+1 supported, Ctrl+2 refuted, "
                                    "Ctrl+3 unverifiable, Ctrl+0 unchecked)")
        for box in (self.verdict_box, self.filter_combo):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(10)
        self.verdict_box.activated.connect(
            lambda i: self.verdict_chosen.emit(self.verdict_box.itemData(i)))
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setToolTip("Dismiss a suggested claim, or delete your claim (Ctrl+Del)")
        self.dismiss.clicked.connect(self.dismiss_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.verdict_box, 1)
        buttons.addWidget(self.dismiss)

        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText("https://… source that supports or refutes it")
        self.evidence.setClearButtonEnabled(True)
        self.evidence.editingFinished.connect(self._flush)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What you checked")
        self.note.editingFinished.connect(self._flush)
        self.reason = QLabel()
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: palette(placeholder-text);")
        self.reason.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 4)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The relations the selected claim's sentence states (``core.review.claims``).
        self.stated = QLabel()
        self.stated.setTextFormat(Qt.TextFormat.PlainText)  # entity text is untrusted
        self.stated.setWordWrap(True)
        self.stated.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.stated.hide()
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Evidence", self.evidence)
        form.addRow("Note", self.note)

        claims = QWidget()
        layout = QVBoxLayout(claims)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.filter_combo)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.reason)
        layout.addWidget(self.stated)
        self.across = ClaimsAcrossPanel()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(claims)
        self.splitter.addWidget(self.across)
        self.splitter.setChildrenCollapsible(False)
        # It may shrink to a line on a short screen: the window's minimum height is
        # the side panel's, and a short laptop window must still fit (1024×640).
        self.across.setMinimumHeight(self.across.fontMetrics().height())
        # The claims table is as tall as its rows (a few at least, a dozen at most: then it
        # scrolls); what other articles say gets the rest, and every pixel a resize adds.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        for signal in (self.model.modelReset, self.model.rowsInserted,
                       self.model.rowsRemoved, self.model.layoutChanged):
            signal.connect(self._fit_table)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        self.selected_id: int | None = None
        self._show_details(None)

    def _fit_table(self, *_args: object) -> None:
        """No taller than its rows need: empty rows would take the room from the list of
        what other articles say."""
        rows = min(max(self.model.rowCount(), FEWEST_ROWS), MOST_ROWS)
        frame = 2 * self.table.frameWidth()
        self.table.setMaximumHeight(self.table.horizontalHeader().sizeHint().height() + frame
                                    + rows * self.table.verticalHeader().defaultSectionSize())

    # ------------------------------------------------------------------ content

    def set_claims(self, claims: Sequence[Claim], text: str,
                   selected_id: int | None = None) -> None:
        self.model.set_claims(claims, text)
        self.select_id(selected_id)

    def select_id(self, claim_id: int | None) -> None:
        """Select a claim's row (if the filter shows it) and fill in its fields.

        Evidence or a note typed for the previous claim is saved to that claim first:
        the table takes no focus, so the field would otherwise keep the old text and
        Enter would save it on the newly selected claim.
        """
        claim = next((c for c in self.model.all if c.id == claim_id), None)
        previous = self.selected_id
        changed = (claim.id if claim else None) != previous
        if changed:
            self._flush()
        self.selected_id = claim.id if claim else None
        rows = [c.id for c in self.model.claims]
        if claim is not None and claim.id in rows:
            row = rows.index(claim.id)
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.table.clearSelection()
        self._show_details(claim, force=changed)
        if changed:
            self.selection_changed.emit(self.selected_id)

    def _flush(self) -> None:
        """Emit edits of the evidence and note fields that differ from the stored claim."""
        claim = self.selected_claim()
        if claim is None:
            return
        url, note = self.evidence.text().strip(), self.note.text()
        if url != claim.evidence_url:
            self.evidence_edited.emit(claim.id, url)
        if note != claim.note:
            self.note_edited.emit(claim.id, note)

    def selected_claim(self) -> Claim | None:
        return next((c for c in self.model.all if c.id == self.selected_id), None)

    def _show_details(self, claim: Claim | None, force: bool = False) -> None:
        for widget in (self.verdict_box, self.dismiss, self.evidence, self.note):
            widget.setEnabled(claim is not None)
        if claim is not None:
            # A suggestion has no verdict yet: the box shows its placeholder.
            self.verdict_box.setCurrentIndex(
                -1 if claim.state == "suggested" else self.verdict_box.findData(claim.verdict))
        for field, value in ((self.evidence, claim.evidence_url if claim else ""),
                             (self.note, claim.note if claim else "")):
            if force or not field.hasFocus():
                field.setText(value)
                field.setCursorPosition(0)  # show the start of a long URL, not its end
        if claim is None:
            self.reason.setText(
                "Select a passage and press C to mark it as a claim (whole sentences); "
                "Shift+C keeps the exact selection.")
        elif claim.state == "suggested":
            self.reason.setText(f"Suggested because it states a figure — {claim.reason}. "
                                "Give it a verdict to accept it, or dismiss it.")
        else:
            self.reason.setText("")
        self.reason.setVisible(bool(self.reason.text()))  # its row goes to the list below
        if claim is not None:
            self.dismiss.setText("Delete" if deletes(claim) else "Dismiss")

    def set_stated(self, lines: Sequence[str]) -> None:
        """Show the relations the selected claim states, one a line (none: hidden)."""
        self.stated.setText("States: " + "\n".join(lines) if lines else "")
        self.stated.setVisible(bool(lines))

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.claim_clicked.emit(self.model.claims[index.row()].id)

    def _filter_changed(self, row: int) -> None:
        _name, state, verdict = FILTERS[row]
        self.model.set_filter(state, verdict)
        self.select_id(self.selected_id)

    def count_text(self) -> str:
        """For the heading: how many claims, and how many still need a decision."""
        claims = self.model.all
        open_ = sum(open_counts(claims))
        return f"{len(claims)} · {open_} open" if claims else "none"

