"""``assay-cli``: the command line over the same core functions the window uses.

A thin layer, as in sqlite-utils: parse arguments, call one core function,
print a result. User mistakes (a missing file, a damaged project) print one
clear line and exit non-zero; tracebacks are for our bugs only.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from core import __version__
from core.errors import AssayError
from core.jobs import protocol
from core.jobs.train import current_annotator
from core.nlp.models import DEFAULT_MODELS
from core.nlp.store_rules import store_rules
from core.nlp.training import DEFAULT_ANNOTATOR, model_names_for
from core.store import Project
from core.store.faults import describe, is_file_fault
from core.text.normalise import one_line

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
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


class ProgressPrinter:
    """A one-line progress bar on a terminal, or JSON lines for a parent process.

    The GUI runs ``assay-cli annotate --json-progress`` as a child process and
    reads these lines, so the two views of progress come from one place.
    """

    def __init__(self, what: str, json_lines: bool = False, stream=None) -> None:
        self.what = what
        self.json_lines = json_lines
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if self.json_lines:
            print(protocol.encode(protocol.Progress(done, total)), file=sys.stdout, flush=True)
            return
        now = time.perf_counter()
        if not self.tty and done != total and now - self._last < 2.0:
            return
        self._last = now
        fraction = done / total if total else 1.0
        bar = "#" * int(fraction * 30)
        rate = done / (now - self.started) if now > self.started else 0.0
        line = f"{self.what} [{bar:<30}] {done}/{total} ({rate:,.0f}/s)"
        end = "\r" if self.tty and done != total else "\n"
        print(line, end=end, file=self.stream, flush=True)


def cmd_new(args: argparse.Namespace) -> int:
    project = Project.create(args.project, name=args.name, scheme=args.scheme, rules=store_rules())
    labels = ", ".join(lb.name for lb in project.labels())
    project.close()
    print(f"Created {args.project} with labels: {labels}")
    return EXIT_OK


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


def cmd_annotate(args: argparse.Namespace) -> int:
    from core.jobs.annotate import annotate_project
    from core.nlp.pipeline import load_annotator

    with Project.open(args.project, rules=store_rules()) as project:
        if args.json_progress:  # loading spaCy takes seconds: say so rather than sit at 0 %
            print(protocol.encode(protocol.Progress(0, 0, "loading the model…")), flush=True)
        choice = args.model or current_annotator(project)
        names = model_names_for(args.project, choice)
        labels = [lb.name for lb in project.labels()]
        try:
            annotator = load_annotator(labels, model_names=names)
        except Exception as exc:  # a damaged model folder: name it, no traceback
            raise AssayError(f"The model {choice!r} could not be loaded "
                             f"({type(exc).__name__}: {exc}); choose another with "
                             f"assay-cli models PROJECT use default.") from exc
        if choice != DEFAULT_ANNOTATOR and annotator.fallback:
            raise AssayError(f"The model {choice!r} could not be loaded.")
        reference = None
        if choice != DEFAULT_ANNOTATOR and not args.no_uncertainty:
            # A trained model annotates: the stock pipeline beside it measures how unsure
            # each article is (their disagreement), for "most uncertain first".
            reference = load_annotator(labels)
        if annotator.warning:
            print(f"warning: {annotator.warning}", file=sys.stderr)
            if args.json_progress:
                print(protocol.encode(protocol.Warning(annotator.warning)), flush=True)
        try:
            report = annotate_project(
                project, annotator, force=args.force, batch_size=args.batch_size,
                n_process=args.n_process, reference=reference,
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
          f"{report.suggestions} suggestion(s), {report.words:,} words in "
          f"{report.seconds:.1f} s ({report.words_per_second:,.0f} words/s).")
    if args.json_progress:
        print(protocol.encode(protocol.AnnotateDone(
            report.articles, report.suggestions, report.model,
            tuple(article_id for article_id, _why in report.failed))), flush=True)
    return EXIT_OK


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


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def cmd_stats(args: argparse.Namespace) -> int:
    """The statistics window's numbers as text (or JSON): the same reads, no figures."""
    from dataclasses import asdict

    from core.stats.numbers import gather
    from core.store.statistics import OUTCOMES, suggested
    from core.text.normalise import one_line as plain

    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        statuses = project.counts_by_status()
        n = gather(project)
        name = project.name
    p, q, cm, claims = n.progress, n.quality, n.country_minerals, n.claims
    cells = sorted(cm.cells.items(), key=lambda kv: (-kv[1], kv[0]))
    if args.json:
        print(json.dumps({
            "project": name, "articles": statuses, "entities": n.entities,
            "accepted": n.accepted,
            "progress": {"remaining": p.remaining, "per_day": dict(p.per_day),
                         "per_reviewer": {r: {"approved": a, "rejected": j}
                                          for r, a, j in p.per_reviewer},
                         "seconds": asdict(p.seconds) if p.seconds else None,
                         "seconds_by_reviewer": {r: asdict(v) for r, v in
                                                 p.seconds_by_reviewer.items()}},
            "pre_annotation": {m or "unknown": q.per_label(m) for m in q.models},
            "country_minerals": [{"country": c, "mineral": m, "articles": k}
                                 for (c, m), k in cells],
            "claims": {"by_verdict": claims.by_verdict, "suggested": claims.suggested,
                       "by_country": claims.by_country, "by_mineral": claims.by_mineral},
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    total = sum(statuses.values())
    print(f"Project {plain(name)}: {total} article(s), {p.remaining} still to review")
    for status, k in statuses.items():
        print(f"  {status:<10} {k:>8}")
    if p.seconds:
        s = p.seconds
        print(f"Time per article: median {_duration(s.median)}, half between "
              f"{_duration(s.q1)} and {_duration(s.q3)} ({s.n} timed)")
    for reviewer, approved, rejected in p.per_reviewer:
        spread = p.seconds_by_reviewer.get(reviewer)
        median = f", median {_duration(spread.median)}" if spread else ""
        print(f"  {plain(reviewer, 40):<16} approved {approved:>6}, rejected {rejected:>5}"
              f"{median}")
    print(f"Entities per label (live: suggested + accepted; {sum(n.entities.values())} in all)")
    for label, k in n.entities.items():
        print(f"  {plain(label, 40):<10} {k:>8}   accepted {n.accepted.get(label, 0):>8}")
    if q.models:
        print("Pre-annotation as reviewers judged it (approved articles):")
    for model in q.models:
        sums = q.totals(model)
        made = suggested(sums)
        shares = ", ".join(f"{k} {sums[k] / made:.0%}" for k in OUTCOMES[:3])
        judged = f"{made:,} suggestion(s): {shares}" if made else "no suggestions"
        print(f"  {plain(model, 60) or 'unknown model'}: {judged}; "
              f"{sums['added']:,} added by reviewers")
    if cells:
        print(f"Countries × minerals (approved articles with a sentence naming both; "
              f"top {min(10, len(cells))} of {len(cells)}):")
    for (country, mineral), k in cells[:10]:
        print(f"  {plain(n.names.get(country, country), 40)} × "
              f"{plain(n.names.get(mineral, mineral), 40)}: {k}")
    if claims.by_verdict or claims.suggested:
        verdicts = ", ".join(f"{plain(v, 20)} {k}" for v, k in claims.by_verdict.items())
        print(f"Claims: {verdicts or 'none decided'}; {claims.suggested} suggested")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """The statistics window as one self-contained HTML file (``core.stats.report``)."""
    from core.stats.report import write_report

    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        summary = write_report(project, Path(args.output))
    print(summary.describe())
    return EXIT_OK


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


def cmd_check(args: argparse.Namespace) -> int:
    """Full integrity check of the file (slower than the check every open does)."""
    with Project.open(args.project, read_only=True, rules=store_rules()) as project:
        problems = project.integrity_problems()
    if not problems:
        print(f"{args.project}: ok (SQLite integrity check passed).")
        return EXIT_OK
    print(f"{args.project} is damaged: SQLite's integrity check found "
          f"{len(problems)}{'+' if len(problems) >= 20 else ''} problem(s):", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_ERROR


def cmd_labels(args: argparse.Namespace) -> int:
    """The label scheme: list, add, rename, recolor, key, describe, merge, delete, export,
    import; the same rules as Review → Labels… (core.store.labels)."""
    who = args.reviewer
    if args.action == "list":
        with Project.open_for_reading(args.project, rules=store_rules()) as project:
            rows = [(lb, project.label_uses(lb.name)) for lb in project.labels()]
        if args.json:
            print(json.dumps([{"name": lb.name, "color": lb.color, "hotkey": lb.hotkey,
                               "description": lb.description, "spans": n} for lb, n in rows],
                             ensure_ascii=False, indent=2))
        else:
            for lb, n in rows:
                print(f"{lb.hotkey.upper() or '-':<2} {lb.name:<12} {lb.color}  "
                      f"{n:>8} span(s)  {lb.description}")
        return EXIT_OK
    want = {"add": 1, "rename": 2, "recolor": 2, "key": 2, "describe": 2, "merge": 2,
            "delete": 1, "export": 1, "import": 1}[args.action]
    if len(args.values) != want:
        raise AssayError(f"labels {args.action} takes {want} value(s), got "
                         f"{len(args.values)}: see assay-cli labels --help.")
    v = args.values
    with Project.open(args.project, rules=store_rules()) as project:
        if args.action == "add":
            project.add_label(v[0], args.color, args.hotkey or "", args.description or "",
                              reviewer=who)
            print(f"Added {v[0].strip()}.")
        elif args.action == "rename":
            print(f"Renamed {v[0]} to {v[1]}: {project.rename_label(v[0], v[1], who):,} "
                  "span(s) rewritten.")
        elif args.action in ("recolor", "key", "describe"):
            field = {"recolor": "color", "key": "hotkey", "describe": "description"}[args.action]
            project.update_label(v[0], who, **{field: v[1]})
            print(f"{v[0]}: {field} is now {v[1]!r}.")
        elif args.action == "merge":
            _gone, moved, in_versions = project.merge_label(v[0], v[1], who)
            print(f"Merged {v[0]} into {v[1]}: {len(moved):,} span(s) relabelled"
                  + (f", and {len(in_versions):,} in reviewers' versions." if in_versions
                     else "."))
        elif args.action == "delete":
            project.delete_label(v[0], who)
            print(f"Deleted {v[0]}.")
        elif args.action == "export":
            print(f"Wrote {project.export_scheme(v[0])} label(s) to {v[0]}.")
        else:
            added, updated = project.import_scheme(v[0], who)
            print(f"Imported {v[0]}: {added} added, {updated} updated.")
    return EXIT_OK


def cmd_assign(args: argparse.Namespace) -> int:
    from core.teams.assign import hand_out

    reviewers = [r.strip() for r in args.reviewers.split(",") if r.strip()]
    existed = Path(args.output).is_dir()
    # What it hands out is recorded in it.
    with Project.open(args.project, rules=store_rules()) as project:
        paths = hand_out(project, reviewers, args.output, overlap=args.overlap,
                         seed=args.seed, include_decided=args.all,
                         show_decisions=args.show_decisions, who=args.reviewer)
    if not existed:
        print(f"Made the folder {args.output} for the copies.")
    for reviewer, path in paths.items():
        print(f"{reviewer}: {path}")
    if args.show_decisions:
        print("The copies show the project's current decisions: their versions are second "
              "opinions on them, and the agreement report says so.")
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from core.teams.merge import merge_copy
    from core.text.normalise import one_line

    with Project.open(args.project, rules=store_rules()) as project:
        for copy in args.copies:
            r = merge_copy(project, copy, who=args.reviewer)
            print(f"{one_line(copy)}: {one_line(r.reviewer)}'s versions: {r.added} new, "
                  f"{r.replaced} updated, {r.unchanged} unchanged; {r.not_reviewed} "
                  "article(s) not reviewed yet."
                  + (" (A second opinion: the copy showed the project's decisions.)"
                     if r.shows_decisions else ""))
    return EXIT_OK


def cmd_agreement(args: argparse.Namespace) -> int:
    from core.teams.agreement import agreement, second_opinions_note
    from core.text.normalise import one_line

    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        report = agreement(project)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK

    def pct(x: float | None) -> str:
        return "  n/a" if x is None else f"{x:5.3f}"

    overall = report["overall"]
    print(f"{report['articles']} article(s) approved by two or more reviewers. Span F1 "
          f"{pct(overall['span_f1'])}, token kappa {pct(overall['token_kappa'])}, "
          f"verdict kappa {pct(overall['verdict_kappa'])}.")
    if report["second_opinions"]:
        print(second_opinions_note(report["second_opinions"]))
    for pair in report["pairs"]:
        # Reviewer names come from copies: one clean line each, nothing that steers a terminal.
        a, b = (one_line(r, 60) for r in pair["reviewers"])
        print(f"  {a} / {b}: {pair['articles']} article(s), span F1 {pct(pair['span_f1'])} "
              f"(overlap {pct(pair['span_f1_overlap'])}), token kappa "
              f"{pct(pair['token_kappa'])}" + ("" if pair["independent"] else
                                              "  (not independent)"))
        for label, f1 in pair["per_label"].items():
            print(f"      {one_line(label, 40):<10} {pct(f1)}")
    if report["articles_worst_first"]:
        print("Worst articles:")
        for row in report["articles_worst_first"][:10]:
            title = one_line(row["title"], 60)
            print(f"  {row['article_id']:>6}  F1 {pct(row['span_f1'])}  {title}")
    return EXIT_OK


def cmd_adjudicate(args: argparse.Namespace) -> int:
    """Settle reviewers' versions into the curated version (the project's own spans), by
    the one settle rule of ``core.teams.adjudicate`` (the window follows it too)."""
    from core.review.history import History
    from core.teams.adjudicate import DECIDED, SETTLED, settle_all, settle_edits, take_version
    from core.text.normalise import one_line

    with Project.open(args.project, rules=store_rules()) as project:
        if args.action == "list":
            from core.teams.adjudicate import to_adjudicate

            for article_id, f1 in to_adjudicate(project):
                title = one_line(project.article(article_id).title, 60)
                print(f"{article_id:>6}  F1 {f1:.3f}  {title}")
            return EXIT_OK
        history = History(project, args.reviewer)
        if args.action == "take":
            if len(args.values) != 2:
                raise AssayError("adjudicate take needs ARTICLE_ID REVIEWER.")
            try:
                article_id = record_id(args.values[0])
            except argparse.ArgumentTypeError as exc:
                raise AssayError(f"adjudicate take ARTICLE_ID REVIEWER: {exc}") from exc
            reviewer = args.values[1]
            who = one_line(reviewer, 60)
            version = next((v for v in project.versions([article_id])
                            if v.reviewer == reviewer), None)
            if version is None:
                raise AssayError(f"Article {article_id} has no version by {who}.")
            for edit in take_version(version, approve=True):
                history.do(edit)
            if version.status == "rejected":
                print(f"Article {article_id}: {who} rejected it in their copy; rejected by "
                      f"{one_line(args.reviewer, 60)} (its curated spans are kept).")
            else:
                print(f"Article {article_id}: {who}'s version is the curated one, approved "
                      f"by {one_line(args.reviewer, 60)}.")
            return EXIT_OK
        if args.values:
            raise AssayError("adjudicate auto takes no ARTICLE or REVIEWER.")
        approved = partly = already = 0
        skipped: list[int] = []
        for settlement in settle_all(project, replace=args.replace):
            if settlement.outcome == DECIDED:
                skipped.append(settlement.article_id)
                continue
            edits = settle_edits(settlement, approve=True)
            for edit in edits:
                history.do(edit)
            if settlement.outcome == SETTLED and not edits:
                already += 1
            elif settlement.agree_entirely:
                approved += 1
            else:
                partly += 1
        print(f"Settled {approved + partly} article(s): {approved} all reviewers agree on "
              f"entirely (curated and approved), {partly} with their agreed spans taken "
              "(the rest is yours: adjudicate list).")
        if already:
            print(f"{already} article(s) already settled: unchanged.")
        if skipped:
            shown = ", ".join(map(str, skipped[:10])) + (", …" if len(skipped) > 10 else "")
            print(f"Skipped {len(skipped)} article(s) the curator already decided ({shown}): "
                  "their decisions are kept; --replace takes the agreed spans anyway.")
    return EXIT_OK


def add_reviewer(parser: argparse.ArgumentParser, who: str) -> None:
    """``--reviewer``: the name the audit log gives the commands that write (default $USER)."""
    parser.add_argument("--reviewer", default=os.environ.get("USER") or "cli",
                        help=f"{who}, for the audit log (default: $USER)")


def add_json_progress(parser: argparse.ArgumentParser) -> None:
    """The option the window starts jobs with: progress and result as core.jobs.protocol lines."""
    parser.add_argument("--json-progress", action="store_true",
                        help="progress and result as JSON lines (for the window)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assay-cli",
        description="Assay: review and verify entities in critical-minerals news.",
    )
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="create a new project file")
    p.add_argument("project", help="path of the new .assay file")
    p.add_argument("--name", help="project name (default: the file name)")
    p.add_argument("--scheme", default="critical-minerals",
                   help="label scheme: a bundled name or a JSON file")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="import .txt .md .html .jsonl .csv files or folders")
    p.add_argument("project")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--batch-size", type=int, default=500, help="articles per transaction")
    add_json_progress(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("annotate", help="pre-annotate articles with spaCy and the gazetteers")
    p.add_argument("project")
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
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser(
        "annotate-jsonl", help="pre-annotate JSONL records into JSONL (no project)",
        description="Read article records (one JSON object a line, as import reads them), "
                    "add the pipeline's suggestions as spans with state 'suggested', write "
                    "them to OUT (atomically: OUT appears whole or not at all). Spans the "
                    "records already have are kept; suggestions overlapping them are dropped. "
                    "Import the result with: assay-cli import PROJECT OUT.")
    p.add_argument("input", metavar="IN", help="JSONL file to read, or - for stdin")
    p.add_argument("output", metavar="OUT", help="JSONL file to write, or - for stdout")
    p.add_argument("--model", help="spaCy package or path to load (default: "
                   f"{', then '.join(DEFAULT_MODELS)})")
    p.add_argument("--batch-size", type=int, default=64, help="records per batch")
    p.add_argument("--labels", help="comma-separated labels to keep (default: the shipped "
                   "scheme; use your project's, see: assay-cli labels PROJECT list)")
    p.set_defaults(func=cmd_annotate_jsonl)

    p = sub.add_parser("stats", help="articles per status and entities per label")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("report", help="the statistics as one HTML file (opens offline)",
                       description="Write the figures and tables of Review → Statistics to "
                       "one self-contained HTML file (charts as inline SVG, no scripts, "
                       "nothing loaded from elsewhere), for people who do not run Assay.")
    p.add_argument("project")
    p.add_argument("--output", "-o", required=True,
                   help="HTML file to write (its folder must exist)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("check", help="check the project file for damage (SQLite integrity)")
    p.add_argument("project")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "labels", help="the label scheme: list, add, rename, recolor, merge, delete, …",
        description="list | add NAME | rename OLD NEW | recolor NAME #RRGGBB | key NAME K | "
                    "describe NAME TEXT | merge FROM INTO | delete NAME | export FILE | "
                    "import FILE. Renames and merges rewrite the spans; delete refuses a "
                    "label that spans use.")
    p.add_argument("project")
    p.add_argument("action", choices=("list", "add", "rename", "recolor", "key", "describe",
                                      "merge", "delete", "export", "import"))
    p.add_argument("values", nargs="*")
    p.add_argument("--color", default="#dddddd", help="add: the colour (#rrggbb)")
    p.add_argument("--hotkey", help="add: the key (one letter or digit)")
    p.add_argument("--description", help="add: the guideline")
    add_reviewer(p, "who")
    p.add_argument("--json", action="store_true", help="list: print JSON")
    p.set_defaults(func=cmd_labels)

    p = sub.add_parser("assign", help="hand out copies to reviewers (with a shared overlap)")
    p.add_argument("project")
    p.add_argument("--reviewers", required=True, help="comma-separated: ana,ben,cy")
    p.add_argument("--overlap", type=float, default=0.2,
                   help="share of the articles every reviewer gets (default 0.2)")
    p.add_argument("--seed", type=int, default=0, help="seed of the shuffle")
    p.add_argument("--all", action="store_true", help="decided articles too, not only pending")
    p.add_argument("--show-decisions", action="store_true",
                   help="copies carry the project's current decisions (a second opinion on "
                   "them) instead of only the pre-annotation's suggestions; the agreement "
                   "report names such versions")
    p.add_argument("-o", "--output", required=True,
                   help="folder for the copies (made if missing; the folder above must exist)")
    add_reviewer(p, "who hands out")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("merge", help="take reviewers' copies back as their versions")
    p.add_argument("project")
    p.add_argument("copies", nargs="+", help="copies made by assign")
    add_reviewer(p, "who merges")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("agreement", help="how far reviewers agree (span F1, token kappa)")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_agreement)

    p = sub.add_parser("adjudicate", help="settle reviewers' versions: list | auto | take",
                       description="list: articles whose versions differ, worst first. "
                       "auto: take the spans all reviewers agree on into the articles nothing was "
                       "decided in yet (and approve the articles they agree on entirely); an "
                       "article the curator decided is kept unless --replace. take ARTICLE "
                       "REVIEWER: that reviewer's decision becomes the curated one (a "
                       "rejected version rejects the article).")
    p.add_argument("project")
    p.add_argument("action", choices=("list", "auto", "take"))
    p.add_argument("values", nargs="*")
    p.add_argument("--replace", "--force", action="store_true", dest="replace",
                   help="auto: replace the curator's decisions too (never without it)")
    add_reviewer(p, "the adjudicator")
    p.set_defaults(func=cmd_adjudicate)

    from core.formats.registry import FORMATS
    from core.models import ARTICLE_STATUSES

    p = sub.add_parser("export", help="export reviewed articles as training data")
    p.add_argument("project")
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
    p.set_defaults(func=cmd_export)

    from core import cli_claims, cli_models

    cli_models.register(sub, add_json_progress)
    cli_claims.register(sub, record_id, whole_number("--limit"))
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


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
