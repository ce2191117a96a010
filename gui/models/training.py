"""Review → Train model…, Models… and Most uncertain first: the suggestions learn from
the team's approvals.

Training runs ``assay-cli train`` in a child process (``gui.common.workers.TrainJob``; spaCy holds
the GIL), with the epoch, loss and dev P/R/F in the progress dialog and Cancel, exactly
as pre-annotation does. When it ends, the Models dialog opens on the new model with its
scores beside the current pre-annotator's, and the reviewer chooses which pre-annotates.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from core.errors import AssayError
from core.jobs import protocol
from core.jobs.train import choose_annotator, current_annotator
from core.nlp.model_choice import training_refusal
from core.nlp.training import saved_model
from core.review.session import ReviewSession
from core.store import ArticleFilter
from core.text.normalise import one_line
from gui.common.workers import TrainJob
from gui.review_host import ReviewHost

if TYPE_CHECKING:  # imported when shown: matplotlib only when asked for
    from gui.models.dialog import ModelsDialog


class TrainOptions(QDialog):
    """How many articles there are to learn from, and the split, seed and epochs."""

    def __init__(self, parent, approved: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train a model")
        about = QLabel(
            f"Train spaCy's entity recogniser on the accepted entities of the {approved:,} "
            "approved article(s), starting from the stock model. A share of "
            "the articles is kept aside to score the new model and the current "
            "pre-annotator on the same text. Nothing in the project changes.")
        about.setWordWrap(True)
        self.dev = QDoubleSpinBox()
        self.dev.setRange(0.05, 0.5)
        self.dev.setSingleStep(0.05)
        self.dev.setValue(0.2)
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100)
        self.epochs.setValue(15)
        form = QFormLayout()
        form.addRow("Share kept for scoring:", self.dev)
        form.addRow("Seed:", self.seed)
        form.addRow("Epochs:", self.epochs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Train")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(buttons)
        # A wrapped label has no height until it has a width: give it one, then let the
        # layout size the dialog (a height of 0 clipped the text and the spin boxes).
        about.setMinimumWidth(440)
        self.adjustSize()


class ModelTraining:
    """The window's training actions and the Models dialog."""

    def __init__(self, window: ReviewHost) -> None:
        self.window = window
        self.options: TrainOptions | None = None
        self.dialog: ModelsDialog | None = None
        a = window.action
        self.act_train = a("&Train model…", None, self.train)
        self.act_models = a("&Models…", None, lambda: self.show_models())
        self.act_uncertain = a("Most &uncertain first", None, self.set_uncertain_first,
                               checkable=True)
        self.act_uncertain.setToolTip(
            "Open the pending articles the pre-annotation was least sure about first "
            "(measured when a trained model pre-annotates)")
        self.actions = [self.act_train, self.act_models, self.act_uncertain]

    def train(self) -> TrainOptions | None:
        project = self.window.project
        if project is None or self.window.jobs.job is not None:
            return None
        approved = project.count_articles(ArticleFilter(status="approved"))
        refusal = training_refusal(approved)
        if refusal is not None:
            self.window.statusBar().showMessage(refusal, 8000)
            return None
        self.options = TrainOptions(self.window, approved)
        self.options.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.options.accepted.connect(self._start)
        self.options.open()
        return self.options

    def _start(self) -> TrainJob | None:
        project, options = self.window.project, self.options
        if project is None or options is None or self.window.jobs.job is not None:
            return None
        job = TrainJob(project.path, dev=round(options.dev.value(), 2),
                       seed=options.seed.value(), epochs=options.epochs.value(),
                       parent=self.window.window())
        return self.window.jobs.run_job(job, "Training a model…", self._trained,
                                        "Training failed")

    def _trained(self, result: protocol.TrainDone) -> None:
        if result.cancelled or not result.model_id:
            self.window.statusBar().showMessage("Training cancelled; no model was saved.",
                                                8000)
            return
        project = self.window.project
        saved = saved_model(project.path, result.model_id) if project is not None else None
        note = saved.meta.get("topics_note") if saved is not None else None
        self.window.statusBar().showMessage(
            f"Trained model {result.model_id}: dev F1 {result.f or 0:.2f} "
            f"(current pre-annotator {result.baseline_f or 0:.2f})."
            + (f" {one_line(note, 300)}" if isinstance(note, str) and note else ""), 10000)
        self.show_models(select=result.model_id)

    def show_models(self, select: str | None = None):
        project = self.window.project
        if project is None:
            return None
        from gui.models.dialog import ModelsDialog  # matplotlib: only when asked for

        current = current_annotator(project)
        if self.dialog is not None:
            with contextlib.suppress(RuntimeError):  # already closed, so already deleted
                self.dialog.close()  # one at a time; closing deletes it
        self.dialog = ModelsDialog(self.window.window(), str(project.path), current, select)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.chosen.connect(self.choose)
        self.dialog.open()
        return self.dialog

    def choose(self, model_id: str) -> None:
        """Make ``model_id`` (or "default") the project's pre-annotator, then offer to
        re-annotate the pending articles with it."""
        project = self.window.project
        if project is None or self.window.refuse_if_read_only("choose the pre-annotator"):
            return
        try:
            choose_annotator(project, model_id)
        except AssayError:  # its folder went away while the dialog was open
            self.window.statusBar().showMessage(
                f"The model {model_id} is no longer beside the project; nothing changed.",
                10000)
            return
        self.window.statusBar().showMessage(
            f"Pre-annotation now uses {model_id}. Re-annotating the pending articles keeps "
            "every reviewer's decision.", 10000)
        self.window.jobs.reannotate()

    def attach(self, _session: ReviewSession) -> None:
        """Another project (a new session) opens in file order: its articles have their
        own measures."""
        if self.act_uncertain.isChecked():
            self.act_uncertain.setChecked(False)
            self.set_uncertain_first(False)

    def set_uncertain_first(self, on: bool) -> None:
        session = getattr(self.window, "session", None)
        if session is not None:
            session.uncertain_first = on
        list_panel = getattr(self.window, "list_panel", None)
        if list_panel is not None:
            list_panel.order_by("uncertainty" if on else "id", descending=on)
        project = self.window.project
        if on and project is not None and not project.measured_pending():
            self.window.statusBar().showMessage(
                "No pending article has an uncertainty yet: it is measured when a trained "
                "model pre-annotates (Review → Models…).", 10000)
