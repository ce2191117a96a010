"""``assay-cli annotate`` (a project's articles) and ``annotate-jsonl`` (records, no project):
suggestions from the pipeline, which reviewers then accept or reject."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli.command import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, Commands
from core.cli.options import add_json_progress, add_project
from core.cli.progress import ProgressPrinter
from core.errors import AssayError
from core.jobs import protocol
from core.nlp.models import DEFAULT_MODELS
from core.nlp.store_rules import store_rules
from core.store import Project

COMMANDS = Commands()


def annotate_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("--force", action="store_true",
                   help="re-annotate pending articles already done (keeps reviewer decisions)")
    p.add_argument("--batch-size", type=int, default=64, help="articles per batch and commit")
    p.add_argument("--n-process", type=int, default=1, help="spaCy worker processes")
    p.add_argument("--no-uncertainty", action="store_true",
                   help="with a trained model: skip measuring each article's uncertainty "
                   "against the stock model (which runs it a second time)")
    p.add_argument("--model", help="'default' (the stock model: "
                   f"{', then '.join(DEFAULT_MODELS)}), a trained model's id (models list) "
                   "or a spaCy pipeline folder; without it, the project's chosen one")
    add_json_progress(p)


@COMMANDS.command("annotate", annotate_options,
                  help="pre-annotate articles with spaCy and the gazetteers")
def cmd_annotate(args: argparse.Namespace) -> int:
    from core.jobs.annotate import annotate_project, project_annotators

    with Project.open(args.project, rules=store_rules()) as project:
        if args.json_progress:  # loading spaCy takes seconds: say so rather than sit at 0 %
            print(protocol.encode(protocol.Progress(0, 0, "loading the model…")), flush=True)
        loaded = project_annotators(project, args.model, uncertainty=not args.no_uncertainty)
        annotator = loaded.annotator
        if annotator.warning:
            print(f"warning: {annotator.warning}", file=sys.stderr)
            if args.json_progress:
                print(protocol.encode(protocol.Warning(annotator.warning)), flush=True)
        try:
            report = annotate_project(
                project, annotator, force=args.force, batch_size=args.batch_size,
                n_process=args.n_process, reference=loaded.reference,
                progress=ProgressPrinter("pre-annotating", args.json_progress),
            )
        except KeyboardInterrupt:
            print("Cancelled: batches already committed are kept; run again to continue.",
                  file=sys.stderr)
            return EXIT_CANCELLED
    for article_id, why in report.failed:
        print(f"problem: article {article_id} could not be pre-annotated and was skipped "
              f"({why})", file=sys.stderr)
    print(f"Pre-annotated {report.articles} article(s) with {report.model}: "
          f"{report.suggestions} suggestion(s), {report.relations} relation suggestion(s), "
          f"{report.topics} topic suggestion(s), "
          f"{report.words:,} words in "
          f"{report.seconds:.1f} s ({report.words_per_second:,.0f} words/s).")
    if args.json_progress:
        print(protocol.encode(protocol.AnnotateDone(
            report.articles, report.suggestions, report.model,
            tuple(article_id for article_id, _why in report.failed),
            relations=report.relations)), flush=True)
    return EXIT_OK


def annotate_jsonl_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN", help="JSONL file to read, or - for stdin")
    p.add_argument("output", metavar="OUT", help="JSONL file to write, or - for stdout")
    p.add_argument("--model", help="spaCy package or path to load (default: "
                   f"{', then '.join(DEFAULT_MODELS)})")
    p.add_argument("--batch-size", type=int, default=64, help="records per batch")
    p.add_argument("--labels", help="comma-separated labels to keep (default: the shipped "
                   "scheme; use your project's, see: assay-cli labels PROJECT list)")


@COMMANDS.command(
    "annotate-jsonl", annotate_jsonl_options,
    help="pre-annotate JSONL records into JSONL (no project)",
    description="Read article records (one JSON object a line, as import reads them), "
                "add the pipeline's suggestions as spans with state 'suggested', write "
                "them to OUT (atomically: OUT appears whole or not at all). Spans the "
                "records already have are kept; suggestions overlapping them are dropped. "
                "Import the result with: assay-cli import PROJECT OUT.")
def cmd_annotate_jsonl(args: argparse.Namespace) -> int:
    """JSONL records in, the same records with model suggestions out, no project involved:
    one machine's share of a corpus pre-annotated elsewhere (core.jobs.records)."""
    from core.jobs.records_jsonl import annotate_jsonl, check_output, remove_killed_outputs
    from core.nlp.pipeline import load_annotator

    source = sys.stdin.buffer if args.input == "-" else Path(args.input)
    if isinstance(source, Path) and not source.is_file():
        raise AssayError(f"No such file: {source}" if not source.exists()
                         else f"{source} is not a file.")
    if args.batch_size < 1:
        raise AssayError("--batch-size must be 1 or more.")
    to_stdout = args.output == "-"
    dest = sys.stdout if to_stdout else check_output(Path(args.output))  # before the model
    if isinstance(dest, Path):
        for leftover in remove_killed_outputs(dest):
            print(f"Removed {leftover}, the unfinished output of a run that was killed.",
                  file=sys.stderr)
    labels = [x.strip() for x in args.labels.split(",") if x.strip()] if args.labels else None
    names = (args.model,) if args.model else DEFAULT_MODELS
    annotator = load_annotator(labels, model_names=names)
    if annotator.warning:
        print(f"warning: {annotator.warning}", file=sys.stderr)
    progress = ProgressPrinter("pre-annotating records") if isinstance(source, Path) else None
    try:
        report = annotate_jsonl(
            source, dest, annotator, batch_size=args.batch_size, progress=progress,
            on_problem=lambda message: print(f"problem: {message}", file=sys.stderr),
        )
    except KeyboardInterrupt:
        kept = "its output is incomplete" if to_stdout else f"nothing was written to {dest}"
        print(f"Cancelled: {kept}.", file=sys.stderr)
        return EXIT_CANCELLED
    where = "stdout" if to_stdout else str(dest)
    print(f"Pre-annotated {report.records} record(s) with {report.model} into {where}: "
          f"{report.suggestions} suggestion(s), {report.problems} problem(s) skipped, "
          f"{report.seconds:.1f} s.", file=sys.stderr if to_stdout else sys.stdout)
    return EXIT_ERROR if report.problems and not report.records else EXIT_OK
