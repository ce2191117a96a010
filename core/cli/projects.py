"""``assay-cli new`` and ``import``: a project file made, and articles brought into it."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from core.cli.command import EXIT_ERROR, EXIT_OK, Commands
from core.cli.options import add_json_progress, add_project
from core.cli.progress import ProgressPrinter
from core.errors import AssayError
from core.jobs import protocol
from core.nlp.store_rules import store_rules
from core.store import Project
from core.web.fetch import FetchOptions

COMMANDS = Commands()


def new_options(p: argparse.ArgumentParser) -> None:
    add_project(p, "path of the new .assay file")
    p.add_argument("--name", help="project name (default: the file name)")
    p.add_argument("--scheme", default="critical-minerals",
                   help="label scheme: a bundled name or a JSON file")


@COMMANDS.command("new", new_options, help="create a new project file")
def cmd_new(args: argparse.Namespace) -> int:
    project = Project.create(args.project, name=args.name, scheme=args.scheme, rules=store_rules())
    labels = ", ".join(lb.name for lb in project.labels())
    project.close()
    print(f"Created {args.project} with labels: {labels}")
    return EXIT_OK


def _seconds(least: float):
    """An argparse ``type``: a number of seconds, at least ``least``, in one sentence if not."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not (least <= value <= 3600):  # also refuses nan
            raise argparse.ArgumentTypeError(
                f"a number of seconds from {least:g} to 3600, not {text!r}")
        return value

    return parse


def import_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("paths", nargs="+", metavar="PATH|URL",
                   help="files or folders of articles; or web addresses (pages or feeds), "
                        "feed files (.xml .rss .atom) and lists of links (.txt with one address "
                        "a line), which are fetched now")
    p.add_argument("--batch-size", type=int, default=500, help="articles per transaction")
    p.add_argument("--timeout", type=_seconds(0.1), default=FetchOptions.timeout, metavar="SECONDS",
                   help="web import: wait this long to connect and for each read "
                        "(default %(default)s)")
    p.add_argument("--host-delay", type=_seconds(0), default=FetchOptions.host_delay,
                   metavar="SECONDS", help="web import: pause between two requests to one "
                                           "site (default %(default)s)")
    add_json_progress(p)


@COMMANDS.command("import", import_options,
                  help="import .txt .md .html .pdf .jsonl .csv files or folders, or pages "
                       "and feeds from the web")
def cmd_import(args: argparse.Namespace) -> int:
    from core.web.sources import is_web_source

    web = [p for p in args.paths if is_web_source(p)]
    files = [p for p in args.paths if p not in web]
    missing = [p for p in files if not Path(p).exists()]
    if missing:
        raise AssayError("No such file or folder: " + ", ".join(missing))
    failed = False
    with Project.open(args.project, rules=store_rules()) as project:
        if files:
            failed = _import_files(project, files, args)
        if web:
            failed = _import_web(project, web, args) or failed
    return EXIT_ERROR if failed else EXIT_OK


def _import_files(project: Project, paths: list[str], args: argparse.Namespace) -> bool:
    """Files and folders of articles; True when nothing could be imported from them."""
    from core.formats.importers import import_paths

    stopped: list[int] = []
    if args.json_progress:
        # The window's Cancel terminates this process: stop after the file or page being
        # read, keeping what came before (a hang inside one page is killed, core.jobs).
        signal.signal(signal.SIGTERM, lambda number, _frame: stopped.append(number))
    report = import_paths(
        project, paths, batch_size=args.batch_size,
        progress=ProgressPrinter("importing files", args.json_progress),
        should_cancel=lambda: bool(stopped),
    )
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    summary = (f"Imported {report.added} article(s) from {report.files} file(s); "
               f"{report.duplicates} duplicate(s) skipped, {len(report.problems)} problem(s)")
    if report.skipped:
        summary += f", {len(report.skipped)} unsupported file(s) ignored"
    if report.scheme_changed:
        summary += "; the export's label scheme was taken (assay-cli labels PROJECT list)"
    print(summary + ".")
    if args.json_progress:
        print(protocol.encode(protocol.ImportDone(
            report.added, report.duplicates, tuple(str(p) for p in report.problems),
            report.cancelled)), flush=True)
    return bool(report.problems and not report.added)


def _import_web(project: Project, items: list[str], args: argparse.Namespace) -> bool:
    """Addresses, feed files and lists of links, fetched now; True when any failed. Prints
    the summary the window shows (``WebImportReport.lines``)."""
    from core.web.sources import read_sources
    from core.web.web_import import import_web

    options = FetchOptions(timeout=args.timeout, host_delay=args.host_delay)
    report = import_web(project, read_sources(items), options=options,
                        progress=ProgressPrinter("fetching pages", args.json_progress))
    for line in report.lines():
        print(line)
    if args.json_progress:
        print(protocol.encode(protocol.ImportDone(
            report.imported, report.skipped,
            tuple(item.line() for item in report.items if item.outcome == "failed"))),
            flush=True)
    return report.failed > 0
