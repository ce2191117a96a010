"""Exceptions that carry a message meant for the user.

The CLI prints them without a traceback and the GUI shows them in a dialog or
the status bar, so their text must say what went wrong and what to do.
"""


class AssayError(Exception):
    """Base for every error a user can cause and should read."""


class ProjectError(AssayError):
    """The project file cannot be opened or written (not SQLite, corrupt, locked, read-only)."""


class InvalidEdit(AssayError):
    """An edit was refused: it would break a span invariant. Nothing was changed."""
