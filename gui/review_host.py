"""What the window offers the parts that wire review features into it.

``gui.claims_review`` and ``gui.link_editor`` are given the window as a
``ReviewHost``: the open project and article, the widgets they drive, and the one
way to change data (``push`` an edit through the history). They never import
``gui.main_window``, so the import graph of ``gui`` has no cycle (a test checks).

The type check (mypy, ``make lint``) holds the window to these protocols and the parts
to what they list: a member a part uses must be declared here (tests/test_types.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar, QTabWidget, QWidget

from core.models import Article
from core.review.edits import Edit
from core.review.session import ReviewSession
from core.store import Project
from gui.article_list import ArticleListPanel
from gui.article_view import ArticleView
from gui.claims_panel import ClaimsPanel
from gui.link_editor import LinkEditor


class ReviewHost(Protocol):
    session: ReviewSession | None
    reviewer: str
    view: ArticleView
    claims_panel: ClaimsPanel
    link_editor: LinkEditor
    side_tabs: QTabWidget
    jobs: Any  # gui.project_jobs.ProjectJobs: run_job for background reads

    @property
    def project(self) -> Project | None: ...

    @property
    def article(self) -> Article | None: ...

    def window(self) -> QWidget: ...  # Qt's: the window itself, parent of dialogs and jobs

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def push(self, edit: Edit) -> bool: ...

    def show_article(self, article_id: int | None, *, again: bool = False) -> None: ...

    def refuse_if_read_only(self, what: str) -> bool: ...

    def command_failed(self, message: str) -> None: ...

    def action(self, text: str, keys: Any, slot: Callable[..., Any], *,
               checkable: bool = False, help: tuple[str, str] | None = None  # noqa: A002
               ) -> QAction: ...


class JobsHost(Protocol):
    """What ``gui.project_jobs`` needs of the window: the session, the list, the counts."""

    session: ReviewSession | None
    list_panel: ArticleListPanel
    settings: QSettings

    @property
    def project(self) -> Project | None: ...

    @property
    def article(self) -> Article | None: ...

    def window(self) -> QWidget: ...  # Qt's: the window itself, parent of dialogs and jobs

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def refuse_if_read_only(self, what: str) -> bool: ...

    def show_article(self, article_id: int | None, *, again: bool = False) -> None: ...

    def update_status(self) -> None: ...
