"""The rule of a *fact*: one sentence naming a linked country (or a province of one) and a
mineral. Written once here for the facts export, the statistics' country × mineral
cells and what the corpus says about a claim.

A GPE/NORP entity counts when it is linked to an ISO 3166 code: a country (``IDN``) or a
province or state (``CD-LU``, whose country is ``COD``). An unlinked place (a city such
as "Kolwezi") would be a row nobody can join on and is left out. A pair is given once per
sentence (by id, or by text for an unlinked mineral); spans that cross a sentence
boundary are not paired.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from core.models import Span
from core.text.kb_ids import COUNTRY_LABELS, country_of
from core.text.sentences import SentenceIndex


class Fact(NamedTuple):
    start: int  # the sentence's bounds in the article text
    end: int
    country: Span
    mineral: Span

    @property
    def country_id(self) -> str:
        return country_of(self.country.kb_id) or ""


def facts(text: str, spans: Iterable[Span], index: SentenceIndex | None = None
          ) -> Iterator[Fact]:
    """Each sentence's co-named (country, mineral) pairs, in text order (``index``: the
    text's sentences, when the caller keeps them)."""
    index = index or SentenceIndex(text)
    by_sentence: dict[int, tuple[list[Span], list[Span]]] = {}
    for s in spans:
        if s.label != "MINERAL" and not (s.label in COUNTRY_LABELS and country_of(s.kb_id)):
            continue
        i = index.index_of(s.start, s.end)
        if i is not None:
            slot = by_sentence.setdefault(i, ([], []))
            slot[1 if s.label == "MINERAL" else 0].append(s)
    for i in sorted(by_sentence):
        countries, minerals = by_sentence[i]
        start, end = index.bounds[i]
        seen: set[tuple[str, str]] = set()
        for c in countries:
            for m in minerals:
                key = (c.kb_id or c.text, m.kb_id or m.text)
                if key not in seen:
                    seen.add(key)
                    yield Fact(start, end, c, m)
