"""Amounts: where a MONEY or PERCENT span starts and ends.

The small model cuts amounts short or glues two together: a currency sign or ISO code
before ("$" + "12,180", "SAR" + "2 billion"), a currency word or price unit after ("420
billion" + "won", "$12,180" + "a tonne"), "per cent" making a PERCENT, and two amounts
joined by "and"/"to"/"or" being two spans ("10% to 14%"). Token arithmetic on a ``Doc``
only, so the component and the patterns' MONEY share it.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from core.nlp.name_words import CURRENCY_CODES
from core.nlp.pipeline.words import CURRENCY_SIGN, CURRENCY_WORDS, PRICE_UNIT_TOKENS


def is_percent(doc: Doc, end: int) -> bool:
    """A number span that ends in "per cent" or "percent" is a PERCENT."""
    last = doc[max(0, end - 2) : end].text.lower()
    return last == "per cent" or last.endswith("percent")


def money_extent(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A MONEY span with the currency sign or code before it and a currency word or price
    unit after it."""
    if start > 0 and (CURRENCY_SIGN.match(doc[start - 1].text) or doc[start - 1].text in
                      CURRENCY_CODES) and not doc[start - 1].is_space:
        start -= 1
    if end < len(doc) and doc[end].lower_ in CURRENCY_WORDS and (
            doc[end - 1].like_num or doc[end - 1].lower_ in ("million", "billion", "trillion")):
        end += 1
    if end + 1 < len(doc) and doc[end].lower_ in ("a", "an", "per"):
        for unit in PRICE_UNIT_TOKENS:
            stop = end + 1 + len(unit)
            if stop <= len(doc) and tuple(t.text.lower() for t in doc[end + 1 : stop]) == \
                    tuple(u.lower() for u in unit):
                return start, stop
    return start, end


def split_amounts(doc: Doc) -> Iterator[tuple[int, int, str]]:
    """The model's entities, with two amounts glued by "and", "to" or "or" split in two:
    "10% to 14%", "MXN 6 billion and 350 billion won" (each amount is a span)."""
    for ent in doc.ents:
        start = ent.start
        if ent.label_ in ("MONEY", "PERCENT"):
            for i in range(ent.start + 1, ent.end - 1):
                if doc[i].lower_ in ("and", "to", "or") and \
                        any(t.like_num or t.text[-1:].isdigit() for t in doc[start:i]) and \
                        any(t.like_num or t.text[-1:].isdigit() for t in doc[i + 1 : ent.end]):
                    yield start, i, ent.label_
                    start = i + 1
        yield start, ent.end, ent.label_
