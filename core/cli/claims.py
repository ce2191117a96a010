"""``assay-cli claims``: what the rest of the corpus says about a claim, or about ids.

``assay-cli claims PROJECT --about USA,mineral:lithium`` prints, newest first, the claims
and sentences of other articles that name the pair (``core.store.claims_across`` has the
rules), one line each: date, article, verdict or "sentence", figures, passage.
``--claim ID`` asks about a stored claim and marks the figures that differ from its own
with "≠".
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from core.cli.command import EXIT_OK, Commands
from core.cli.options import add_json, add_project, record_id, whole_number
from core.errors import AssayError
from core.nlp.kb_resolve import resolve_term
from core.nlp.store_rules import store_rules
from core.store import Project
from core.store.claims_across import LIMIT, Across, AcrossItem
from core.text.normalise import one_line as plain

COMMANDS = Commands()
DIFFERS = "≠"
TITLE_CHARS, PASSAGE_CHARS = 40, 160


def figures_text(item: AcrossItem) -> str:
    return ", ".join(f"{plain(f.text)}{DIFFERS if f.differs else ''}" for f in item.figures)


def item_line(item: AcrossItem) -> str:
    what = item.verdict if item.claim_id is not None else "sentence"
    parts = [plain(item.published) or "undated", f"#{item.article_id}",
             plain(item.title, TITLE_CHARS), f"[{item.status}]", what]
    figures = figures_text(item)
    if figures:
        parts.append(figures)
    return "  ".join(parts) + "  " + plain(item.text, PASSAGE_CHARS)


def summary(across: Across) -> list[str]:
    about = " · ".join(" + ".join(pair) for pair in across.pairs) or "nothing linked"
    lines = [f"About: {about}"]
    if across.claim_id is not None:
        own = ", ".join(plain(f.text) for f in across.figures) or "none"
        lines.append(f"Claim {across.claim_id} in article {across.article_id} "
                     f"(its figures: {own}; {DIFFERS} marks a figure of the same kind that "
                     "differs)")
    more = " (more exist: raise --limit)" if across.truncated else ""
    lines.append(f"{len(across.items)} item(s) from {across.scanned} of {across.articles} "
                 f"article(s) naming it, newest first{more}")
    return lines


def as_json(across: Across) -> dict:
    out = asdict(across)
    for item, raw in zip(across.items, out["items"], strict=True):
        raw["kind"], raw["differs"] = item.kind, item.differs
    return out


def claims_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--about", metavar="IDS",
                      help="comma-separated ids or names: USA,mineral:lithium (a province "
                      "counts as its country)")
    what.add_argument("--claim", type=record_id, metavar="ID", help="a stored claim's id")
    p.add_argument("--limit", type=whole_number("--limit"), default=LIMIT,
                   help=f"at most this many items (default {LIMIT})")
    add_json(p)


@COMMANDS.command(
    "claims", claims_options, help="what other articles say about a claim, or about ids",
    description="The claims and sentences of other articles that name the same linked "
                "entities (a country or organisation with a mineral, in one sentence), "
                "newest first, with their figures, dates and verdicts. Rejected "
                "articles and entities and dismissed claims do not count.")
def cmd_claims(args: argparse.Namespace) -> int:
    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        if args.claim is not None:
            across = project.claims_across(args.claim, limit=args.limit)
        else:
            terms = [t for t in args.about.split(",") if t.strip()]
            if not terms:
                raise AssayError("--about needs at least one id, such as USA,mineral:lithium.")
            linker = project.linker()
            across = project.mentions_across([resolve_term(linker, t) for t in terms],
                                             limit=args.limit)
    if args.json:
        print(json.dumps(as_json(across), ensure_ascii=False, indent=2))
        return EXIT_OK
    for line in summary(across):
        print(line)
    for item in across.items:
        print(item_line(item))
    if not across.pairs:
        print("The claim names no linked entity: link its countries, minerals or "
              "organisations first.", file=sys.stderr)
    return EXIT_OK

