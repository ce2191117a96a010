"""Annotate all occurrences: where else the same text stands as whole tokens, free of spans.

The most requested feature in doccano's, Label Studio's and Argilla's trackers. The rule,
for every front end: an occurrence is the exact text (same case), starting and ending on
token edges (so "Chile" never matches inside "Chilean"), overlapping no span at all — not
a live one, and not a rejected one either (a reviewer already said no there).

Across articles (Ctrl+Shift+O) the rule reaches the open article and every *pending*
one: an approved or rejected article was decided by someone, and labelling into it
would change what they approved behind their back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Span
from core.store import ArticleFilter, Project
from core.text.tokens import token_offsets

Place = tuple[int, int, int]  # (article id, start, end): where a span is to be added


def occurrences(text: str, needle: str, tokens: Sequence[tuple[int, int]],
                spans: Sequence[Span]) -> list[tuple[int, int]]:
    """``(start, end)`` of every free, token-aligned occurrence of ``needle`` in ``text``."""
    if not needle.strip():
        return []
    starts = {start for start, _ in tokens}
    ends = {end for _, end in tokens}
    taken = sorted((s.start, s.end) for s in spans)
    found: list[tuple[int, int]] = []
    i = text.find(needle)
    while i != -1:
        j = i + len(needle)
        if i in starts and j in ends and not any(a < j and i < b for a, b in taken):
            found.append((i, j))
            taken.append((i, j))
            i = text.find(needle, j)
        else:
            i = text.find(needle, i + 1)
    return found


def same_suggestions(spans: Sequence[Span], like: Span) -> list[Span]:
    """The undecided suggestions with ``like``'s text and label (to reject them together)."""
    return [s for s in spans if s.state == "suggested" and s.text == like.text
            and s.label == like.label]


def places_in_article(article_id: int, text: str, tokens: Sequence[tuple[int, int]],
                      spans: Sequence[Span], like: Span) -> list[Place]:
    """The free occurrences of ``like``'s text in one article (O), as places to label."""
    return [(article_id, a, b) for a, b in occurrences(text, like.text, tokens, spans)]


@dataclass(frozen=True)
class Spread:
    """Where labelling across pending articles puts spans, and in how many articles."""

    places: list[Place]
    articles: int


def places_in_pending(project: Project, like: Span, text: str,
                      tokens: Sequence[tuple[int, int]], spans: Sequence[Span]) -> Spread:
    """Ctrl+Shift+O: the free occurrences of ``like``'s text in its own article (given as
    the caller holds it: ``text``, ``tokens``, ``spans``, whatever its status) and in every
    other pending article (the full-text index finds the candidates; an article whose
    tokens were never stored is tokenised here)."""
    ids = project.article_ids(ArticleFilter(status="pending", search=like.text))
    places = places_in_article(like.article_id, text, tokens, spans, like)
    articles = 1 if places else 0
    for article_id, other in project.article_texts([i for i in ids if i != like.article_id]):
        if like.text not in other:
            continue
        found = places_in_article(article_id, other,
                                  project.tokens(article_id) or token_offsets(other),
                                  project.spans(article_id), like)
        places += found
        articles += bool(found)
    return Spread(places, articles)
