"""Span hygiene for a model span: what is around a name but not part of it.

Punctuation, quotes and spaces at the edges, a trailing possessive, a leading "the" (not in
DATE/TIME), a hedge before an amount or date ("over 70%"), a designator after a place
("Jiangxi province"), titles and honours around a PERSON, phrases that lead into a name
("According to", "Members of"), particles at its end, and words that are not names at all
(``STOPLIST``, ``NOT_DATES``). Apart from the component because the conflict rule cleans
again what it cuts (rule 4).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from core.nlp.name_words import LEADING_PHRASES, POST_NOMINALS, TITLE_WORDS
from core.nlp.pipeline.words import (
    APPROXIMATORS,
    DESIGNATORS,
    KEEP_THE,
    NAME_PARTICLES,
    NOT_DATES,
    NUMERIC_LABELS,
    PLACE_LABELS,
    POSSESSIVE,
    STOPLIST,
    THE_IN_NAME,
)


def _strippable(token: Token) -> bool:
    return token.is_space or (token.is_punct and token.text != "%")


def clean(doc: Doc, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Apply the span rules to a model span; None if nothing that is a name is left."""
    while True:
        before = (start, end)
        while start < end and _strippable(doc[start]):
            start += 1
        while start < end and (_strippable(doc[end - 1]) or doc[end - 1].text in POSSESSIVE):
            end -= 1
        if label in NUMERIC_LABELS:
            start = skip_approximator(doc, start, end)
        if label not in NUMERIC_LABELS:
            start = skip_leading_phrase(doc, start, end)
            while end - 1 > start and doc[end - 1].lower_ in NAME_PARTICLES:
                end -= 1  # "Smackover Formation of": a name never ends in a particle
        if label in PLACE_LABELS:
            while end - 1 > start and doc[end - 1].text in DESIGNATORS:
                end -= 1
        if label == "PERSON":
            while start < end - 1 and doc[start].text in TITLE_WORDS:
                start += 1
            while end - 1 > start and doc[end - 1].text in POST_NOMINALS:
                end -= 1
        if (
            end - start > 1
            and label not in KEEP_THE
            and doc[start].lower_ == "the"
            and doc[start:end].text.lower() not in THE_IN_NAME
        ):
            start += 1
        if (start, end) == before:
            break
    if start >= end:
        return None
    text = doc[start:end].text
    if not any(ch.isalnum() for ch in text) or text.casefold() in STOPLIST:
        return None
    if label == "DATE" and text.lower() in NOT_DATES:
        return None
    return start, end


def skip_approximator(doc: Doc, start: int, end: int) -> int:
    """Start of the span after a leading hedge ("over", "more than"), if one is there."""
    for phrase in APPROXIMATORS:
        stop = start + len(phrase)
        if stop < end and tuple(t.lower_ for t in doc[start:stop]) == phrase:
            return stop
    return start


def skip_leading_phrase(doc: Doc, start: int, end: int) -> int:
    """Start of a name span after a phrase that leads into it ("According to the ...")."""
    for phrase in LEADING_PHRASES:
        stop = start + len(phrase)
        if stop < end and tuple(t.lower_ for t in doc[start:stop]) == phrase:
            if stop + 1 < end and doc[stop].lower_ == "the":
                stop += 1
            return stop
    return start
