"""The project store: one ``.assay`` SQLite file. ``Project`` is the facade the rest uses.

``files`` opens project files (the only code that may), ``faults`` turns SQLite's
errors into sentences, ``db`` holds the connection and the one write transaction,
and ``project`` the facade composed of one part per table: ``queries`` (the article
list), ``spans``, ``claims`` and ``kb`` (canonical entries); ``audit`` and ``scheme``
hold the audit rules and label schemes.
"""

from core.store.imports import AddResult
from core.store.project import SCHEMA_VERSION, Project
from core.store.queries import ArticleFilter, fts_query

__all__ = ["SCHEMA_VERSION", "AddResult", "ArticleFilter", "Project", "fts_query"]
