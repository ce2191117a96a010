"""A seeded synthetic corpus of critical-minerals news, any size, with realistic entity density.

Sentences are assembled from templates we wrote and lists of entities, so
benchmarks need no real articles and the same seed gives the same corpus.
"""

from __future__ import annotations

import random

from core.models import ArticleIn, SpanIn

MINERALS = ["lithium", "cobalt", "nickel", "graphite", "rare earths", "copper", "manganese",
            "gallium", "germanium", "vanadium"]
COUNTRIES = ["Chile", "Australia", "China", "Indonesia", "the DRC", "Argentina", "Canada",
             "Japan", "the U.S.", "Brazil", "Bolivia", "Zambia"]
ORGS = ["the International Energy Agency", "the World Bank", "the European Commission",
        "the Minerals Security Partnership", "the U.S. Department of Energy", "Glencore",
        "Albemarle", "Rio Tinto"]
TEMPLATES = [
    "{org} said {country} could supply more {mineral} by {year}.",
    "Output of {mineral} in {country} rose {pct}% last year, according to {org}.",
    "{country} approved a ${money} million plant to refine {mineral} in {year}.",
    "Analysts expect demand for {mineral} and {mineral2} to keep growing.",
    "Exports from {country} to {country2} were steady, traders said.",
    "The project needs water, power and roads before it can ship any {mineral}.",
]


def sentence(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        org=rng.choice(ORGS), country=rng.choice(COUNTRIES), country2=rng.choice(COUNTRIES),
        mineral=rng.choice(MINERALS), mineral2=rng.choice(MINERALS),
        year=rng.randint(2020, 2040), pct=rng.randint(2, 80), money=rng.randint(5, 900),
    )


def article_text(rng: random.Random, words: int) -> str:
    """About ``words`` words in paragraphs of 3-6 sentences, under a headline."""
    parts = [f"{rng.choice(COUNTRIES).replace('the ', '').title()} and {rng.choice(MINERALS)}"]
    count = 0
    while count < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        count += len(paragraph.split())
        parts.append(paragraph)
    return "\n\n".join(parts)


def synthetic_articles(n: int, seed: int = 7, words: tuple[int, int] = (300, 900),
                       with_spans: bool = False) -> list[ArticleIn]:
    """``n`` articles with a unique id line each (so none are duplicates)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = f"Report {i}\n\n" + article_text(rng, rng.randint(*words))
        spans: tuple[SpanIn, ...] = ()
        if with_spans:
            spans = tuple(mineral_spans(text))
        out.append(ArticleIn(text=text, title=f"Report {i}", source="synthetic", spans=spans))
    return out


def mineral_spans(text: str, limit: int | None = None) -> list[SpanIn]:
    """Non-overlapping MINERAL spans for every mineral mention (for view/edit benchmarks)."""
    import re

    pattern = re.compile("|".join(re.escape(m) for m in MINERALS))
    spans = [SpanIn(m.start(), m.end(), "MINERAL") for m in pattern.finditer(text)]
    return spans[:limit] if limit else spans


def entity_spans(text: str, limit: int | None = None) -> list[SpanIn]:
    """Non-overlapping MINERAL, GPE and ORG spans for every mention, every third a suggestion.

    Denser than ``mineral_spans`` (a 100,000-character text has about 1,350
    mineral mentions but over 3,000 entities in all), and with two states, so the
    view formats several looks, as it does on a pre-annotated article.
    """
    import re

    names = sorted(MINERALS + COUNTRIES + ORGS, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names))
    labels = {**dict.fromkeys(MINERALS, "MINERAL"), **dict.fromkeys(COUNTRIES, "GPE"),
              **dict.fromkeys(ORGS, "ORG")}
    spans = [SpanIn(m.start(), m.end(), labels[m.group()],
                    state="suggested" if i % 3 == 0 else "accepted")
             for i, m in enumerate(pattern.finditer(text))]
    return spans[:limit] if limit else spans
