"""Pages of an article made from a paged source (a PDF): each page's start offset in the
stored text, checked once on the way into the store, and the page an offset falls on, so a
reviewer and an export can cite the page of an entity.

Page starts are Python character offsets like every other offset, one per page in page
order, never decreasing (a page that gave no text starts where the next one does), each
within the text.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence


def page_problem(starts: Sequence[int], length: int) -> str:
    """Why ``starts`` cannot be the page starts of a text of ``length`` characters, or ""."""
    if not all(type(n) is int for n in starts):
        return "Its page starts are not whole numbers."
    if any(n < 0 or n > length for n in starts):
        return "A page starts outside its text."
    if any(b < a for a, b in zip(starts, starts[1:], strict=False)):
        return "Its pages are not in order."
    return ""


def encode_pages(starts: Sequence[int]) -> str | None:
    """How the store keeps page starts (``articles.pages``): a JSON list, None for none."""
    return json.dumps(list(starts), separators=(",", ":")) if starts else None


def page_at(starts: Sequence[int], offset: int) -> int | None:
    """The page (1-based) whose text holds ``offset``, or None for a text without pages.
    Where pages start at the same offset (pages that gave no text), the last of them."""
    if not starts:
        return None
    return max(1, bisect.bisect_right(starts, offset))
