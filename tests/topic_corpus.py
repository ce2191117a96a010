"""Small articles of our own with topics a reviewer approved, for the topic training tests:
two kinds of article (an export ban, a price report) whose words tell their topic apart."""

from __future__ import annotations

import random

from core.models import ArticleIn
from core.store import Project

COUNTRIES = ["Chile", "Canada", "Zambia", "Indonesia", "China", "Australia"]
MINERALS = ["lithium", "graphite", "nickel", "cobalt", "gallium", "germanium"]
BAN = "export controls"
PRICES = "prices and markets"


def article(i: int) -> tuple[str, str]:
    """Article ``i``'s text and its topic: even ones a ban, odd ones a price report."""
    rng = random.Random(i)
    country, mineral = rng.choice(COUNTRIES), rng.choice(MINERALS)
    if i % 2 == 0:
        return (f"Note {i}\n{country} announced an export ban on {mineral} and new licence "
                f"rules; shipments of {mineral} now need an export permit and quotas "
                "apply to every exporter.", BAN)
    return (f"Note {i}\n{mineral.capitalize()} prices rose this week as traders in "
            f"{country} saw demand climb; the spot price and futures markets for "
            f"{mineral} hit a yearly high.", PRICES)


def approve_with_topics(project: Project, n: int, first: int = 0) -> list[int]:
    """``n`` approved articles, each with its topic accepted by ana, and one country span."""
    items = [article(i) for i in range(first, first + n)]
    project.add_articles([ArticleIn(text=t, title=f"Note {first + k}")
                          for k, (t, _topic) in enumerate(items)])
    ids = project.article_ids()[-n:]
    for article_id, (text, topic) in zip(ids, items, strict=True):
        country = next(c for c in COUNTRIES if c in text)
        start = text.index(country)
        project.add_span(article_id, start, start + len(country), "GPE", "ana")
        project.set_article_topic(article_id, topic, True, "ana")
        project.approve_article(article_id, "ana")
    return ids
