"""The supply-chain map on a 100,000-article project with relations (issue 27): reading
the whole map, one mineral's chain, a date range and one edge's evidence, each against a
plain scan of the relations table measured in the same run (the least a map computed at
open could cost: it would also have to join both ends and name them).

The project is made through the store's own import (``add_articles`` with spans,
relations and the articles' decisions), so the kept rows are counted as every write
counts them; its time is reported too. Three in five articles are approved by one of four
reviewers; each article states four relations among 30 countries (provinces among them),
12 minerals and 16 organisations, named by id or only by name.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from core.models import ArticleIn, ImportedDecision, RelationIn, SpanIn
from core.nlp.store_rules import store_rules
from core.stats.chain_map import MapFilter, evidence, read_map
from core.store import Project

N = int(os.environ.get("ASSAY_BENCH_BIG", "100000"))
REVIEWERS = ("ana", "ben", "chen", "dara")
PLACES = [("Australia", "AUS"), ("China", "CHN"), ("Chile", "CHL"), ("Indonesia", "IDN"),
          ("Japan", "JPN"), ("Canada", "CAN"), ("Brazil", "BRA"), ("Peru", "PER"),
          ("Argentina", "ARG"), ("Bolivia", "BOL"), ("Congo", "COD"), ("Zambia", "ZMB"),
          ("South Africa", "ZAF"), ("India", "IND"), ("Germany", "DEU"), ("France", "FRA"),
          ("Korea", "KOR"), ("Vietnam", "VNM"), ("Malaysia", "MYS"), ("Russia", "RUS"),
          ("Kazakhstan", "KAZ"), ("Mexico", "MEX"), ("Norway", "NOR"), ("Finland", "FIN"),
          ("Morocco", "MAR"), ("Western Australia", "AU-WA"), ("Lualaba", "CD-LU"),
          ("Quebec", "CA-QC"), ("Nevada", "US-NV"), ("United States", "USA")]
MINERALS = ["lithium", "cobalt", "nickel", "copper", "graphite", "manganese", "gallium",
            "germanium", "tungsten", "antimony", "vanadium", "rare earths"]
ORGS = [(f"Fund {chr(65 + i)}", f"org:bench-{i}" if i % 2 else None) for i in range(16)]
SENTENCES = (("{a} produces {m}.", "PRODUCES"), ("{a} processes {m}.", "PROCESSES"),
             ("{a} holds reserves of {m}.", "HOLDS_RESERVES"), ("{a} supplies {m}.", "SUPPLIES"),
             ("{a} restricts {m}.", "RESTRICTS"))


def _article(rng: random.Random, i: int) -> ArticleIn:
    parts: list[str] = []
    spans: list[SpanIn] = []
    relations: list[RelationIn] = []

    def span(text: str, label: str, kb_id: str | None) -> int:
        at = sum(len(p) + 1 for p in parts)  # where the sentence being written starts
        spans.append(SpanIn(at + sentence.index(text), at + sentence.index(text) + len(text),
                            label, origin="reviewer", state="accepted", kb_id=kb_id))
        return len(spans) - 1

    for _ in range(3):
        template, kind = rng.choice(SENTENCES)
        place, iso = rng.choice(PLACES)
        mineral = rng.choice(MINERALS)
        sentence = template.format(a=place, m=mineral)
        h = span(place, "GPE", iso)
        t = span(mineral, "MINERAL", f"mineral:{mineral.replace(' ', '-')}")
        relations.append(RelationIn(h, t, kind, state="accepted", origin="reviewer"))
        parts.append(sentence)
    (funder, f_id), (funded, d_id) = rng.sample(ORGS, 2)
    sentence = f"{funder} funds {funded}."
    h = span(funder, "ORG", f_id)
    t = span(funded, "ORG", d_id)
    relations.append(RelationIn(h, t, "FUNDS", state="accepted", origin="reviewer"))
    parts.append(sentence)
    approved = rng.random() < 0.6
    decision = ImportedDecision("approved", rng.choice(REVIEWERS), "2026-11-01T10:00:00+00:00",
                                60.0, "") if approved else None
    return ArticleIn(text=" ".join(parts), title=f"Chain {i}",
                     published=f"{2024 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                     spans=tuple(spans), relations=tuple(relations), decision=decision)


def build_chain_project(path: Path, n: int = N, seed: int = 27) -> float:
    """The project (see the module); returns the seconds its import took."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with Project.create(path, rules=store_rules()) as project:
        for i in range(0, n, 5000):
            project.add_articles([_article(rng, j) for j in range(i, min(n, i + 5000))])
    return time.perf_counter() - started


def _best(fn, runs: int = 3) -> float:
    fastest = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        fastest = min(fastest, time.perf_counter() - t)
    return fastest


def bench_chain_map(tmp: Path) -> dict:
    path = tmp / "chain.assay"
    out: dict = {"chain_articles": N, "chain_import_s": build_chain_project(path)}
    with Project.open_for_reading(path, rules=store_rules()) as project:
        conn = project.conn
        out["chain_relations"] = conn.execute("SELECT count(*) FROM relations").fetchone()[0]
        scan = _best(lambda: conn.execute(
            "SELECT type, head_id, tail_id, count(*) FROM relations WHERE state != 'x' "
            "GROUP BY type, head_id, tail_id").fetchall())
        out["chain_relations_scan_s"] = scan
        cmap = read_map(project)
        out["chain_map_edges"] = len(cmap.edges)
        for name, flt in (("map", MapFilter()), ("lithium", MapFilter(mineral="lithium")),
                          ("year", MapFilter(since="2025-01-01", until="2025-12-31")),
                          ("suggestions", MapFilter(suggestions=True))):
            out[f"chain_read_{name}_s"] = _best(lambda f=flt: read_map(project, f))
            out[f"chain_read_{name}_vs_scan"] = out[f"chain_read_{name}_s"] / scan
        heaviest = cmap.edges[0].key
        out["chain_evidence_s"] = _best(lambda: evidence(project, heaviest))
    return out
