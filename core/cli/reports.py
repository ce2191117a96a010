"""``assay-cli stats``, ``report`` and ``check``: what a project says about itself, as text
or JSON, as one HTML file, and whether its file is whole."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli.command import EXIT_ERROR, EXIT_OK, Commands
from core.cli.options import add_json, add_project
from core.nlp.store_rules import store_rules
from core.store import Project

COMMANDS = Commands()


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def stats_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    add_json(p)


@COMMANDS.command("stats", stats_options,
                  help="articles per status, entities per label, relations per type, "
                  "articles per topic")
def cmd_stats(args: argparse.Namespace) -> int:
    """The statistics window's numbers as text (or JSON): the same reads, no figures."""
    from dataclasses import asdict

    from core.stats.charts import APPROVALS_NOTE
    from core.stats.numbers import gather, relations_summary
    from core.stats.topic_charts import topics_summary
    from core.store.statistics import OUTCOMES, Quality, judged_line, suggested
    from core.text.normalise import one_line as plain

    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        statuses = project.counts_by_status()
        n = gather(project)
        name = project.name
    p, q, cm, claims = n.progress, n.quality, n.country_minerals, n.claims
    tc = n.topics
    assert tc is not None  # gather reads them
    rq = n.relation_quality or Quality({}, [], 0)
    cells = cm.ranked()
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
            "relations": n.relations,
            "relation_suggestions": {m or "unknown": rq.per_label(m) for m in rq.models},
            "topics": {t: {**tc.by_state[t], "articles": tc.live(t),
                           "per_month": {m or "no date": k for m, k in
                                         tc.per_month.get(t, {}).items()}}
                       for t in tc.topics},
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
    if p.per_reviewer:
        print(f"Approvals and rejections by reviewer ({APPROVALS_NOTE}):")
    for reviewer, approved, rejected in p.per_reviewer:
        spread = p.seconds_by_reviewer.get(reviewer)
        median = f", median {_duration(spread.median)}" if spread else ""
        print(f"  {plain(reviewer, 40):<16} approved {approved:>6}, rejected {rejected:>5}"
              f"{median}")
    print(f"Entities per label (live: suggested + accepted; {sum(n.entities.values())} in all)")
    for label, k in n.entities.items():
        print(f"  {plain(label, 40):<10} {k:>8}   accepted {n.accepted.get(label, 0):>8}")
    print(f"Relations per type ({relations_summary(n.relations)})")
    for kind, by in n.relations.items():
        print(f"  {plain(kind, 40):<15} " + "  ".join(f"{state} {k:>6}"
                                                     for state, k in by.items()))
    print(f"Articles per topic (live: suggested + accepted; {topics_summary(tc)})")
    for topic in tc.topics:
        by = tc.by_state[topic]
        print(f"  {plain(topic, 40):<24} {tc.live(topic):>8}   accepted {by['accepted']:>8}"
              f"   suggested {by['suggested']:>6}   rejected {by['rejected']:>6}")
    if q.models:
        print("Pre-annotation as reviewers judged it (approved articles):")
    for model in q.models:
        sums = q.totals(model)
        made = suggested(sums)
        shares = ", ".join(f"{k} {sums[k] / made:.0%}" for k in OUTCOMES[:3])
        judged = f"{made:,} suggestion(s): {shares}" if made else "no suggestions"
        print(f"  {plain(model, 60) or 'unknown model'}: {judged}; "
              f"{sums['added']:,} added by reviewers")
    if rq.models:
        print("Relation suggestions as reviewers judged them (approved articles):")
    for model in rq.models:
        print(f"  {plain(model, 60) or 'unknown model'}: {judged_line(rq.totals(model))}")
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


def report_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("--output", "-o", required=True,
                   help="HTML file to write (its folder must exist)")


@COMMANDS.command("report", report_options,
                  help="the statistics as one HTML file (opens offline)",
                  description="Write the figures and tables of Review → Statistics to "
                  "one self-contained HTML file (charts as inline SVG, no scripts, "
                  "nothing loaded from elsewhere), for people who do not run Assay.")
def cmd_report(args: argparse.Namespace) -> int:
    """The statistics window as one self-contained HTML file (``core.stats.report``)."""
    from core.stats.report import write_report

    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        summary = write_report(project, Path(args.output))
    print(summary.describe())
    return EXIT_OK


def check_options(p: argparse.ArgumentParser) -> None:
    add_project(p)


@COMMANDS.command("check", check_options,
                  help="check the project file for damage (SQLite integrity)")
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
