"""``assay-cli assign``, ``merge``, ``agreement`` and ``adjudicate``: a team's copies handed
out and taken back, how far the reviewers agree, and their versions settled
(``core.teams`` has the rules; the window's team dialogs call the same functions)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli.command import EXIT_ERROR, EXIT_OK, Commands
from core.cli.options import add_json, add_project, add_reviewer, record_id
from core.errors import AssayError
from core.nlp.store_rules import store_rules
from core.store import Project
from core.text.normalise import one_line

COMMANDS = Commands()


def assign_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
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


@COMMANDS.command("assign", assign_options,
                  help="hand out copies to reviewers (with a shared overlap)")
def cmd_assign(args: argparse.Namespace) -> int:
    from core.teams.assign import hand_out, reviewer_names

    reviewers = reviewer_names(args.reviewers)
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


def merge_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("copies", nargs="+", help="copies made by assign")
    add_reviewer(p, "who merges")


@COMMANDS.command("merge", merge_options, help="take reviewers' copies back as their versions")
def cmd_merge(args: argparse.Namespace) -> int:
    """Each copy's line (``MergeReport.line``, what the window's summary shows): merged ones
    on stdout, refused ones on stderr; a refused copy stops none of the others, and any
    refusal makes the exit status an error."""
    from core.teams.merge import merge_copies

    with Project.open(args.project, rules=store_rules()) as project:
        reports = merge_copies(project, args.copies, who=args.reviewer)
    for report in reports:
        if report.refused:
            print(f"error: {report.line}", file=sys.stderr)
        else:
            print(report.line)
    return EXIT_ERROR if any(r.refused for r in reports) else EXIT_OK


def agreement_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    add_json(p)


@COMMANDS.command("agreement", agreement_options,
                  help="how far reviewers agree (span F1, token kappa, relation F1, "
                  "topic kappa)")
def cmd_agreement(args: argparse.Namespace) -> int:
    from core.teams.agreement import agreement, second_opinions_note

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
          f"verdict kappa {pct(overall['verdict_kappa'])}. Relation F1 "
          f"{pct(overall['relation_f1'])}, relation kappa {pct(overall['relation_kappa'])}.")
    for kind, f1 in overall["relation_per_type"].items():
        print(f"      {one_line(kind, 40):<14} relation F1 {pct(f1)}")
    print(f"Topic kappa {pct(overall['topic_kappa'])}.")
    for topic, kappa in overall["topic_per_topic"].items():
        print(f"      {one_line(topic, 40):<24} topic kappa {pct(kappa)}")
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
        print(f"      relations: F1 {pct(pair['relation_f1'])}, kappa "
              f"{pct(pair['relation_kappa'])} over {pair['relation_pairs_compared']} "
              "entity pair(s)")
        print(f"      topics: kappa {pct(pair['topic_kappa'])} over "
              f"{pair['topic_units']} (article, topic) unit(s)")
    if report["articles_worst_first"]:
        print("Worst articles:")
        for row in report["articles_worst_first"][:10]:
            title = one_line(row["title"], 60)
            print(f"  {row['article_id']:>6}  F1 {pct(row['span_f1'])}  {title}")
    return EXIT_OK


def adjudicate_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("action", choices=("list", "auto", "take", "topics", "topic"))
    p.add_argument("values", nargs="*")
    p.add_argument("--replace", "--force", action="store_true", dest="replace",
                   help="auto: replace the curator's decisions too (never without it)")
    add_reviewer(p, "the adjudicator")


@COMMANDS.command(
    "adjudicate", adjudicate_options,
    help="settle reviewers' versions: list | auto | take | topics | topic",
    description="list: articles whose versions differ, worst first. "
    "auto: take the spans all reviewers agree on into the articles nothing was "
    "decided in yet (and approve the articles they agree on entirely); an "
    "article the curator decided is kept unless --replace. take ARTICLE "
    "REVIEWER: that reviewer's decision becomes the curated one (a "
    "rejected version rejects the article). topics ARTICLE: the topics its reviewers "
    "differ on. topic ARTICLE TOPIC REVIEWER: that reviewer's decision on the topic "
    "becomes the curated one (on if they set it, off if they did not).")
def cmd_adjudicate(args: argparse.Namespace) -> int:
    """Settle reviewers' versions into the curated version (the project's own spans), by
    the one settle rule of ``core.teams.adjudicate`` (the window follows it too)."""
    from core.review.history import History
    from core.teams.adjudicate import DECIDED, SETTLED, settle_all, settle_edits, take_version

    with Project.open(args.project, rules=store_rules()) as project:
        if args.action == "list":
            from core.teams.worklist import worklist

            for item in worklist(project):
                print(f"{item.article_id:>6}  F1 {item.f1:.3f}  {one_line(item.title, 60)}")
            return EXIT_OK
        history = History(project, args.reviewer)
        if args.action in ("topics", "topic"):
            return _adjudicate_topics(project, history, args)
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


def _adjudicate_topics(project: Project, history, args: argparse.Namespace) -> int:
    """``adjudicate topics ARTICLE`` lists where the reviewers differ on topics;
    ``adjudicate topic ARTICLE TOPIC REVIEWER`` takes one reviewer's decision on one
    (``core.teams.topic_curation.take_topic``, the edit the window's topic list takes)."""
    from core.teams.topic_curation import curated_topics, take_topic, topic_differences

    wanted = 1 if args.action == "topics" else 3
    usage = ("adjudicate topics ARTICLE_ID" if wanted == 1 else
             "adjudicate topic ARTICLE_ID TOPIC REVIEWER")
    if len(args.values) != wanted:
        raise AssayError(f"{usage}.")
    try:
        article_id = record_id(args.values[0])
    except argparse.ArgumentTypeError as exc:
        raise AssayError(f"{usage}: {exc}") from exc
    versions = project.versions([article_id])
    if args.action == "topics":
        differences = topic_differences(versions, [t.name for t in project.topics()])
        now = curated_topics(project.article_topics(article_id))
        if not differences:
            print(f"Article {article_id}: its reviewers do not differ on topics.")
        for d in differences:
            with_it = ", ".join(one_line(r, 40) for r in d.reviewers_with(True)) or "nobody"
            without = ", ".join(one_line(r, 40) for r in d.reviewers_with(False)) or "nobody"
            print(f"{one_line(d.topic, 40)}: set by {with_it}; not by {without}; curated: "
                  f"{'on' if d.topic in now else 'off'}")
        return EXIT_OK
    topic, reviewer = args.values[1], args.values[2]
    edit = take_topic(versions, article_id, topic, reviewer)
    history.do(edit)
    print(f"Article {article_id}: the topic {one_line(topic, 40)} is "
          f"{'on' if edit.on else 'off'}, as {one_line(reviewer, 40)} decided "
          f"(taken by {one_line(args.reviewer, 40)}).")
    return EXIT_OK
