"""A small project with relations, for the exports that carry them (Label Studio, brat,
spaCy): text with an emoji, accents, curly quotes, a line break inside an entity and a
U+2028 line separator, kb links, a symmetric relation, a rejected one, an approved
article without relations and a pending one with suggestions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project

REPO = Path(__file__).resolve().parents[1]
R = "ana"
RICH = ("\U0001F30F Australia and Japan signed a rare earths pact.\n"
        "China processes 70% of rare earths; Québec’s lithium feeds Tesla.\u2028"
        "Lynas Rare\nEarths Ltd. operates in Malaysia.")
PLAIN = "Chile mines copper. Nothing else happened."
PENDING = "Indonesia exports nickel to China."

# (text, label, kb id) of the rich article's accepted entities, in text order.
RICH_ENTITIES = [
    ("Australia", "GPE", "AUS"), ("Japan", "GPE", "JPN"),
    ("rare earths", "MINERAL", None), ("China", "GPE", "CHN"),
    ("rare earths", "MINERAL", None), ("Québec", "GPE", "CA-QC"),
    ("lithium", "MINERAL", None), ("Tesla", "ORG", "org:tesla"),
    ("Lynas Rare\nEarths Ltd.", "ORG", "org:lynas"), ("Malaysia", "GPE", "MYS"),
]
# The accepted relations of the rich article: (head index, type, tail index) into the above.
RICH_RELATIONS = [(0, "PARTNERS_WITH", 1), (3, "PROCESSES", 4), (5, "PRODUCES", 6),
                  (5, "SUPPLIES", 7), (8, "LOCATED_IN", 9)]


def _place(text: str, part: str, nth: int) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(part, at + 1)
    return at


def build(folder: Path) -> Project:
    """Article 1 (RICH) approved with RICH_RELATIONS and a rejected FUNDS; article 2 (PLAIN)
    approved without relations; article 3 (PENDING) with suggested spans and relations,
    one of them to an accepted entity."""
    project = Project.create(folder / "relations.assay", rules=store_rules())
    project.add_articles([ArticleIn(text=t, title=f"T{i}") for i, t in
                          enumerate((RICH, PLAIN, PENDING), 1)])
    seen: dict[str, int] = {}
    ids = []
    for part, label, kb_id in RICH_ENTITIES:
        start = _place(RICH, part, seen.get(part, 0))
        seen[part] = seen.get(part, 0) + 1
        ids.append(project.add_span(1, start, start + len(part), label, R, kb_id=kb_id).id)
    for head, kind, tail in RICH_RELATIONS:
        project.add_relation(1, ids[head], ids[tail], kind, R)
    project.add_relation(1, ids[0], ids[7], "FUNDS", R, state="rejected")
    project.approve_article(1, R)
    chile = project.add_span(2, 0, 5, "GPE", R, kb_id=None).id
    assert chile
    project.approve_article(2, R)
    spans = {}
    for part, label, state in (("Indonesia", "GPE", "suggested"), ("nickel", "MINERAL",
                                                                     "suggested"),
                               ("China", "GPE", "accepted")):
        start = PENDING.index(part)
        spans[part] = project.add_span(3, start, start + len(part), label, R, state=state,
                                       origin="reviewer" if state == "accepted" else "model",
                                       kb_id=None).id
    project.add_relation(3, spans["Indonesia"], spans["nickel"], "SUPPLIES", R,
                         state="suggested", origin="model")
    project.add_relation(3, spans["Indonesia"], spans["China"], "SUPPLIES", R,
                         state="suggested", origin="model")
    return project


def triples(project: Project, article_id: int, states: tuple[str, ...] = ("accepted",)
            ) -> set[tuple[tuple[int, int, str], str, tuple[int, int, str]]]:
    """The article's live relations in ``states`` as ((start, end, label), type, (start,
    end, label)) of their ends: what every export must carry."""
    spans = {s.id: (s.start, s.end, s.label) for s in project.spans(article_id)}
    return {(spans[r.head_id], r.type, spans[r.tail_id])
            for r in project.relations(article_id, include_dead=False) if r.state in states}


def assay_cli(*args: str) -> subprocess.CompletedProcess:
    """``assay-cli ARGS`` in a process of its own, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=300, check=False)
