"""Long work on the open project: import, pre-annotate, export, check, each off the GUI
thread with a progress dialog and Cancel, one at a time.

Kept out of ``gui.window.main_window`` so the window is its layout and its review keys; this
controller is given the window as a ``JobsHost`` (``gui.review_host``) and, when a job
ends, tells it what changed (the list, the counts, the open article).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from core.errors import AssayError
from core.formats.importers import SUPPORTED_SUFFIXES
from core.jobs import protocol
from gui.common.file_dialogs import existing_folder, open_file_names
from gui.common.plain_text import inform, message_box, warn
from gui.common.workers import AnnotateJob, ImportJob, ThreadJob, export_job, web_import_job
from gui.dialogs.export_dialog import ExportDialog
from gui.dialogs.feed_import_dialog import FeedImportDialog, FeedImportSummary
from gui.review_host import JobsHost


def import_filter() -> str:
    """The Import files dialog's filter: every suffix the importers read (one list, in
    ``core.formats.importers``), so a format added there is never hidden here."""
    return f"Articles ({' '.join('*' + s for s in SUPPORTED_SUFFIXES)});;All files (*)"

class ProjectJobs:
    """Starts the window's background jobs and shows what they did."""

    def __init__(self, window: JobsHost) -> None:
        self.window = window
        self.job = None  # the running job; one at a time

    @property
    def _parent(self) -> QWidget:
        """The window, as the parent of the dialogs and jobs started here."""
        return self.window.window()

    def import_files_dialog(self) -> None:
        if self.window.refuse_if_read_only("import articles"):
            return
        paths = open_file_names(
            self._parent, "Import articles", Path.home(),
            import_filter())
        if paths:
            self.start_import(paths)

    def import_folder_dialog(self) -> None:
        if self.window.refuse_if_read_only("import articles"):
            return
        path = existing_folder(self._parent, "Import a folder", Path.home())
        if path:
            self.start_import([path])

    def _progress_dialog(self, title: str, job) -> QProgressDialog:
        dialog = QProgressDialog(title, "Cancel", 0, 0, self._parent)
        dialog.setWindowTitle("Assay")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.cancel)
        def progressed(done: int, total: int) -> None:
            if total:  # total 0 is a step without counts: keep the busy bar and its label
                dialog.setLabelText(title)
                dialog.setMaximum(total)
                dialog.setValue(done)

        job.progress.connect(progressed)
        if hasattr(job, "stage"):
            job.stage.connect(lambda stage: dialog.setLabelText(f"{title} {stage}"))
        return dialog

    def run_job(self, job, title: str, on_done, fail_title: str):
        """Start a background job with a progress dialog; one job at a time."""
        dialog = self._progress_dialog(title, job)

        def ended() -> None:
            dialog.close()
            self.job = None

        def finished(result: object) -> None:
            ended()
            on_done(result)

        def failed(message: str) -> None:
            ended()
            self._job_failed(fail_title, message)

        job.finished.connect(finished)
        job.failed.connect(failed)
        self.job = job
        job.start()
        return job

    def start_import(self, paths: list[str]) -> ImportJob | None:
        """Import in a child process with a progress dialog and Cancel."""
        if self.window.project is None or self.job is not None:
            return None
        if self.window.refuse_if_read_only("import articles"):
            return None
        job = ImportJob(self.window.project.path, paths, self._parent)
        return self.run_job(job, "Importing articles…", self._import_done, "Import failed")

    def _import_done(self, report) -> None:
        self._articles_arrived()
        message = (f"Imported {report.added} article(s); {report.duplicates} duplicate(s) "
                   f"skipped; {len(report.problems)} problem(s).")
        if report.cancelled:
            message = "Import cancelled. " + message
        if report.problems:
            details = "\n".join(str(p) for p in report.problems[:30])
            more = len(report.problems) - 30
            if more > 0:
                details += f"\n… and {more} more"
            inform(self._parent, "Import finished", f"{message}\n\n{details}")
        else:
            self.window.statusBar().showMessage(message, 8000)
        self._open_first()

    def _articles_arrived(self) -> None:
        if self.window.session is not None:
            self.window.session.articles_written()  # the list and the counts follow

    def _open_first(self) -> None:
        """After an import into an empty window, the first pending article."""
        if self.window.article is None and self.window.session is not None:
            first = self.window.session.next_pending()
            if first is not None:
                self.window.show_article(first)

    # The web import's limits (core.web.fetch.FetchOptions); None: the defaults.
    fetch_options = None
    web_dialog: FeedImportDialog | None = None
    web_summary: FeedImportSummary | None = None

    def import_web_dialog(self) -> FeedImportDialog | None:
        """File → Import from feed or links…: the addresses; the import runs in a thread."""
        if self.window.project is None or self.window.refuse_if_read_only("import articles"):
            return None
        dialog = FeedImportDialog(self._parent)
        dialog.accepted.connect(lambda: self.start_web_import(dialog.sources()))
        dialog.open()
        self.web_dialog = dialog
        return dialog

    def start_web_import(self, sources: list) -> ThreadJob | None:
        """Fetch and import in a background thread with a progress dialog and Cancel."""
        if self.window.project is None or self.job is not None:
            return None
        if self.window.refuse_if_read_only("import articles"):
            return None
        job = web_import_job(self.window.project.path, sources, self.fetch_options,
                             self._parent)
        return self.run_job(job, "Fetching pages…", self._web_import_done, "Import failed")

    def _web_import_done(self, report) -> None:
        self._articles_arrived()
        summary = FeedImportSummary(report.lines(), self._parent)
        summary.open()
        self.web_summary = summary
        self._open_first()

    def pre_annotate(self, force: bool = False) -> AnnotateJob | None:
        """Pre-annotate in a child process (spaCy holds the GIL) with progress and Cancel.

        When every article is already done, say so and offer to re-annotate the pending
        ones instead of running for nothing ("0 articles")."""
        project = self.window.project
        if project is None or self.job is not None:
            return None
        if self.window.refuse_if_read_only("pre-annotate"):
            return None
        if not force and not project.articles_to_annotate():
            return self.reannotate()
        job = AnnotateJob(project.path, force=force, parent=self._parent)
        job.warning.connect(lambda msg: self.window.statusBar().showMessage(msg, 10000))
        return self.run_job(job, "Pre-annotating articles…", self._annotate_done,
                             "Pre-annotation failed")

    def reannotate(self) -> AnnotateJob | None:
        """File → Re-annotate pending articles: new suggestions for articles nobody decided.
        Reviewers' decisions stay: approved and rejected articles are not touched, and in
        the others accepted, rejected and added entities are kept (``store_annotations``)."""
        project = self.window.project
        if project is None or self.job is not None:
            return None
        pending = len(project.articles_to_annotate(force=True))
        if not pending:
            self.window.statusBar().showMessage(
                "No pending or skipped articles to pre-annotate.", 6000)
            return None
        box = message_box(
            QMessageBox.Icon.Question, "Re-annotate pending articles?",
            f"Every article has been pre-annotated. Run the model again on the {pending:,} "
            "pending or skipped article(s)?", self._parent,
            "Their undecided suggestions are replaced. What reviewers decided is kept: "
            "approved and rejected articles are not touched, and accepted, rejected and "
            "added entities stay as they are.")
        go = box.addButton("Re-annotate", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        self.prompt = box
        box.exec()
        self.prompt = None
        if box.clickedButton() is not go:
            return None
        return self.pre_annotate(force=True)

    prompt: QMessageBox | None = None

    def export_dialog(self) -> ExportDialog | None:
        """Choose format, filters and destination; the export itself runs in a thread."""
        if self.window.project is None:
            return None
        dialog = ExportDialog(self.window.project, self._parent, self.window.settings)
        dialog.accepted.connect(lambda: self.start_export(dialog.options()))
        dialog.open()
        self._export_dialog = dialog
        return dialog

    def start_export(self, options: dict) -> ThreadJob | None:
        if self.window.project is None or self.job is not None:
            return None
        project = self.window.project
        job = export_job(project.path, options, self._parent, read_only=project.read_only)
        return self.run_job(job, "Exporting…", self._export_done, "Export refused")

    def _export_done(self, report) -> None:
        if report.cancelled:
            self.window.statusBar().showMessage("Export cancelled; no file was written.", 8000)
            return
        names = ", ".join(str(p) for p in report.files)
        self.window.statusBar().showMessage(
            f"Exported {report.summary()} to {names}.", 10000)

    def _annotate_done(self, result: protocol.AnnotateDone) -> None:
        session = self.window.session
        if session is not None:
            try:
                session.articles_written(reopen=True)  # new suggestions in the open article
            except AssayError as exc:  # a damaged page: say so and stay where we are
                self.window.statusBar().showMessage(str(exc), 12000)
        if result.cancelled:
            message = (f"Cancelled: {result.articles} article(s) were pre-annotated and kept "
                       f"({result.suggestions} suggestion(s)); run it again to do the rest.")
        else:
            message = (f"Pre-annotated {result.articles} article(s): "
                       f"{result.suggestions} suggestion(s), {result.relations} "
                       "relation suggestion(s).")
        failed = result.failed
        if failed:
            shown = ", ".join(str(i) for i in failed[:10]) + (" …" if len(failed) > 10 else "")
            message += (f" {len(failed)} article(s) could not be pre-annotated and were "
                        f"skipped (id {shown}); review them by hand.")
        self.window.statusBar().showMessage(message, 15000 if failed else 8000)

    def check_project(self) -> ThreadJob | None:
        """File → Check project file: SQLite's full integrity check, in the background."""
        if self.window.project is None or self.job is not None:
            return None
        job = ThreadJob(self.window.project.path,
                        lambda project, _progress, _cancel: project.integrity_problems(),
                        self._parent, read_only=True)
        return self.run_job(job, "Checking the project file…", self._check_done,
                             "Cannot check the project file")

    def _check_done(self, problems: list[str]) -> None:
        name = self.window.project.path if self.window.project is not None else "The project file"
        if not problems:
            self.window.statusBar().showMessage(
                f"{name}: no damage found (SQLite's integrity check passed).", 10000)
            return
        warn(
            self._parent, "The project file is damaged",
            f"SQLite's integrity check found problems in {name}:\n\n"
            + "\n".join(problems[:20])
            + "\n\nAssay cannot repair it: restore it from a backup. Articles that still "
            "open can be exported.")

    def _job_failed(self, title: str, message: str) -> None:
        if self.window.session is not None:
            self.window.session.articles_written()  # a part may have been written
        warn(
            self._parent, title, message)

