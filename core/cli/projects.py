"""``assay-cli new`` and ``import``: a project file made, and articles brought into it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli.command import EXIT_ERROR, EXIT_OK, Commands
from core.cli.options import add_json_progress, add_project
from core.cli.progress import ProgressPrinter
from core.errors import AssayError
from core.jobs import protocol
from core.nlp.store_rules import store_rules
from core.store import Project

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


def import_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--batch-size", type=int, default=500, help="articles per transaction")
    add_json_progress(p)


@COMMANDS.command("import", import_options,
                  help="import .txt .md .html .pdf .jsonl .csv files or folders")
def cmd_import(args: argparse.Namespace) -> int:
    from core.formats.importers import import_paths

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise AssayError("No such file or folder: " + ", ".join(missing))
    with Project.open(args.project, rules=store_rules()) as project:
        report = import_paths(
            project, args.paths, batch_size=args.batch_size,
            progress=ProgressPrinter("importing files", args.json_progress),
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
            report.added, report.duplicates, tuple(str(p) for p in report.problems))), flush=True)
    return EXIT_ERROR if report.problems and not report.added else EXIT_OK
