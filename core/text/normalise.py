"""Text normalisation and hashing, done once at import so the stored text never changes.

Offsets of every span point into the normalised text, so importers, the store
and tests must all normalise the same way: this module is that one way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# C0 controls except tab (\x09) and newline (\x0a), DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise_text(text: str) -> str:
    """Return ``text`` with ``\\r\\n``/``\\r`` turned into ``\\n`` and control characters dropped.

    A leading byte-order mark is dropped too; the text is otherwise unchanged
    (no stripping inside lines) so that offsets from other tools still fit.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Every leading BOM goes (a file saved twice with a BOM has two), so that
    # normalising is idempotent: normalise_text(normalise_text(t)) == normalise_text(t).
    return _CONTROL.sub("", text.lstrip("\ufeff"))


# What may steer a screen or terminal from inside a name or a title: C0 and C1 controls
# (escape sequences), DEL, and the bidi overrides and isolates that reorder what follows.
STEERING = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_STEERING = re.compile(f"[{STEERING}]")


def one_line(text: str, width: int | None = None) -> str:
    """Untrusted text as one line for a terminal or a chart: steering characters dropped,
    whitespace collapsed, cut to ``width`` characters with an ellipsis."""
    line = " ".join(_STEERING.sub(" ", text).split())
    if width and len(line) > width:
        line = line[:width - 1].rstrip() + "…"
    return line


def chart_text(text: str, width: int | None = None) -> str:
    """Untrusted text as matplotlib should draw it: one line (``one_line``), ``$`` escaped
    so that no mathtext is parsed (a name such as ``$\\x$`` would fail the whole figure)."""
    return (one_line(text, width) or "\u2014").replace("$", r"\$")


def invisible_characters(text: str) -> list[str]:
    """The characters of ``text`` that show as nothing or steer: format characters (Unicode
    category Cf: zero-width spaces and joiners, the soft hyphen, bidi marks and overrides,
    the byte-order mark) and controls (Cc). In a name they make ``G\u200bPE`` look like
    ``GPE`` while being another name, so names (labels) refuse them."""
    return [ch for ch in text if unicodedata.category(ch) in ("Cf", "Cc")]


def sha256_text(text: str) -> str:
    """Hash of the stored (normalised) text; the key that makes re-imports idempotent."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
