"""Getting to an entity in a few keys: the next undecided suggestion, the next entity of a
label, and type-to-jump (find as you type), as pure functions of the article's spans.

A reviewer's keys go mostly into *reaching* entities, one Tab per entity before the one
they want. These rules give every front end the same shortcuts: each takes where the
reviewer is (the selected entity, else the text cursor) and returns where to go.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.models import Span


@dataclass(frozen=True)
class Target:
    """Where a jump lands: an entity (``span_id``) or a passage of plain text to label."""

    start: int
    end: int
    span_id: int | None = None


def _step(candidates: Sequence[Span], here: Span | None, offset: int, step: int,
          wrap: bool = True) -> Span | None:
    """The candidate after (``step`` 1) or before (-1) the selected span or the offset,
    wrapping round (with ``wrap``); None when there is none."""
    if not candidates:
        return None
    ordered = sorted(candidates, key=lambda s: (s.start, s.end, s.id))
    key = (here.start, here.end, here.id) if here is not None else (offset, offset, -1)
    if step > 0:
        after = [s for s in ordered if (s.start, s.end, s.id) > key]
        return after[0] if after else (ordered[0] if wrap else None)
    before = [s for s in ordered if (s.start, s.end, s.id) < key]
    return before[-1] if before else (ordered[-1] if wrap else None)


def next_undecided(spans: Sequence[Span], here: Span | None, offset: int,
                   step: int = 1) -> Span | None:
    """The next (or previous) suggestion nobody has accepted or rejected yet. It never
    wraps round: at the end of the article the reviewer stays where they are (and is told,
    ``nothing_further``) instead of being thrown back to the top."""
    return _step([s for s in spans if s.state == "suggested"], here, offset, step, wrap=False)


def next_entity(spans: Sequence[Span], here: Span | None, step: int = 1) -> Span | None:
    """Enter's move after accepting: the next live entity, without wrapping round."""
    return _step([s for s in spans if s.live], here, 0, step, wrap=False)


def nothing_further(spans: Sequence[Span], here: Span | None, step: int = 1) -> str:
    """What the reviewer is told when Space (``step`` 1), Shift+Space (-1) or Enter finds
    nothing further that way: that the article is done, or where the suggestions left are."""
    others = [s for s in spans if s.state == "suggested" and (here is None or s.id != here.id)]
    if not others:
        if here is not None and here.state == "suggested":
            return "This is the last suggestion: decide it, then A approves."
        return "No suggestions left — A approves."
    n = len(others)
    many = "s" if n > 1 else ""
    if step > 0:
        return (f"No suggestions after this one; {n} earlier suggestion{many} still "
                "undecided — Shift+Space goes back.")
    return (f"No suggestions before this one; {n} later suggestion{many} still "
            "undecided — Space goes on.")


def next_of_label(spans: Sequence[Span], label: str, here: Span | None, offset: int,
                  step: int = 1) -> Span | None:
    """The next (or previous) live entity with ``label``."""
    return _step([s for s in spans if s.live and s.label == label], here, offset, step)


def find_next(text: str, spans: Sequence[Span], query: str, start_at: int,
              snap: Callable[[int, int], tuple[int, int] | None], step: int = 1,
              ) -> Target | None:
    """Type-to-jump: the first place at or after ``start_at`` (before it, with ``step`` -1;
    wrapping round) where a word starts with ``query``, case-insensitively.

    Inside a live entity it lands on the entity (to relabel, reject or fix it); in plain
    text on the words the query covers, snapped to whole tokens with ``snap``, ready to
    be labelled as a missed entity.
    """
    if not query.strip():
        return None
    haystack, needle = text.lower(), query.lower()
    if len(haystack) != len(text):  # lowering changed a length (İ): offsets must stay right
        haystack, needle = text, query
    hits = []
    i = haystack.find(needle)
    while i != -1:
        if i == 0 or not text[i - 1].isalnum():
            hits.append(i)
        i = haystack.find(needle, i + 1)
    if not hits:
        return None
    if step > 0:
        later = [h for h in hits if h >= start_at]
        hit = later[0] if later else hits[0]
    else:
        earlier = [h for h in hits if h < start_at]
        hit = earlier[-1] if earlier else hits[-1]
    inside = next((s for s in spans if s.live and s.start <= hit < s.end), None)
    if inside is not None:
        return Target(inside.start, inside.end, inside.id)
    snapped = snap(hit, hit + len(needle))
    if snapped is None:
        return None
    return Target(*snapped)
