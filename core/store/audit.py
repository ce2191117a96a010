"""Who and when: the stamp every stored decision carries.

Kept apart from ``core.store`` so the store's mixins (claims, canonical entries)
stamp their rows the same way without importing the store.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.errors import InvalidEdit


def now() -> str:
    """UTC timestamp with milliseconds, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def require_reviewer(reviewer: str) -> None:
    """Every change names who made it; an empty name is refused before anything is written."""
    if not reviewer or not reviewer.strip():
        raise InvalidEdit("Every change needs a reviewer name.")
