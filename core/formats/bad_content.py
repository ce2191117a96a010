"""The exception a reader raises for a file (or a line) that cannot be an article.

The import turns it into an ``ImportProblem`` naming the file and line; it never
escapes ``import_paths``.
"""


class BadContent(Exception):
    """Why this file or line is not an article ("not a text file", "empty", …)."""
