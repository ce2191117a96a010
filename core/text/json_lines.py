"""One JSON value on one line: the one writer of every JSON-lines file and stream Assay makes.

JSON allows U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR) unescaped inside
strings, and orjson and ``json.dumps(ensure_ascii=False)`` leave them so. But a reader that
splits lines with Python's ``str.splitlines()`` (or a JavaScript one before ES2019) breaks a
record there and sees two broken ones. Writing them as ``\\u2028``/``\\u2029`` reads back
the same string in every JSON parser, so every JSONL writer (the exports, ``annotate-jsonl``,
the job protocol) goes through :func:`json_line`.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# The characters str.splitlines() breaks on that JSON does not escape by itself (the
# others, \n \r \x0b \x0c \x1c-\x1e \x85, are control characters JSON always escapes).
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_line(value: Any) -> str:
    """``value`` as compact JSON on one line (no newline at the end), non-ASCII kept as is
    except the line separators; ``json.loads`` reads back what was given.

    orjson first (4-5x ``json.dumps``); what it refuses (a lone surrogate, an integer
    beyond 64 bits, a non-string key) is written by ``json.dumps`` with ASCII escapes.
    """
    try:
        line = orjson.dumps(value).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        line = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    if "\u2028" in line or "\u2029" in line:
        for char, escape in _LINE_BREAKS.items():
            line = line.replace(char, escape)
    return line
