"""The Export dialog: format, which articles, which labels, where to.

It only gathers options for ``core.formats.export.export``; the main window runs
the export in a thread with a progress dialog and Cancel.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from core.formats.registry import EXPORTS, default_suffix
from core.models import ARTICLE_STATUSES
from core.store import ArticleFilter, Project
from gui.common.file_dialogs import save_file_name
from gui.common.form_parts import ok_cancel, path_row


class ExportDialog(QDialog):
    """Collects export options; ``options()`` returns keywords for ``export``."""

    def __init__(self, project: Project, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export verified data")
        self.project = project
        self.settings = settings
        self._key = f"export/{project.path.resolve()}"  # choices are remembered per project
        self.format = QComboBox()
        for shape in EXPORTS.values():  # one table of formats (core.formats.registry)
            self.format.addItem(f"{shape.title} ({shape.carries})", shape.name)
        self.status = QComboBox()
        self.status.addItem("Approved articles", "approved")
        for status in ARTICLE_STATUSES:
            if status != "approved":
                self.status.addItem(f"{status.capitalize()} articles", status)
        self.status.addItem("All articles", None)
        self.reviewer = QComboBox()
        self.reviewer.addItem("Any reviewer", None)
        for name in project.reviewers():
            self.reviewer.addItem(name, name)
        self.labels = QListWidget()
        for label in project.labels():
            item = QListWidgetItem(label.name)
            item.setCheckState(Qt.CheckState.Checked)
            self.labels.addItem(item)
        self.labels.setMaximumHeight(150)
        self.split = QDoubleSpinBox()
        self.split.setRange(0.0, 0.95)
        self.split.setSingleStep(0.05)
        self.split.setSpecialValueText("No split")
        self.split.setToolTip("Share of articles in the training file (spaCy only)")
        folder = self._remembered("folder", str(Path.home()))
        self._format_shown = ""
        self.destination = QLineEdit(str(Path(folder) / project.path.stem))
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Articles", self.status)
        form.addRow("Reviewer", self.reviewer)
        form.addRow("Labels", self.labels)
        form.addRow("Train share", self.split)
        form.addRow("Save as", path_row(self.destination, self._browse))
        form.addRow(ok_cancel(self, "Export", self.accept))
        self.format.currentIndexChanged.connect(self._format_changed)
        for combo, key in ((self.format, "format"), (self.status, "status")):
            index = combo.findData(self._remembered(key, combo.currentData()))
            if index >= 0:
                combo.setCurrentIndex(index)
        self._format_changed()
        self.accepted.connect(self._remember)
        self.resize(560, self.sizeHint().height())

    def _remembered(self, key: str, default):
        if self.settings is None:
            return default
        value = self.settings.value(f"{self._key}/{key}", default)
        return None if value in ("", "none") and key == "status" else value

    def _remember(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue(f"{self._key}/format", self.format.currentData())
        self.settings.setValue(f"{self._key}/status", self.status.currentData() or "none")
        self.settings.setValue(f"{self._key}/folder", str(Path(self.destination.text()).parent))

    def _format_changed(self) -> None:
        """Each format gets its own file name (``demo-prodigy.jsonl``, ``demo-doccano.jsonl``):
        three JSONL formats with one default name would overwrite each other. A name the
        reviewer typed keeps its stem and only takes the format's suffix."""
        fmt = self.format.currentData()
        self.split.setEnabled(fmt == "spacy")
        path = Path(self.destination.text())
        stem = self.project.path.stem
        if path.stem in (stem, f"{stem}-export", f"{stem}-{self._format_shown}"):
            path = path.with_name(f"{stem}-{fmt}")
        self._format_shown = fmt
        self.destination.setText(str(path.with_suffix(default_suffix(fmt))))

    def _browse(self) -> None:
        path = save_file_name(self, "Export to", self.destination.text())
        if path:
            self.destination.setText(path)
            self._format_changed()

    def options(self) -> dict:
        fmt = self.format.currentData()
        checked = [self.labels.item(i).text() for i in range(self.labels.count())
                   if self.labels.item(i).checkState() == Qt.CheckState.Checked]
        all_labels = self.labels.count() == len(checked)
        split = self.split.value() if fmt == "spacy" and self.split.value() > 0 else None
        return {
            "fmt": fmt,
            "dest": Path(self.destination.text()),
            "flt": ArticleFilter(status=self.status.currentData(),
                                 reviewer=self.reviewer.currentData()),
            "labels": None if all_labels else checked,
            "split": split,
        }
