"""What the window offers the parts that wire review features into it.

``gui.claims.review`` and ``gui.linking.editor`` are given the window as a
``ReviewHost``: the open project and article, the widgets they drive, and the one
way to change data (``push`` an edit through the history). They never import
``gui.window.main_window``, so the import graph of ``gui`` has no cycle (a test checks).

The type check (mypy, ``make lint``) holds the window to these protocols and the parts
to what they list: a member a part uses must be declared here (tests/test_types.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the protocol stands above the rooms: it names their widgets, imports none
    from collections.abc import Callable

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QStatusBar, QTabWidget, QWidget

    from core.models import Article
    from core.review.edits import Edit
    from core.review.session import ReviewSession
    from core.store import Project
    from gui.claims.panel import ClaimsPanel
    from gui.linking.editor import LinkEditor
    from gui.review.article_view import ArticleView


class SessionPart(Protocol):
    """A widget or controller the window hands each new session to; it subscribes itself
    to the session's events (``core.review.session``)."""

    def attach(self, session: ReviewSession) -> None: ...


class ReviewHost(Protocol):
    session: ReviewSession | None
    reviewer: str
    view: ArticleView
    claims_panel: ClaimsPanel
    link_editor: LinkEditor
    side_tabs: QTabWidget
    jobs: Any  # gui.window.project_jobs.ProjectJobs: run_job for background reads

    @property
    def project(self) -> Project | None: ...

    @property
    def article(self) -> Article | None: ...

    def window(self) -> QWidget: ...  # Qt's: the window itself, parent of dialogs and jobs

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def push(self, edit: Edit) -> bool: ...

    def show_article(self, article_id: int | None) -> None: ...

    def refuse_if_read_only(self, what: str) -> bool: ...

    def command_failed(self, message: str) -> None: ...

    def action(self, text: str, keys: Any, slot: Callable[..., Any], *,
               checkable: bool = False, help: tuple[str, str] | None = None  # noqa: A002
               ) -> QAction: ...


class JobsHost(Protocol):
    """What ``gui.window.project_jobs`` needs of the window: the session (which tells the list and
    the counts what a job wrote)."""

    session: ReviewSession | None
    settings: QSettings

    @property
    def project(self) -> Project | None: ...

    @property
    def article(self) -> Article | None: ...

    def window(self) -> QWidget: ...  # Qt's: the window itself, parent of dialogs and jobs

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def refuse_if_read_only(self, what: str) -> bool: ...

    def show_article(self, article_id: int | None) -> None: ...
