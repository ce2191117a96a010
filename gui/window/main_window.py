"""The review window: article list, article view, labels and entities, menus and shortcuts.

It wires widgets to core calls and holds no business logic: every edit is an
undoable command whose redo and undo call ``core.store``; every change is
saved the moment it is made, so there is no Save button.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
)

from core import __version__
from core.errors import AssayError, ProjectError
from core.models import Article
from core.nlp.models import INSTALL_HINT, installed_model
from core.nlp.store_rules import store_rules
from core.review.edits import AddSpan, AddSpans, Edit, SetNote, SetStatus, UpdateSpan
from core.review.history import History
from core.review.session import ReadOnly, ReviewSession
from core.store import Project
from core.text.tokens import blank_nlp
from gui.articles.article_list import ArticleListPanel
from gui.articles.column_widths import ColumnWidths
from gui.claims.review import ClaimsReview
from gui.common.plain_text import warn
from gui.common.side_panel import SidePanel
from gui.common.workers import ThreadJob
from gui.dialogs.labels_dialog import LabelsDialog
from gui.linking.controller import Linking
from gui.models.training import ModelTraining
from gui.review.article_column import ArticleColumn
from gui.review.entity_review import EntityReview
from gui.review.focus import ReturnFocus
from gui.review.key_guard import ReviewKeys
from gui.review.relation_review import RelationReview
from gui.review.topic_review import TopicReview
from gui.review_host import SessionPart
from gui.teams.adjudication import Adjudication
from gui.window.actions import build_actions, build_menus
from gui.window.project_files import ProjectFiles
from gui.window.project_jobs import ProjectJobs
from gui.window.project_lock import LockResult, ProjectLock, lock_project
from gui.window.shortcuts import ShortcutsDialog, help_rows
from gui.window.status_parts import StatusParts, decision_said

if TYPE_CHECKING:
    from gui.statistics.chain_window import ChainMapWindow
    from gui.statistics.window import StatisticsWindow

TIME_KEPT_EVERY_MS = 30_000


class MainWindow(QMainWindow):
    """One window on one open project."""

    # Made from gui.window.actions' table (build_actions): those the window uses itself.
    act_undo: QAction
    act_redo: QAction
    act_popup: QAction
    act_show_rejected: QAction
    # Review → Statistics… (gui.statistics.window), made when first shown.
    statistics_window: StatisticsWindow | None = None
    chain_window: ChainMapWindow | None = None  # Review → Supply-chain map…, the same way

    def __init__(self, settings: QSettings, reviewer: str) -> None:
        super().__init__()
        self.settings = settings
        self.reviewer = reviewer
        # The open project as the reviewer works on it (core.review.session, Qt-free): its
        # article, spans, claims, history and read-only reason. Widgets subscribe to its
        # signals; every change goes through it (see push).
        self.session: ReviewSession | None = None
        # The project's lock (gui.window.project_lock); without it the project is open read-only
        # and the session's read_only_reason says why ("another Assay window … has it open").
        self.lock: ProjectLock | None = None
        self.setWindowTitle("Assay")
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._connect()
        # Time spent on an undecided article is kept as it accrues (edits and leaving the
        # article keep it too), so a killed app loses at most this long of it; and a scheme
        # another process changed reaches the label keys of a window left idle.
        self.time_keeper = QTimer(self)
        self.time_keeper.setInterval(TIME_KEPT_EVERY_MS)
        self.time_keeper.timeout.connect(self._tick)
        self.time_keeper.start()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 880)
        self.columns.restore(settings.value("window/splitter"))
        self.view.set_zoom(float(str(settings.value("view/zoom", 0.0))))  # a str or a float
        self._check_model()
        # Articles without stored tokens are tokenised on first open with Assay's one tokenizer
        # (core.text.tokens); loading spaCy's tokenizer takes about a second, so start it now.
        threading.Thread(target=blank_nlp, name="load-tokenizer", daemon=True).start()

    @property
    def project(self) -> Project | None:
        return self.session.project if self.session is not None else None

    @property
    def article(self) -> Article | None:
        return self.session.article if self.session is not None else None

    @property
    def history(self) -> History | None:
        return self.session.history if self.session is not None else None

    @property
    def read_only_reason(self) -> str | None:
        return self.session.read_only_reason if self.session is not None else None

    # ------------------------------------------------------------------ building

    def _build_widgets(self) -> None:
        self.list_panel = ArticleListPanel()
        center = ArticleColumn()
        self.article_column = center
        self.view, self.header, self.note = center.view, center.header, center.note
        self.banner, self.lock_banner = center.banner, center.lock_banner
        self.title = self.header.title

        right = SidePanel()
        self.side_panel = right
        self.label_bar, self.entities = right.label_bar, right.entities
        self.show_rejected, self.link_editor = right.show_rejected, right.link_editor
        self.claims_panel, self.side_tabs = right.claims_panel, right.tabs

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list_panel)
        self.splitter.addWidget(center)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([340, 740, 360])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.columns = ColumnWidths(self.splitter, center.readable_width)

        # The status bar's parts follow the session themselves; the claims controller
        # (made later, with the actions) says how the open claims read.
        self.status_parts = StatusParts(self.statusBar(), self.reviewer,
                                        lambda: self.claims_review.open_text())

    def action(self, text: str, keys: str | list[str] | QKeySequence.StandardKey | None,
               slot, *, checkable: bool = False,
               help: tuple[str, str] | None = None) -> QAction:  # noqa: A002
        """One window action: title, keys, handler and (``help``: group, what it does) its
        row in the F1 help, declared together so the help cannot drift from the keys."""
        action = QAction(text, self)
        if help is not None:
            self.helped.append((action, *help))
        if isinstance(keys, list):
            action.setShortcuts([QKeySequence(k) for k in keys])
        elif isinstance(keys, QKeySequence.StandardKey):
            action.setShortcut(keys)
        elif keys:
            action.setShortcut(QKeySequence(keys))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)  # window-wide, also when menus are hidden
        return action

    def _build_actions(self) -> None:
        """The window's actions come from one table (gui.window.actions); the feature
        controllers declare theirs through ``action`` too."""
        self.helped: list[tuple[QAction, str, str]] = []
        self.jobs = ProjectJobs(self)
        self.files = ProjectFiles(self)
        build_actions(self)
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.act_popup.setChecked(self.settings.value("view/popup", "true") == "true")
        self.view.label_popup_on_select = self.act_popup.isChecked()
        self.entity_review = EntityReview(self, self)
        self.relation_review = RelationReview(self, self.side_panel.relations,
                                              self.side_panel.relation_table)
        self.claims_review = ClaimsReview(self)
        self.entity_review.mark_claim = lambda exact: self.claims_review.mark(exact=exact)
        self.linking = Linking(self)
        self.adjudication = Adjudication(self)
        self.model_training = ModelTraining(self)
        self.topic_review = TopicReview(self, self.header.topics)

    def _build_menus(self) -> None:
        build_menus(self)
        self.files.fill_recent()

    def _connect(self) -> None:
        self.list_panel.article_activated.connect(self.show_article)
        self.list_panel.search_changed.connect(self.article_column.mark_search)
        self.view.span_selected.connect(self.entities.select_id)
        self.view.article_step_requested.connect(self.list_panel.move)
        self.entities.span_clicked.connect(lambda sid: self.view.select_span(sid))
        self.view.spans_shown.connect(self.entities.set_spans)  # the entities the text shows
        self.view.nothing_to_do.connect(lambda why: self.statusBar().showMessage(why, 4000))
        panel = self.claims_panel
        self._return_focus = ReturnFocus(self.view, [
            self.note, panel.evidence, panel.note, self.link_editor.field])
        # Single keys act only in the text or the list, never under a dialog (key_guard).
        self.review_keys = ReviewKeys(self, [self.view, self.list_panel.table],
                                      lambda why: self.statusBar().showMessage(why, 6000))
        self.label_bar.label_chosen.connect(self.entity_review.apply_label)
        self.show_rejected.toggled.connect(self.act_show_rejected.setChecked)
        self.show_rejected.toggled.connect(lambda _: self._toggle_rejected())
        self.note.returnPressed.connect(self.save_note)
        self.note.editingFinished.connect(self.save_note)

    # ------------------------------------------------------------------ project

    def open_project(self, path: str | Path) -> bool:
        """Open a project file; on failure say why and keep the current one.

        The window takes the project's lock first (``gui.window.project_lock``). If another
        Assay window holds it, or the file cannot be written, the project opens
        read-only: a banner says why, every change is refused, export still works.
        """
        if self.lock is not None and self.lock.project_path == Path(path).resolve():
            taken = LockResult(self.lock)  # reopening our own project keeps our lock
        else:
            taken = lock_project(path)
        try:
            project = Project.open(path, read_only=taken.lock is None, rules=store_rules())
        except AssayError as exc:
            if taken.lock is not None and taken.lock is not self.lock:
                taken.lock.release()
            warn(self, "Cannot open project", str(exc))
            return False
        self.save_note()
        if self.session is not None:
            self.session.close()  # keeps the time spent on the open article
        if self.lock is not None and self.lock is not taken.lock:
            self.lock.release()
        self.lock = taken.lock
        self._start_session(ReviewSession(project, self.reviewer,
                                          None if taken.lock else taken.reason))
        self._show_read_only(taken.hint)
        self.setWindowTitle(f"{project.name} — Assay" + (" (read-only)" if project.read_only
                                                          else ""))
        self.files.remember(str(Path(path).resolve()))
        self.settings.setValue("project/last", str(Path(path).resolve()))
        last = self.settings.value(f"project/{project.path.resolve()}/article")
        first = int(last) if last else project.next_article_id(0, status="pending")
        if first is None:
            first = project.next_article_id(0, status=None)
        self.show_article(first)
        return True

    def _tick(self) -> None:
        """Every TIME_KEPT_EVERY_MS: keep the time spent, look at the scheme."""
        if self.session is not None:
            self.session.save_time()
            self.session.check_scheme()

    def _start_session(self, session: ReviewSession) -> None:
        """Hand a new session to every widget and controller; each subscribes itself to the
        events it shows (``core.review.session``). The old session's listeners go with it.
        The widgets that show the article come first: the controllers read what they show."""
        self.session = session
        parts: list[SessionPart] = [
            self.article_column, self.side_panel, self.list_panel, self.entity_review,
            self.relation_review, self.claims_review, self.linking, self.adjudication,
            self.model_training, self.topic_review, self.status_parts]
        parts += [w for w in (self.statistics_window, self.chain_window) if w is not None]
        for part in parts:
            part.attach(session)
        # The window's own parts: the remembered article and the Undo and Redo actions.
        session.article_opened.connect(self._article_opened)
        session.history_moved.connect(self._update_undo_actions)
        self._update_undo_actions()

    def show_hand_out(self) -> None:
        """File → Hand out to reviewers…"""
        if self.project is None:
            return
        from gui.teams.dialogs import HandOutDialog

        self.hand_out_dialog = HandOutDialog(self)
        self.hand_out_dialog.open()

    def merge_copies(self) -> None:
        """File → Merge reviewers' copies…"""
        if self.project is not None and not self.refuse_if_read_only("merge copies"):
            from gui.teams.dialogs import merge_dialog

            merge_dialog(self)

    def show_agreement(self) -> None:
        """Review → Agreement…: computed in the background (ten reviewers over 2,000
        articles take seconds), then shown."""
        if self.project is None or self.jobs.job is not None:
            return
        from core.teams.agreement import agreement
        from gui.teams.agreement_view import AgreementDialog  # matplotlib: only when asked for

        def shown(report: dict) -> None:
            self.agreement_dialog = AgreementDialog(self, report)
            self.agreement_dialog.open()

        job = ThreadJob(self.project.path, lambda project, _p, _c: agreement(project), self,
                        read_only=True)
        self.jobs.run_job(job, "Measuring agreement…", shown, "Cannot measure agreement")

    def show_statistics(self) -> None:
        """Review → Statistics…: a window of its own, read in the background."""
        if self.project is not None:
            from gui.statistics.window import show_statistics  # matplotlib: only when asked

            show_statistics(self)

    def show_labels(self) -> None:
        """Review → Labels…: the scheme editor (window-modal, the event loop keeps running)."""
        if self.project is None:
            return
        self.labels_dialog = LabelsDialog(self)
        self.labels_dialog.open()

    def show_article(self, article_id: int | None) -> None:
        """Open an article (None: none); the open one stays as it is."""
        session = self.session
        if session is None:
            return
        if article_id is not None and self.article is not None and (
                self.article.id == article_id):
            return
        self.save_note()
        try:
            session.open_article(article_id)
        except AssayError as exc:  # also a damaged page: say so and stay where we are
            self.statusBar().showMessage(str(exc), 12000)

    def _article_opened(self, article: Article | None) -> None:
        """Another article is open: remember it for the next time the project opens."""
        if article is None or self.session is None:
            return
        self.settings.setValue(f"project/{self.session.project.path.resolve()}/article",
                               article.id)

    # ------------------------------------------------------------------ edits

    def _show_read_only(self, hint: str = "") -> None:
        reason = self.read_only_reason
        self._update_undo_actions()  # read-only, Ctrl+Z says why instead of doing nothing
        if reason is None:
            self.lock_banner.hide()
            return
        self.lock_banner.setText(f"Read-only: {reason}. You can read and export, but every "
                                 f"change is refused. {hint}".strip())
        self.lock_banner.show()
        self.statusBar().showMessage(f"Opened read-only: {reason}.", 10000)

    def refuse_if_read_only(self, what: str) -> bool:
        """In a read-only window every change stops here, before anything is tried."""
        refused = self.session.refusal(what) if self.session is not None else None
        if refused:
            self.command_failed(refused)
        return refused is not None

    def push(self, edit: Edit) -> bool:
        """Run an edit through the session; a refused edit changes nothing and says why."""
        if self.session is None:
            return False
        try:
            self.session.push(edit)
        except ReadOnly as exc:
            self.command_failed(str(exc))
            return False
        except ProjectError as exc:  # the file or the disk failed: nothing was saved
            self.command_failed(f"Not saved: {exc}")
            return False
        except AssayError as exc:
            self.command_failed(f"Refused: {exc}")
            if isinstance(edit, (AddSpan, UpdateSpan, AddSpans)):
                self.view.say_here(f"Refused: {exc}")  # where the reviewer is looking
            return False
        self.statusBar().clearMessage()  # an old "Refused" must not linger after a success
        return True

    def undo(self) -> None:
        """Ctrl+Z: undo the last edit; if the file cannot be written the history stays where
        it was, and if the store refuses (the project changed elsewhere) it is cleared."""
        self._step_history(undo=True)

    def redo(self) -> None:
        self._step_history(undo=False)

    def _step_history(self, undo: bool) -> None:
        session = self.session
        if session is None or self.refuse_if_read_only("undo or redo"):
            return
        said = session.step(undo)
        if said is not None:
            self.statusBar().showMessage(said, 3000 if said.startswith("Nothing") else 12000)

    def _update_undo_actions(self) -> None:
        history = self.history
        undo = history.undo_title if history else None
        redo = history.redo_title if history else None
        # Read-only, both stay enabled so that the keys reach _step_history, which says why
        # nothing can be undone.
        read_only = self.read_only_reason is not None
        self.act_undo.setEnabled(undo is not None or read_only)
        self.act_undo.setText(f"&Undo {undo}" if undo else "&Undo")
        self.act_redo.setEnabled(redo is not None or read_only)
        self.act_redo.setText(f"&Redo {redo}" if redo else "&Redo")

    def command_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 12000)

    def decide(self, status: str) -> None:
        """A / X / S: record the decision with the seconds spent, then open the next pending."""
        if self.project is None or self.article is None:
            return
        if self.refuse_if_read_only(f"mark the article {status}"):
            return
        session = self.session
        assert session is not None
        edit = SetStatus(self.article.id, status, session.decision_seconds())
        if not self.push(edit):  # A asks nothing (claims never hold it up): it says after
            return
        nxt = self.adjudication.next_article() or session.next_pending()
        if nxt is not None:
            self.show_article(nxt)
        summary = edit.summary.sentence if edit.summary is not None else None
        self.statusBar().showMessage(decision_said(status, nxt is None, summary), 15000)

    def focus_note(self) -> None:
        if self.refuse_if_read_only("edit the note"):
            return
        self.note.setFocus()
        self.note.selectAll()

    def save_note(self) -> None:
        if self.project is None or self.article is None:
            return
        text = self.note.text()
        if text != (self.article.note or ""):
            self.push(SetNote(self.article.id, text))
        if self.note.hasFocus():
            self.view.setFocus()

    # ------------------------------------------------------------------ view

    def zoom(self, steps: int) -> None:
        self.view.zoom_by(steps)
        self.columns.fit()
        self.settings.setValue("view/zoom", self.view.zoom)

    def _toggle_rejected(self) -> None:
        show = self.act_show_rejected.isChecked()
        if self.show_rejected.isChecked() != show:
            self.show_rejected.setChecked(show)
        self.view.show_rejected = show
        if self.session is not None:
            self.view.set_spans(self.session.spans)  # the entities follow (spans_shown)

    def _toggle_popup(self) -> None:
        self.view.label_popup_on_select = self.act_popup.isChecked()
        self.settings.setValue("view/popup", "true" if self.act_popup.isChecked() else "false")

    def _check_model(self) -> None:
        if installed_model() is None:
            self.banner.setText(
                "No spaCy English model is installed: pre-annotation will find only "
                f"gazetteer entities (minerals, countries, organisations). Install it with: "
                f"{INSTALL_HINT}")
            self.banner.show()

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog = ShortcutsDialog(help_rows(self.helped), self)
        self.shortcuts_dialog.open()  # window-modal, without blocking the event loop

    def show_about(self) -> None:
        QMessageBox.about(self, "About Assay",
                          f"Assay {__version__}\n\nReview and verify entities in "
                          "critical-minerals news.")

    # ------------------------------------------------------------------ files and jobs

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.isVisible():  # before the first show the sizes are not the window's yet
            self.columns.fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.columns.shown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.save_note()
        if self.jobs.job is not None:
            self.jobs.job.cancel()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        if self.session is not None:
            self.session.close()  # keeps the time spent on the open article
            self.session = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        super().closeEvent(event)
