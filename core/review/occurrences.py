"""Annotate all occurrences: where else the same text stands as whole tokens, free of spans.

The most requested feature in doccano's, Label Studio's and Argilla's trackers. The rule,
for every front end: an occurrence is the exact text (same case), starting and ending on
token edges (so "Chile" never matches inside "Chilean"), overlapping no span at all — not
a live one, and not a rejected one either (a reviewer already said no there).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.models import Span


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
