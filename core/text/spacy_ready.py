"""spaCy, imported with its pipeline factories registered once, under a lock.

spaCy 3.8 registers its factories when the first ``Language`` is made, guarded only by a
module flag that is set at the end. Two threads making their first pipeline at once (the
window warming the tokenizer while it opens an article that has no stored tokens, or a
pre-annotation worker loading the model) both register; the second finds the names taken
and compares the functions' *source code*, which a PyInstaller bundle does not carry, so
it raises ``OSError: could not get source code`` in whichever thread lost. Every place that
makes a pipeline goes through :func:`spacy_ready` first.
"""

from __future__ import annotations

import threading
from types import ModuleType

_REGISTERING = threading.Lock()
_registered = False


def spacy_ready() -> ModuleType:
    """The ``spacy`` module, its factories registered (once, by one thread at a time)."""
    global _registered
    import spacy

    if not _registered:
        with _REGISTERING:
            if not _registered:
                from spacy.pipeline.factories import register_factories

                register_factories()
                _registered = True
    return spacy
