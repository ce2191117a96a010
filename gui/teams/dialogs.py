"""File → Hand out… and File → Merge copies…: the window's side of ``core.teams``.

Handing out writes one copy per reviewer and records them in the project
(``core.teams.assign.hand_out``, as ``assay-cli assign``); merging reads copies
back as reviewers' versions (``core.teams.merge``) in a background thread, since a copy
of 10,000 articles takes seconds, then shows what came in from each copy and why any was
refused (``gui.teams.merge_summary``), as the store words it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
)

from core.errors import AssayError
from core.teams.assign import hand_out, reviewer_names
from core.teams.merge import MergeReport
from core.teams.merge import merge_copies as merge_copies_into
from core.text.normalise import one_line
from gui.common.file_dialogs import existing_folder, open_file_names
from gui.common.form_parts import ok_cancel, path_row
from gui.common.plain_text import warn
from gui.common.workers import ThreadJob
from gui.teams.merge_summary import MergeSummary

if TYPE_CHECKING:
    from gui.review_host import ReviewHost


class HandOutDialog(QDialog):
    """Reviewers, overlap, seed, decided articles too, and the folder for the copies."""

    def __init__(self, window: ReviewHost) -> None:
        super().__init__(window.window())
        self.host = window
        self.setWindowTitle("Hand out copies to reviewers")
        self.reviewers = QLineEdit()
        self.reviewers.setPlaceholderText("ana, ben, cy")
        self.overlap = QDoubleSpinBox()
        self.overlap.setRange(0.0, 1.0)
        self.overlap.setSingleStep(0.05)
        self.overlap.setValue(0.2)
        self.overlap.setToolTip("Share of the articles every reviewer gets, for agreement")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.include_decided = QCheckBox("Approved, rejected and skipped articles too")
        self.show_decisions = QCheckBox("Show the project's decisions (a second opinion, "
                                        "not an independent review)")
        self.show_decisions.setToolTip(
            "Without this, each copy carries only the pre-annotation's suggestions as they "
            "were made. With it, the copies carry the current decisions, and the agreement "
            "report names their versions as not independent.")
        project = window.project
        assert project is not None  # offered with a project open (MainWindow.show_hand_out)
        self.folder = QLineEdit(str(project.path.parent / f"{project.path.stem}-copies"))
        form = QFormLayout(self)
        form.addRow("Reviewers", self.reviewers)
        form.addRow("Overlap", self.overlap)
        form.addRow("Seed", self.seed)
        form.addRow("", self.include_decided)
        form.addRow("", self.show_decisions)
        form.addRow("Folder", path_row(self.folder, self._browse))
        form.addRow(ok_cancel(self, "Hand out", self.hand_out))
        self.paths: dict[str, Path] = {}
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        path = existing_folder(self, "Folder for the copies", self.folder.text())
        if path:
            self.folder.setText(path)

    def hand_out(self) -> None:
        names = reviewer_names(self.reviewers.text())
        project = self.host.project
        if project is None or self.host.refuse_if_read_only("hand out copies"):
            return
        try:
            self.paths = hand_out(project, names, self.folder.text(),
                                  overlap=self.overlap.value(), seed=self.seed.value(),
                                  include_decided=self.include_decided.isChecked(),
                                  show_decisions=self.show_decisions.isChecked(),
                                  who=self.host.reviewer)
        except AssayError as exc:
            warn(self, "Cannot hand out", str(exc))
            return
        self.host.statusBar().showMessage(
            f"Handed out {len(self.paths)} copies to {self.folder.text()}: "
            + ", ".join(p.name for p in self.paths.values()), 12000)
        self.accept()


def merge_copies(window, paths: list[str]) -> ThreadJob | None:
    """Merge ``paths`` into the window's project in the background; one job at a time.
    A refused copy stops none of the others; the summary then says, per copy, what came
    in or why it was refused (``MergeSummary``, ``window.merge_summary`` while open)."""
    jobs = window.jobs
    if window.project is None or jobs.job is not None or not paths:
        return None
    if window.refuse_if_read_only("merge copies"):
        return None
    who = window.reviewer

    def work(project, _progress, _cancel):
        return merge_copies_into(project, paths, who=who)

    def done(reports: list[MergeReport]) -> None:
        parts = [f"{one_line(r.reviewer, 40)}: {r.added} new, {r.replaced} updated, "
                 f"{r.unchanged} unchanged" + (" (a second opinion)" if r.shows_decisions
                                               else "") for r in reports if not r.refused]
        refused = sum(1 for r in reports if r.refused)
        window.statusBar().showMessage(
            ("Merged " + "; ".join(parts) + "." if parts else "Nothing was merged.")
            + (f" Refused: {refused} (see the summary)." if refused else ""), 12000)
        if window.session is not None and parts:
            window.session.versions_merged()  # new versions: adjudication's lanes follow
        window.merge_summary = MergeSummary(reports, window.window())
        window.merge_summary.open()

    job = ThreadJob(window.project.path, work, window)
    return jobs.run_job(job, "Merging copies…", done, "Cannot merge")


def merge_dialog(window) -> ThreadJob | None:
    paths = open_file_names(window, "Merge reviewers' copies", window.project.path.parent,
                            "Assay projects (*.assay)")
    return merge_copies(window, paths)
