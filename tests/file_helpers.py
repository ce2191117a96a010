"""Helpers for tests about files on disk (no Qt)."""

from __future__ import annotations

import os

import pytest


def skip_unless_chmod_binds(path, covered_by: str) -> None:
    """Skip when this user can write to a chmod 444 file anyway (root), naming what else
    covers the case; tests check whether permissions bind, not who runs them."""
    try:
        os.close(os.open(path, os.O_WRONLY))
    except PermissionError:
        return
    pytest.skip(f"this user can write to a chmod 444 file (root); {covered_by}")
