"""Span matching counts, shared by everything that compares two sets of spans.

A leaf (no other ``core`` imports): reviewers against reviewers (``core.teams``) and a
pre-annotator against reviewed spans (``core.nlp.evaluate``) are counted by the same rule,
so "agreement" and "suggestion quality" mean the same thing.
"""

from __future__ import annotations

Span3 = tuple[int, int, str]  # (start, end, label)


def f1_exact(a: set[Span3], b: set[Span3]) -> tuple[int, int, int]:
    """(matches, |A|, |B|) for exact matching."""
    return len(a & b), len(a), len(b)


def f1_from(matches: int, na: int, nb: int) -> float | None:
    """F1 from the counts; None when neither side has a span (nothing to agree on)."""
    return None if na + nb == 0 else 2 * matches / (na + nb)
