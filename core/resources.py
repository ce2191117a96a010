"""Where bundled resources (schemes, gazetteers, the sample project) live.

From a source checkout they sit in ``resources/`` beside ``core/``; in a
PyInstaller bundle they are unpacked under ``sys._MEIPASS``. Every module asks
here instead of building paths itself, so the bundle needs no special cases.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder that holds ``schemes/``, ``gazetteers/``, ``sample/`` and icons."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of one bundled resource, e.g. ``resource_path("schemes", "critical-minerals.json")``."""
    return resources_dir().joinpath(*parts)
