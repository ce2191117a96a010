"""Model suggestions for the small projects the statistics, window and report tests build:
every mention of a few country and mineral names, as a pre-annotator would make them."""

from __future__ import annotations

from core.models import SpanIn

NAMES = (("Chile", "GPE"), ("China", "GPE"), ("Indonesia", "GPE"), ("Lualaba", "GPE"),
         ("Australia", "GPE"), ("Perth", "GPE"), ("lithium", "MINERAL"), ("cobalt", "MINERAL"),
         ("nickel", "MINERAL"))


def model_span(text: str, words: str, label: str, nth: int = 0) -> SpanIn:
    """The ``nth`` mention of ``words`` in ``text`` as a model's suggestion."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return SpanIn(start, start + len(words), label, origin="model")


def suggestions(text: str, names: tuple[tuple[str, str], ...] = NAMES) -> list[SpanIn]:
    """Every mention of each name, in text order."""
    out = [model_span(text, words, label, i)
           for words, label in names for i in range(text.count(words))]
    return sorted(out, key=lambda s: s.start)
