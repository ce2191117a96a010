"""A project for the supply-chain map (issue 27): provinces, kb ids and spellings to merge,
two reviewers, three dates, a pending article with suggestions and a rejected one."""

from __future__ import annotations

from pathlib import Path

from core.models import ArticleIn
from core.nlp.store_rules import store_rules
from core.store import Project

# (text, published, reviewer or None: pending / "rejected", entities as (text, nth, label,
# kb id), relations as (head index, type, tail index, state))
ARTICLES = [
    ("Australia is a leading producer of lithium. Australia exports lithium to China.",
     "2024-03-01", "ana",
     [("Australia", 0, "GPE", "AUS"), ("lithium", 0, "MINERAL", "mineral:lithium"),
      ("Australia", 1, "GPE", "AUS"), ("lithium", 1, "MINERAL", "mineral:lithium"),
      ("China", 0, "GPE", "CHN")],
     [(0, "PRODUCES", 1, "accepted"), (2, "SUPPLIES", 3, "accepted"),
      (2, "SUPPLIES", 4, "accepted")]),
    ("Western Australia mines lithium. China processes lithium and nickel.",
     "2024-06-01", "bo",
     [("Western Australia", 0, "GPE", "AU-WA"), ("lithium", 0, "MINERAL", "mineral:lithium"),
      ("China", 0, "GPE", "CHN"), ("lithium", 1, "MINERAL", "mineral:lithium"),
      ("nickel", 0, "MINERAL", "mineral:nickel")],
     [(0, "PRODUCES", 1, "accepted"), (2, "PROCESSES", 3, "accepted"),
      (2, "PROCESSES", 4, "accepted")]),
    ("The Export-Import Bank funds Lynas. Lynas processes rare earths in Malaysia.",
     "2025-01-10", "ana",
     [("Export-Import Bank", 0, "ORG", "org:exim-us"), ("Lynas", 0, "ORG", None),
      ("Lynas", 1, "ORG", None), ("rare earths", 0, "MINERAL", "mineral:ree")],
     [(0, "FUNDS", 1, "accepted"), (2, "PROCESSES", 3, "accepted")]),
    ("EXIM financed the LYNAS plant.", "2025-02-01", "ana",
     [("EXIM", 0, "ORG", "org:exim-us"), ("LYNAS", 0, "ORG", None)],
     [(0, "FUNDS", 1, "accepted")]),
    ("Indonesia exports nickel to China.", "2025-03-01", None,
     [("Indonesia", 0, "GPE", "IDN"), ("nickel", 0, "MINERAL", "mineral:nickel"),
      ("China", 0, "GPE", "CHN")],
     [(0, "SUPPLIES", 1, "suggested"), (0, "SUPPLIES", 2, "suggested")]),
    ("Chile produces lithium.", "2025-04-01", "rejected",
     [("Chile", 0, "GPE", "CHL"), ("lithium", 0, "MINERAL", "mineral:lithium")],
     [(0, "PRODUCES", 1, "accepted")]),
]

AUS, CHN, LITHIUM = "country:AUS", "country:CHN", "mineral:mineral:lithium"
EXIM, LYNAS = "organisation:org:exim-us", "organisation:~lynas"


def build(folder: Path) -> Path:
    path = folder / "chain.assay"
    with Project.create(path, rules=store_rules()) as project:
        project.add_articles([ArticleIn(text=t, title=f"Article {i}", published=d)
                              for i, (t, d, *_rest) in enumerate(ARTICLES, 1)])
        for article_id, (text, _d, reviewer, entities, relations) in enumerate(ARTICLES, 1):
            ids = []
            for part, nth, label, kb_id in entities:
                at = -1
                for _ in range(nth + 1):
                    at = text.index(part, at + 1)
                ids.append(project.add_span(article_id, at, at + len(part), label, "ana",
                                            kb_id=kb_id).id)
            for head, kind, tail, state in relations:
                project.add_relation(article_id, ids[head], ids[tail], kind, "ana",
                                     state=state,
                                     origin="model" if state == "suggested" else "reviewer")
            if reviewer == "rejected":
                project.set_article_status(article_id, "rejected", "ana")
            elif reviewer:
                project.approve_article(article_id, reviewer)
    return path
