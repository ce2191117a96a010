"""``assay-cli export``: reviewed articles as training data, in one of the formats of
``core.formats.registry``."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.command import EXIT_OK, Commands
from core.cli.options import add_json_progress, add_project
from core.cli.progress import ProgressPrinter
from core.formats.registry import FORMATS
from core.jobs import protocol
from core.models import ARTICLE_STATUSES
from core.nlp.store_rules import store_rules
from core.store import Project

COMMANDS = Commands()


def export_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("--format", "-f", required=True, choices=FORMATS, help="output format")
    p.add_argument("--output", "-o", required=True,
                   help="file to write (its folder must exist)")
    p.add_argument("--status", default="approved", choices=(*ARTICLE_STATUSES, "all"),
                   help="articles to export (default: approved)")
    p.add_argument("--label", action="append", metavar="LABEL",
                   help="export only entities with this label (repeatable)")
    p.add_argument("--reviewer", help="only articles reviewed by this reviewer")
    p.add_argument("--split", type=float,
                   help="spaCy only: share of articles for <stem>-train.spacy, rest to -dev")
    p.add_argument("--seed", type=int, default=0, help="seed of the train/dev shuffle")
    add_json_progress(p)


@COMMANDS.command("export", export_options, help="export reviewed articles as training data")
def cmd_export(args: argparse.Namespace) -> int:
    from core.formats.export import export
    from core.store import ArticleFilter

    status = None if args.status == "all" else args.status
    flt = ArticleFilter(status=status, reviewer=args.reviewer)
    output = Path(args.output)
    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        report = export(
            project, args.format, output, flt=flt, labels=args.label or None,
            split=args.split, seed=args.seed,
            progress=ProgressPrinter("exporting", args.json_progress),
        )
    where = ", ".join(str(f) for f in report.files) or str(output)
    print(f"Exported {report.summary()} to {where}")
    if args.json_progress:
        print(protocol.encode(protocol.ExportDone(
            report.articles, report.spans, tuple(str(f) for f in report.files))), flush=True)
    return EXIT_OK
