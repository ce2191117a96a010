"""What a figure in a sentence says, as a kind and a number, so two sentences can be compared.

"China refines 70 % of the world's cobalt" and "China refines 60 per cent of it" state
figures of the same kind (a percentage) that differ; "$2 billion" and "US$2,000 million"
are the same amount of the same currency; "40,000 tonnes" and "40 kt" the same mass.
The reviewer checking a claim wants the differing ones marked (``core.store.
claims_across``), and only figures of one kind can differ: a percentage is never
compared with tonnes, nor dollars with euros.

Deliberately simple, because a wrong "same" is worse than no mark:

* the first number of the figure counts ("60-70 %" is 60), with its multiplier
  ("1.2 million", "$3bn", "5 m tonnes");
* units are scaled into one per kind: tonnes (t, kt, Mt, kg), watt-hours (kWh…TWh),
  watts (kW…GW); ounces, pounds (of weight), barrels, litres, hectares and kilometres
  are kinds of their own;
* money is a kind per currency, by symbol, code or word ("$", "US$", "USD" and
  "dollars" are all US dollars; "A$" is Australian); a MONEY figure with no currency
  is a kind "money:?" compared only with others like it;
* a figure written in words ("seventy per cent") has no value and is never compared;
* two values are the same when they differ by at most half a percent of the larger
  (rounding: "1.2 million tonnes" is "1,200,000 tonnes").

Where the figures are: the MONEY, PERCENT, QUANTITY and CARDINAL entities in the
passage (the labels a scheme has), and the quantities the claim suggestions find
(``core.nlp.claim_candidates.QUANTITY``: "40,000 tonnes", "12%") that no such entity
covers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from core.nlp.claim_candidates import QUANTITY

FIGURE_LABELS = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
SAME_WITHIN = 0.005  # relative: half a percent of the larger value

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_MULTIPLIER = re.compile(
    r"\s*(?:-\s*)?(thousand|million|billion|trillion|mln|mn|bn|tn|m|b|k)\b", re.IGNORECASE)
_MULTIPLIERS = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
                "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
# (pattern, kind, factor) tried in order right after the number and multiplier; the
# short symbols are case-sensitive (Mt is a megatonne, mt a metric ton).
_UNITS: list[tuple[re.Pattern[str], str, float]] = [
    (re.compile(p, flags), kind, factor) for p, flags, kind, factor in (
        (r"%|per\s*cent\b|percent\b|pct\b", re.IGNORECASE, "percent", 1.0),
        (r"(?:metric\s+)?(?:tonnes?|tons?)\b", re.IGNORECASE, "tonnes", 1.0),
        (r"mt\b|t\b", 0, "tonnes", 1.0),
        (r"kt\b|kilotonnes?\b", 0, "tonnes", 1e3),
        (r"Mt\b|megatonnes?\b", 0, "tonnes", 1e6),
        (r"kg\b|kilograms?\b", re.IGNORECASE, "tonnes", 1e-3),
        (r"kWh\b", 0, "watt-hours", 1e3), (r"MWh\b", 0, "watt-hours", 1e6),
        (r"GWh\b", 0, "watt-hours", 1e9), (r"TWh\b", 0, "watt-hours", 1e12),
        (r"kW\b", 0, "watts", 1e3), (r"MW\b", 0, "watts", 1e6), (r"GW\b", 0, "watts", 1e9),
        (r"ounces?\b|oz\b", re.IGNORECASE, "ounces", 1.0),
        (r"lbs?\b|pounds?\b", re.IGNORECASE, "pounds", 1.0),
        (r"barrels?\b|bbl\b", re.IGNORECASE, "barrels", 1.0),
        (r"litres?\b|liters?\b", re.IGNORECASE, "litres", 1.0),
        (r"hectares?\b|ha\b", re.IGNORECASE, "hectares", 1.0),
        (r"km\b|kilomet(?:re|er)s?\b", re.IGNORECASE, "km", 1.0),
    )]
# Currency by symbol or code (before or after the number) or by word (after it).
_CURRENCIES = [(re.compile(p, re.IGNORECASE), code) for p, code in (
    (r"\bA\$|\bAU\$|\bAUD\b|australian dollars?", "AUD"),
    (r"\bC\$|\bCA\$|\bCAD\b|canadian dollars?", "CAD"),
    (r"\bUS\$|\bUSD\b|\$|dollars?\b", "USD"),
    (r"€|\bEUR\b|euros?\b", "EUR"),
    (r"£|\bGBP\b|pounds?\b|sterling\b", "GBP"),
    (r"\bCNY\b|\bRMB\b|yuan\b|renminbi\b", "CNY"),
    (r"¥|\bJPY\b|\byen\b", "JPY"),
    (r"\bINR\b|rupees?\b|₹", "INR"),
)]


@dataclass(frozen=True)
class Figure:
    """A figure as written, its kind ("percent", "tonnes", "money:USD", …) and value.

    ``value`` is None when the figure has no digits to read; such a figure is shown but
    never compared."""

    text: str
    kind: str
    value: float | None
    start: int = 0  # where it is in the article text
    end: int = 0


def parse_figure(text: str, label: str = "", start: int = 0) -> Figure:
    """The kind and value of one figure's text; ``label`` is its entity's, if any."""
    number = _NUMBER.search(text)
    end = start + len(text)
    if number is None:
        return Figure(text, _kind_without_number(text, label), None, start, end)
    value = float(number.group(1).replace(",", "") + (number.group(2) or ""))
    rest = text[number.end():]
    multiplier = _MULTIPLIER.match(rest)
    if multiplier and not _unit_at(rest, multiplier.start(1)):
        value *= _MULTIPLIERS[multiplier.group(1).lower()]
        rest = rest[multiplier.end():]
    if label == "MONEY":
        return Figure(text, f"money:{_currency(text) or '?'}", value, start, end)
    unit = _unit_at(rest.lstrip(), 0)
    if unit is not None:
        kind, factor = unit
        return Figure(text, kind, value * factor, start, end)
    if label == "PERCENT":
        return Figure(text, "percent", value, start, end)
    return Figure(text, "number", value, start, end)


def _unit_at(text: str, at: int) -> tuple[str, float] | None:
    for pattern, kind, factor in _UNITS:
        if pattern.match(text, at):
            return kind, factor
    return None


# A dollar with a country's letters ("HK$", "S$", "NZ$", "R$") that the table does not
# know is its own currency, not a US dollar: a wrong "same" is worse than no mark.
_PREFIXED_DOLLAR = re.compile(r"\b([A-Z]{1,3})\$")


def _currency(text: str) -> str | None:
    prefixed = _PREFIXED_DOLLAR.search(text)
    if prefixed and prefixed.group(1) not in ("US", "A", "AU", "C", "CA"):
        return f"{prefixed.group(1)}$"
    for pattern, code in _CURRENCIES:
        if pattern.search(text):
            return code
    return None


def _kind_without_number(text: str, label: str) -> str:
    if label == "MONEY":
        return f"money:{_currency(text) or '?'}"
    if label == "PERCENT":
        return "percent"
    return "number"


def figures_in(text: str, start: int, end: int,
               spans: Iterable[tuple[int, int, str]]) -> list[Figure]:
    """The figures of ``text[start:end]`` in text order, given the article's live
    ``(start, end, label)`` entities: those of FIGURE_LABELS inside the passage, then the
    quantities no such entity covers."""
    found = [parse_figure(text[s:e], label, s) for s, e, label in spans
             if label in FIGURE_LABELS and start <= s and e <= end]
    for match in QUANTITY.finditer(text, start, end):
        s, e = match.span()
        if not any(f.start < e and s < f.end for f in found):
            found.append(parse_figure(match.group(0), "", s))
    return sorted(found, key=lambda f: f.start)


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_WITHIN * max(abs(a), abs(b))


class Comparable(Protocol):
    """What ``compare`` reads of a figure (a ``Figure``, or any record with these)."""

    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> float | None: ...


def compare(figure: Comparable, reference: Sequence[Comparable]) -> str:
    """"same" if a reference figure of its kind has its value, "differs" if some have
    that kind and none has its value, "" if none can be compared with it. Bare numbers
    and money of an unknown currency are never compared: "3 mines" is not "12 plants"."""
    if figure.value is None or figure.kind in ("number", "money:?"):
        return ""
    values = [r.value for r in reference if r.kind == figure.kind and r.value is not None]
    if not values:
        return ""
    return "same" if any(same_value(figure.value, v) for v in values) else "differs"
