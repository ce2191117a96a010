"""``assay-cli map``: the supply-chain map (``core.stats.chain_map``) as a list of edges with their
weights, or as GraphML, GEXF or SVG.

    assay-cli map PROJECT [--mineral ID] [--type T ...] [--since DATE] [--until DATE]
                  [--reviewer R] [--with-suggestions] [-o map.graphml|map.gexf|map.svg]

Names come from articles (untrusted): each is printed on one clean line.
"""

from __future__ import annotations

import argparse
from datetime import date

from core.cli.command import EXIT_OK, Commands
from core.cli.options import add_project
from core.errors import AssayError
from core.nlp.store_rules import store_rules
from core.store import Project

COMMANDS = Commands()


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-05-31") from exc


def map_options(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument("--mineral", help="only this mineral's chain (its id, e.g. lithium, or "
                   "its name)")
    p.add_argument("--type", dest="types", action="append", default=[],
                   help="only relations of this type (again for more)")
    p.add_argument("--since", type=_day, help="only articles published on or after DATE")
    p.add_argument("--until", type=_day, help="only articles published on or before DATE")
    p.add_argument("--reviewer", help="only articles this reviewer approved")
    p.add_argument("--with-suggestions", action="store_true",
                   help="also relations not approved yet (suggested, or in articles not "
                   "approved)")
    p.add_argument("-o", "--output", help="write map.graphml, map.gexf or map.svg instead "
                   "of listing the edges")


@COMMANDS.command(
    "map", map_options, help="the supply-chain map of the approved relations",
    description="Countries, organisations and minerals linked by the approved relations, "
                "each edge weighted by the number of articles stating it. Without -o: the "
                "edges as tab-separated lines, heaviest first.")
def cmd_map(args: argparse.Namespace) -> int:
    from core.stats.chain_files import FORMATS, edge_lines, write_map
    from core.stats.chain_map import MapFilter, read_map

    if args.output and not args.output.lower().endswith(tuple(FORMATS)):
        raise AssayError(f"map -o {args.output}: write .graphml, .gexf or .svg.")
    flt = MapFilter(mineral=args.mineral, types=tuple(args.types), since=args.since,
                    until=args.until, reviewer=args.reviewer,
                    suggestions=args.with_suggestions)
    with Project.open_for_reading(args.project, rules=store_rules()) as project:
        known = {t.name for t in project.relation_types()}
        unknown = [t for t in flt.types if t not in known]
        if unknown:
            raise AssayError(f"map --type {unknown[0]}: the project has no such relation "
                             f"type (it has {', '.join(sorted(known))}).")
        cmap = read_map(project, flt)
    if args.output:
        kind = write_map(cmap, args.output)
        print(f"Wrote the map ({len(cmap.nodes):,} nodes, {len(cmap.edges):,} edges) as "
              f"{kind} to {args.output}.")
        return EXIT_OK
    for line in edge_lines(cmap):
        print(line)
    if not cmap.edges:
        print("No relations to map: none approved yet, or the filters leave none.")
    return EXIT_OK
