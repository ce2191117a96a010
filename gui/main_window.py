"""The review window: article list, article view, labels and entities, menus and shortcuts.

It wires widgets to core calls and holds no business logic: every edit is an
undoable command whose redo and undo call ``core.store``; every change is
saved the moment it is made, so there is no Save button.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core import __version__
from core.errors import AssayError, ProjectError
from core.models import Article
from core.nlp.models import INSTALL_HINT, installed_model
from core.review.edits import AddSpan, AddSpans, Edit, Focus, SetNote, SetStatus, UpdateSpan
from core.review.history import History
from core.review.session import ReadOnly, ReviewSession
from core.store import Project
from core.text.tokens import blank_nlp
from gui.article_header import ArticleHeader
from gui.article_list import ArticleListPanel
from gui.article_view import ArticleView
from gui.claims_review import ClaimsReview
from gui.entity_review import EntityReview
from gui.focus import ReturnFocus
from gui.linking import Linking
from gui.plain_text import warn
from gui.project_jobs import ProjectJobs
from gui.project_lock import LockResult, ProjectLock, lock_project
from gui.shortcuts import ShortcutsDialog, help_rows
from gui.side_panel import SidePanel

MAX_RECENT = 8


class MainWindow(QMainWindow):
    """One window on one open project."""

    def __init__(self, settings: QSettings, reviewer: str) -> None:
        super().__init__()
        self.settings = settings
        self.reviewer = reviewer
        # The open project as the reviewer works on it (core.review.session, Qt-free): its
        # article, spans, claims, history and read-only reason. Widgets subscribe to its
        # signals; every change goes through it (see push).
        self.session: ReviewSession | None = None
        # The project's lock (gui.project_lock); without it the project is open read-only
        # and the session's read_only_reason says why ("another Assay window … has it open").
        self.lock: ProjectLock | None = None
        self.setWindowTitle("Assay")
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._connect()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 880)
        state = settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        self.view.set_zoom(float(settings.value("view/zoom", 0.0)))
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
        self.view = ArticleView()
        self.header = ArticleHeader()
        self.title = self.header.title
        self.banner = QLabel()
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff4ce; color: #5c4400; border: 1px solid #e6c65c; "
            "border-radius: 4px; padding: 6px 10px;")
        self.banner.hide()
        self.lock_banner = QLabel()
        self.lock_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.lock_banner.setWordWrap(True)
        self.lock_banner.setStyleSheet(self.banner.styleSheet())
        self.lock_banner.hide()
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note on this article (N) — saved when you press Enter")
        self.note.setClearButtonEnabled(True)

        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(0)
        center_layout.addWidget(self.banner)
        center_layout.addWidget(self.lock_banner)
        center_layout.addWidget(self.header)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setStyleSheet("color: palette(mid);")
        center_layout.addWidget(line)
        center_layout.addWidget(self.view, 1)
        note_row = QHBoxLayout()
        note_row.setContentsMargins(12, 6, 12, 8)
        note_row.addWidget(self.note)
        center_layout.addLayout(note_row)

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

        self.claims_label = QLabel()  # this article's open claims: shown, never in the way
        self.progress_label = QLabel()
        self.reviewer_label = QLabel()
        self.model_label = QLabel()
        for widget in (self.claims_label, self.progress_label, self.reviewer_label,
                       self.model_label):
            widget.setTextFormat(Qt.TextFormat.PlainText)
            self.statusBar().addPermanentWidget(widget)

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
        self.helped: list[tuple[QAction, str, str]] = []
        self.jobs = ProjectJobs(self)
        a = self.action
        self.act_new = a("&New project…", QKeySequence.StandardKey.New, self.new_project_dialog)
        self.act_open = a("&Open project…", QKeySequence.StandardKey.Open, self.open_dialog)
        self.act_import_files = a("&Import files…", "Ctrl+I", self.jobs.import_files_dialog,
                                  help=("Project", "Import files"))
        self.act_import_folder = a("Import f&older…", "Ctrl+Shift+I",
                                   self.jobs.import_folder_dialog,
                                   help=("Project", "Import a folder"))
        self.act_annotate = a("&Pre-annotate…", "Ctrl+P", self.jobs.pre_annotate,
                              help=("Project", "Pre-annotate with spaCy and the gazetteers"))
        self.act_export = a("&Export…", "Ctrl+E", self.jobs.export_dialog,
                            help=("Project", "Export the verified data"))
        self.act_check = a("&Check project file…", None, self.jobs.check_project)
        self.act_quit = a("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.act_undo = a("&Undo", "Ctrl+Z", self.undo, help=("Editing", "Undo (across articles)"))
        self.act_redo = a("&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo, help=("Editing", "Redo"))
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.act_approve = a("&Approve article", "A", lambda: self.decide("approved"), help=(
            "Articles", "Approve (accepts remaining suggestions) and open the next pending"))
        self.act_reject = a("Re&ject article", "X", lambda: self.decide("rejected"),
                            help=("Articles", "Reject the article"))
        self.act_skip = a("&Skip article", "S", lambda: self.decide("skipped"),
                          help=("Articles", "Skip the article"))
        self.act_note = a("Edit &note", "N", self.focus_note,
                          help=("Articles", "Edit the article's note (Enter saves)"))
        self.act_next = a("Ne&xt article", "J", lambda: self.list_panel.move(1),
                          help=("Articles", "Next article in the list"))
        self.act_prev = a("&Previous article", "K", lambda: self.list_panel.move(-1),
                          help=("Articles", "Previous article in the list"))
        self.act_search = a("&Find articles…", QKeySequence.StandardKey.Find,
                            self.list_panel.focus_search, help=("Articles", "Search the articles"))
        self.act_zoom_in = a("Zoom &in", ["Ctrl++", "Ctrl+="], lambda: self.zoom(1),
                             help=("View", "Zoom the text in"))
        self.act_zoom_out = a("Zoom &out", "Ctrl+-", lambda: self.zoom(-1),
                              help=("View", "Zoom the text out"))
        self.act_show_rejected = a("Show &rejected entities", "Ctrl+R",
                                   self._toggle_rejected, checkable=True,
                                   help=("View", "Show or hide rejected entities"))
        self.act_popup = a("Label &menu on selection", None, self._toggle_popup,
                           checkable=True)
        self.act_popup.setChecked(self.settings.value("view/popup", "true") == "true")
        self.view.label_popup_on_select = self.act_popup.isChecked()
        self.act_help = a("&Keyboard shortcuts", ["F1", "?", "Shift+?"],
                          self.show_shortcuts, help=("Help", "This list"))
        self.act_about = a("&About Assay", None, self.show_about)
        self.label_actions: list[QAction] = []
        self.entity_review = EntityReview(self, self)
        er = self.entity_review
        self.entity_actions = [
            a("Label all &occurrences", "O", er.label_occurrences, help=(
                "Entities", "Label every other unlabelled occurrence of the entity's text")),
            a("Label all occurrences in &pending articles", "Ctrl+Shift+O",
              er.label_occurrences_everywhere, help=(
                  "Entities", "The same, in this article and every pending one")),
            a("Reject all suggestions &like this", None, er.reject_same),
        ]
        self.claims_review = ClaimsReview(self)
        self.entity_review.mark_claim = lambda exact: self.claims_review.mark(exact=exact)
        self.linking = Linking(self)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        file_menu.addActions([self.act_import_files, self.act_import_folder, self.act_annotate,
                              self.act_export])
        file_menu.addSeparator()
        file_menu.addAction(self.act_check)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addAction(self.act_search)
        review = bar.addMenu("&Review")
        review.addActions([self.act_approve, self.act_reject, self.act_skip, self.act_note])
        review.addSeparator()
        review.addActions([self.act_next, self.act_prev])
        view = bar.addMenu("&View")
        view.addActions([self.act_zoom_in, self.act_zoom_out])
        view.addSeparator()
        view.addActions([self.act_show_rejected, self.act_popup])
        claims = bar.addMenu("&Claims")
        claims.addActions(self.claims_review.actions)
        review.addSeparator()
        review.addActions(self.linking.actions)
        review.addSeparator()
        review.addActions(self.entity_actions)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.act_help, self.act_about])
        self._fill_recent()

    def _connect(self) -> None:
        self.list_panel.article_activated.connect(self.show_article)
        self.view.span_selected.connect(self._span_selected)
        self.view.article_step_requested.connect(self.list_panel.move)
        self.entities.span_clicked.connect(lambda sid: self.view.select_span(sid))
        self.view.nothing_to_do.connect(lambda why: self.statusBar().showMessage(why, 4000))
        panel = self.claims_panel
        self._return_focus = ReturnFocus(self.view, [
            self.note, panel.evidence, panel.note, self.link_editor.field])
        self.label_bar.label_chosen.connect(self.entity_review.apply_label)
        self.show_rejected.toggled.connect(self.act_show_rejected.setChecked)
        self.show_rejected.toggled.connect(lambda _: self._toggle_rejected())
        self.note.returnPressed.connect(self.save_note)
        self.note.editingFinished.connect(self.save_note)

    # ------------------------------------------------------------------ project

    def open_project(self, path: str | Path) -> bool:
        """Open a project file; on failure say why and keep the current one.

        The window takes the project's lock first (``gui.project_lock``). If another
        Assay window holds it, or the file cannot be written, the project opens
        read-only: a banner says why, every change is refused, export still works.
        """
        if self.lock is not None and self.lock.project_path == Path(path).resolve():
            taken = LockResult(self.lock)  # reopening our own project keeps our lock
        else:
            taken = lock_project(path)
        try:
            project = Project.open(path, read_only=taken.lock is None)
        except AssayError as exc:
            if taken.lock is not None and taken.lock is not self.lock:
                taken.lock.release()
            warn(self, "Cannot open project", str(exc))
            return False
        self.save_note()
        if self.project is not None:
            self.project.close()
        if self.lock is not None and self.lock is not taken.lock:
            self.lock.release()
        self.lock = taken.lock
        self._start_session(ReviewSession(project, self.reviewer,
                                          None if taken.lock else taken.reason))
        self._show_read_only(taken.hint)
        labels = project.labels()
        self.view.set_labels(labels)
        self.entities.set_labels(labels)
        self.label_bar.set_labels(labels)
        self._bind_label_hotkeys(labels)
        self.list_panel.set_project(project)
        self.setWindowTitle(f"{project.name} — Assay" + (" (read-only)" if project.read_only
                                                          else ""))
        self._remember_recent(str(Path(path).resolve()))
        self.settings.setValue("project/last", str(Path(path).resolve()))
        last = self.settings.value(f"project/{project.path.resolve()}/article")
        first = int(last) if last else project.next_article_id(0, status="pending")
        if first is None:
            first = project.next_article_id(0, status=None)
        self.show_article(first)
        self.update_status()
        return True

    def _start_session(self, session: ReviewSession) -> None:
        """Subscribe the widgets to a new session; the old one's project is closed."""
        self.session = session
        session.opened.connect(self._article_opened)
        session.changed.connect(self._article_changed)
        session.history_changed.connect(self._update_undo_actions)
        self.claims_review.attach(session)
        self.linking.attach(session)
        session.changed.connect(self._show_focus)  # last: after the panels were refilled
        self._update_undo_actions()

    def _bind_label_hotkeys(self, labels) -> None:
        for action in self.label_actions:
            self.removeAction(action)
        self.label_actions = []
        for label in labels:
            if not label.hotkey:
                continue
            action = QAction(label.name, self)
            action.setShortcut(QKeySequence(label.hotkey))
            action.triggered.connect(
                lambda _=False, n=label.name: self.entity_review.apply_label(n))
            # Alt+key: the next entity of the label (Alt+Shift+key: the previous one).
            jump = QAction(f"Next {label.name}", self)
            jump.setShortcuts([QKeySequence(f"Alt+{label.hotkey}"),
                               QKeySequence(f"Alt+Shift+{label.hotkey}")])
            jump.triggered.connect(lambda _=False, n=label.name: self.entity_review.jump_to(n))
            for made in (action, jump):
                self.addAction(made)
                self.label_actions.append(made)

    def show_article(self, article_id: int | None, *, again: bool = False) -> None:
        """Open an article (None: none); ``again`` re-reads the open one (after a job)."""
        session = self.session
        if session is None:
            return
        if not again and article_id is not None and self.article is not None and (
                self.article.id == article_id):
            return
        self.save_note()
        try:
            session.open_article(article_id)
        except AssayError as exc:  # also a damaged page: say so and stay where we are
            self.statusBar().showMessage(str(exc), 12000)

    def _article_opened(self, article: Article | None) -> None:
        """The session opened another article: show its text, entities and header."""
        session = self.session
        assert session is not None
        if article is None:
            self.header.show_article(None)
            self.view.set_article("", [], [])
            self.entities.set_spans([])
            self.note.clear()
            return
        self.view.set_article(article.text, session.spans, session.tokens)
        self._refresh_article_meta()
        self.entities.set_spans(self.view.spans)
        self.settings.setValue(f"project/{session.project.path.resolve()}/article", article.id)
        self.list_panel.select_article(article.id)
        self.update_status()
        self.view.setFocus()

    def _refresh_article_meta(self) -> None:
        art = self.article
        self.header.show_article(art)
        if art is None:
            return
        if self.note.text() != (art.note or ""):
            self.note.setText(art.note or "")

    def _article_changed(self, _focus: Focus) -> None:
        """The open article's rows changed (an edit, undo or redo): show what is stored."""
        assert self.session is not None
        self.view.set_spans(self.session.spans)
        self.entities.set_spans(self.view.spans, self.view.selected_id)
        self._refresh_article_meta()
        self.list_panel.refresh()
        self.update_status()

    # ------------------------------------------------------------------ edits

    def _show_read_only(self, hint: str = "") -> None:
        reason = self.read_only_reason
        self.note.setReadOnly(reason is not None)
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
        """Ctrl+Z: undo the last edit; if the store refuses, the history stays where it was."""
        self._step_history(undo=True)

    def redo(self) -> None:
        self._step_history(undo=False)

    def _step_history(self, undo: bool) -> None:
        session = self.session
        if session is None or self.refuse_if_read_only("undo or redo"):
            return
        history = session.history
        title = history.undo_title if undo else history.redo_title
        if title is None:
            self.statusBar().showMessage("Nothing to undo." if undo else "Nothing to redo.", 3000)
            return
        try:
            session.undo() if undo else session.redo()
        except AssayError as exc:  # e.g. a pre-annotation run changed the article since
            self.command_failed(f"Cannot {'undo' if undo else 'redo'} {title}: {exc}")

    def _show_focus(self, focus: Focus) -> None:
        """After an edit, undo or redo: select what it touched."""
        if focus.span_id is not None and any(s.id == focus.span_id for s in self.view.spans):
            self.view.select_span(focus.span_id)
        if focus.claim_id is not None:
            self.claims_review.select(focus.claim_id, scroll=True)

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
        if status == "approved" and not self.claims_review.confirm_approve():
            return
        session = self.session
        assert session is not None
        if not self.push(SetStatus(self.article.id, status, session.seconds_open)):
            return
        nxt = session.next_pending()
        if nxt is not None:
            self.show_article(nxt)
        else:
            self.statusBar().showMessage("No pending articles left. 🎉", 6000)

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

    def _span_selected(self, span_id: int | None) -> None:
        self.entities.select_id(span_id)
        self.linking.refresh()

    # ------------------------------------------------------------------ view

    def zoom(self, steps: int) -> None:
        self.view.zoom_by(steps)
        self.settings.setValue("view/zoom", self.view.zoom)

    def _toggle_rejected(self) -> None:
        show = self.act_show_rejected.isChecked()
        if self.show_rejected.isChecked() != show:
            self.show_rejected.setChecked(show)
        self.view.show_rejected = show
        if self.session is not None:
            self.view.set_spans(self.session.spans)
            self.entities.set_spans(self.view.spans, self.view.selected_id)

    def _toggle_popup(self) -> None:
        self.view.label_popup_on_select = self.act_popup.isChecked()
        self.settings.setValue("view/popup", "true" if self.act_popup.isChecked() else "false")

    def update_status(self) -> None:
        if self.project is None:
            return
        counts = self.project.counts_by_status()
        total = sum(counts.values())
        self.progress_label.setText(f"Approved {counts['approved']:,} / {total:,}")
        self.reviewer_label.setText(f"Reviewer: {self.reviewer}")
        model = self.article.model if self.article and self.article.model else "not annotated"
        self.model_label.setText(f"Model: {model}")
        self.claims_label.setText(self.claims_review.open_text())

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

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home()),
                                              "Assay projects (*.assay)")
        if not path:
            return
        if not path.endswith(".assay"):
            path += ".assay"
        try:
            Project.create(path).close()
        except AssayError as exc:
            warn(self, "Cannot create project", str(exc))
            return
        self.open_project(path)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()),
                                              "Assay projects (*.assay);;All files (*)")
        if path:
            self.open_project(path)

    # ------------------------------------------------------------------ settings

    def _remember_recent(self, path: str) -> None:
        recent = [p for p in (self.settings.value("project/recent") or []) if p != path]
        recent.insert(0, path)
        self.settings.setValue("project/recent", recent[:MAX_RECENT])
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.value("project/recent") or []
        if isinstance(recent, str):
            recent = [recent]
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        self.recent_menu.setEnabled(bool(recent))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.save_note()
        if self.jobs.job is not None:
            self.jobs.job.cancel()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        if self.session is not None:
            self.session.project.close()
            self.session = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        super().closeEvent(event)
