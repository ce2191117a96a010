"""The project store: one ``.assay`` SQLite file. ``Project`` is the facade the rest uses.

``files`` opens project files (the only code that may), ``faults`` turns SQLite's
errors into sentences, ``project`` holds the facade, and ``claims``, ``kb``,
``audit`` and ``scheme`` the parts of it for claims, canonical entries, the audit
log and label schemes.
"""

from core.store.project import SCHEMA_VERSION, AddResult, ArticleFilter, Project, fts_query

__all__ = ["SCHEMA_VERSION", "AddResult", "ArticleFilter", "Project", "fts_query"]
