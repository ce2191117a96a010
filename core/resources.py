"""Where bundled resources (schemes, gazetteers, the sample project) live.

From a source checkout (and an editable install) they sit in ``resources/``
beside ``core/``; an installed wheel carries them as the data package
``assay_resources``; in a PyInstaller bundle they are unpacked under
``sys._MEIPASS``. Every module asks here instead of building paths itself.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder that holds ``schemes/``, ``gazetteers/``, ``sample/`` and icons."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    spec = importlib.util.find_spec("assay_resources")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return checkout


def resource_path(*parts: str) -> Path:
    """Path of one bundled resource, e.g. ``resource_path("schemes", "critical-minerals.json")``."""
    return resources_dir().joinpath(*parts)
