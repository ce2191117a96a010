"""The one rule for a name that becomes part of a file name: a reviewer's, a project's, a model's.

``assign`` writes ``<project>-<reviewer>.assay``, a trained model is saved as a folder named
by its id: a name with a ``/`` or ``..`` would write outside the chosen folder, a newline or
an escape would reach every terminal that lists the folder, and a name longer than the file
system allows (255 bytes on ext4, APFS and NTFS) fails half-way through writing. So every
such name is checked here, before anything is written, and refused with one sentence.

The characters refused are those Windows refuses too (``< > : " / \\ | ? *``), so a copy
handed out on Linux can be saved on a reviewer's Windows machine.
"""

from __future__ import annotations

import unicodedata

from core.errors import AssayError
from core.text.normalise import invisible_characters, one_line

MAX_NAME_CHARS = 64
MAX_NAME_BYTES = 180  # a name is one part of a file name (255 bytes) with a prefix and suffix
FORBIDDEN = frozenset('<>:"/\\|?*')
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                      *(f"LPT{i}" for i in range(1, 10))})


def check_file_name(name: str, what: str) -> str:
    """``name`` stripped of surrounding spaces, or AssayError saying why it cannot name a file.

    ``what`` says whose name it is ("reviewer name", "project name") for the sentence.
    """
    shown = one_line(name, 40)
    cleaned = name.strip()
    if not cleaned:
        raise AssayError(f"The {what} is empty; give a name.")
    # Beside the invisible and steering characters every name refuses: line and paragraph
    # separators, lone surrogates, private-use and unassigned code points.
    bad = sorted({*invisible_characters(cleaned),
                  *(c for c in cleaned if c in FORBIDDEN
                    or unicodedata.category(c) in ("Zl", "Zp", "Cs", "Co", "Cn"))})
    if bad:
        listed = ", ".join(f"U+{ord(c):04X}" if not c.isprintable() else repr(c) for c in bad)
        raise AssayError(f"The {what} {shown!r} cannot name a file: it holds {listed}. "
                         "Use letters, digits, spaces, '-', '_' or '.'.")
    if cleaned in (".", "..") or cleaned.startswith(".") or cleaned.endswith("."):
        raise AssayError(f"The {what} {shown!r} cannot name a file: it may not start or end "
                         "with a dot.")
    if cleaned.split(".")[0].upper() in RESERVED:
        raise AssayError(f"The {what} {shown!r} cannot name a file: Windows reserves it.")
    if len(cleaned) > MAX_NAME_CHARS or len(cleaned.encode("utf-8")) > MAX_NAME_BYTES:
        raise AssayError(f"The {what} {shown!r} is too long to name a file ({len(cleaned)} "
                         f"characters; at most {MAX_NAME_CHARS}).")
    return cleaned
