"""``assay-cli``: the command line over the same core functions the window uses.

A thin layer, as in sqlite-utils: parse arguments, call one core function, print a
result. One module per family of commands, each command its options beside its handler
(``core.cli.command``); the options several share are in ``core.cli.options``. User
mistakes (a missing file, a damaged project) print one clear line and exit non-zero;
tracebacks are for our bugs only.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from core import __version__
from core.cli import (
    annotate,
    chain_map,
    claims,
    exporting,
    labels,
    models,
    projects,
    relations,
    reports,
    teams,
    topics,
)
from core.cli.command import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_USAGE
from core.errors import AssayError
from core.store.faults import describe, is_file_fault

__all__ = ["EXIT_CANCELLED", "EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

# The command modules, in the order ``assay-cli --help`` lists their commands.
MODULES = (
    projects,   # new, import
    annotate,   # annotate, annotate-jsonl
    reports,    # stats, report, check
    labels,     # labels
    teams,      # assign, merge, agreement, adjudicate
    exporting,  # export
    models,     # train, models
    claims,     # claims
    relations,  # relations
    topics,     # topics, topic
    chain_map,  # map
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assay-cli",
        description="Assay: review and verify entities in critical-minerals news.",
    )
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in MODULES:
        module.COMMANDS.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (also used by tests)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except AssayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except sqlite3.DatabaseError as exc:  # the file or disk failed under a direct query
        if not is_file_fault(exc):
            raise
        print(f"error: {describe(exc, Path(args.project))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:  # e.g. `assay-cli stats x | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
