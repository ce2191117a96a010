"""Which sentences are worth fact-checking: the ones that state a figure.

A reviewer cannot check every sentence, but a number is checkable and is what
goes wrong in supply-chain reporting (output, reserves, prices, investment,
market shares, deadlines). A sentence is suggested as a claim when it has

* a MONEY or PERCENT entity,
* a quantity: a number with a unit of mass, energy, power or volume
  ("60,000 tonnes", "35 GWh", "1.2 million ounces"), or
* a DATE entity with a digit in it ("3 May 2025", not "many months") together
  with another entity (who did what, when).

Suggestions are made from the stored text and entities, not by a model, so the
reviewer's corrections count and the pass runs in the review window too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from core.text.sentences import sentence_bounds

FIGURE_LABELS = ("MONEY", "PERCENT")
_UNITS = (
    r"(?:metric\s+)?(?:tonnes?|tons?|t|kt|Mt|kilotonnes?|megatonnes?|kg|kilograms?|grams?|"
    r"ounces|oz|lbs?|pounds|GWh|MWh|TWh|kWh|GW|MW|kW|barrels|bbl|litres?|liters?|"
    r"hectares?|km|kilometres?|kilometers?|per\s*cent|percent)"
)
# A number ("40,000", "1.2", "35") never ends in a comma, so "In 2024, Mt Holland" is no
# quantity; a unit followed by a capitalised name or a hyphen is a name ("Mt Weld") or a
# compound ("2024 t-shirt"), not a unit.
_NUMBER = r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
QUANTITY = re.compile(
    _NUMBER + r"\s*(?:-\s*)?(?:(?:thousand|million|billion|trillion|m|bn)\s+)?"
    + _UNITS + r"(?![\w-])(?!(?-i:\s+[A-Z][a-z]))"
    r"|" + _NUMBER + r"\s?%",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class CandidateClaim:
    """A sentence to suggest as a claim, and why."""

    start: int
    end: int
    reason: str


def candidate_claims(
    text: str, spans: Iterable[tuple[int, int, str]]
) -> list[CandidateClaim]:
    """Sentences of ``text`` that state a figure, given its live ``(start, end, label)`` spans."""
    by_sentence: dict[int, list[tuple[int, int, str]]] = {}
    bounds = sentence_bounds(text)
    starts = [s for s, _e in bounds]
    for start, end, label in spans:
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= bounds[i][1]:
            by_sentence.setdefault(i, []).append((start, end, label))
    out: list[CandidateClaim] = []
    for i, (s, e) in enumerate(bounds):
        reason = _reason(text, s, e, by_sentence.get(i, []))
        if reason:
            out.append(CandidateClaim(s, e, reason))
    return out


def _reason(text: str, s: int, e: int, spans: list[tuple[int, int, str]]) -> str:
    for start, end, label in spans:
        if label in FIGURE_LABELS:
            return f"{label}: {text[start:end]}"
    quantity = QUANTITY.search(text, s, e)
    if quantity:
        return f"quantity: {quantity.group(0).strip()}"
    # "many months" or "decades" state no checkable time; "3 May 2025" and "2024" do.
    dates = [(a, b) for a, b, label in spans if label == "DATE" and _DIGIT.search(text, a, b)]
    if dates and any(label != "DATE" for _a, _b, label in spans):
        a, b = dates[0]
        return f"DATE with an entity: {text[a:b]}"
    return ""
