"""What several commands share: the argparse types for ids and counts, and the options
``PROJECT``, ``--reviewer`` and ``--json-progress``, each written once."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from core.text.normalise import one_line

# The largest id or count SQLite stores (a signed 64-bit integer).
LARGEST = 2**63 - 1


def whole_number(what: str, least: int = 1) -> Callable[[str], int]:
    """An argparse ``type`` for an id or a count: ASCII digits from ``least`` to what SQLite
    holds. ``int()`` takes "²"-like digits of other scripts and any size, which ended in a
    ValueError or OverflowError traceback; this says what is wrong in one sentence."""

    def parse(text: str) -> int:
        digits = text.strip()
        if digits.isascii() and digits.isdigit() and least <= int(digits) <= LARGEST:
            return int(digits)
        raise argparse.ArgumentTypeError(
            f"{what} is a whole number from {least} to {LARGEST} written with the digits "
            f"0-9, not {one_line(text, 40)!r}.")

    parse.__name__ = what
    return parse


record_id = whole_number("an id")


def add_project(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """``PROJECT``: the .assay file a command works on (every command but annotate-jsonl)."""
    parser.add_argument("project", help=help)


def add_reviewer(parser: argparse.ArgumentParser, who: str) -> None:
    """``--reviewer``: the name the audit log gives the commands that write (default $USER)."""
    parser.add_argument("--reviewer", default=os.environ.get("USER") or "cli",
                        help=f"{who}, for the audit log (default: $USER)")


def add_json_progress(parser: argparse.ArgumentParser) -> None:
    """The option the window starts jobs with: progress and result as core.jobs.protocol lines."""
    parser.add_argument("--json-progress", action="store_true",
                        help="progress and result as JSON lines (for the window)")


def add_json(parser: argparse.ArgumentParser, help: str = "print JSON") -> None:
    """``--json``: the result as JSON instead of lines for a person."""
    parser.add_argument("--json", action="store_true", help=help)
