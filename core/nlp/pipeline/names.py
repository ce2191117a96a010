"""Names: where a company, person or law ends, and what is a title's part, not a name.

A company takes its legal suffixes ("Co., Ltd.") and ends at one followed by a capitalised
word; a PERSON takes the rest of a name the model cut ("Khalid Al" + "-Mudaifer", "Ursula"
+ "von der Leyen"); a model ORG or GPE that belongs to a title ("Energy Secretary",
"Minister of Industry") is not a name; a model LAW or EVENT with a number and no head word
("HUF 38 billion") is not one either. Token arithmetic on a ``Doc`` only, shared by the
component's model spans, its gazetteer matches and the ORG patterns.
"""

from __future__ import annotations

from spacy.tokens import Doc

from core.nlp.name_words import (
    COMPANY_SUFFIXES,
    DEPARTMENT_WORDS,
    EVENT_HEADS,
    LAW_HEADS,
    TITLE_WORDS,
    TITLES,
)
from core.nlp.pipeline.words import ENDING_SUFFIXES, NAME_PARTICLES


def suffix_end(doc: Doc, end: int) -> int:
    """The end of an organisation name with its legal suffixes ("Co., Ltd.", "Pty Ltd")."""
    while end < len(doc):
        if doc[end].text in COMPANY_SUFFIXES and doc[end].text != "Corporation":
            end += 1
        elif (doc[end].text == "." and doc[end - 1].text + "." in COMPANY_SUFFIXES
              and doc[end - 1].idx + len(doc[end - 1].text) == doc[end].idx):
            end += 1  # "Ltda" + "." at a sentence end: the tokenizer split the suffix's dot
        elif (doc[end].text == "," and end + 1 < len(doc) and doc[end - 1].text in
              COMPANY_SUFFIXES and doc[end + 1].text in ("Ltd.", "Ltd", "Inc.", "Limited")):
            end += 2
        else:
            break
    return end


def end_at_inner_suffix(doc: Doc, start: int, end: int) -> int:
    """A model ORG ends at a legal suffix inside it that is followed by a capitalised word
    (not "and" or another suffix): the model glued the next words to the company."""
    for i in range(start + 1, end - 1):
        nxt = doc[i + 1].text
        if doc[i].text in ENDING_SUFFIXES and nxt[:1].isupper() and nxt not in COMPANY_SUFFIXES:
            return i + 1
    return end


def person_extent(doc: Doc, end: int) -> int:
    """A model PERSON cut before the rest of the name takes it: a hyphen written without
    spaces and a capitalised part ("Khalid Al" + "-Mudaifer"), or "von der"/"van"/"de" and a
    capitalised word ("Ursula" + "von der Leyen")."""
    n = len(doc)
    infixes = ("von", "van", "der", "de", "den")
    if end < n and doc[end - 1].text in infixes and doc[end].is_title and doc[end].is_alpha:
        end += 1  # the model stopped after the particle: "Ursula von der" + "Leyen"
    while end + 1 < n:
        hyphen = doc[end]
        if (hyphen.text == "-" and doc[end - 1].idx + len(doc[end - 1].text) == hyphen.idx
                and hyphen.idx + 1 == doc[end + 1].idx and doc[end + 1].text[:1].isupper()):
            end += 2
            continue
        i = end
        while i < n and i - end < 2 and doc[i].text in infixes:
            i += 1
        if i > end and i < n and doc[i].is_title and doc[i].is_alpha:
            end = i + 1
            continue
        break
    return end


def title_qualifier(doc: Doc, start: int, end: int) -> bool:
    """A capitalised model name right before a title: one word ("Energy Secretary") or
    department words only ("Economy, Trade and Industry Minister")."""
    if end >= len(doc) or doc[end].text not in TITLES:
        return False
    if end - start == 1:
        return doc[start].is_title
    return all(t.text in DEPARTMENT_WORDS or t.lower_ in NAME_PARTICLES or t.text == ","
               for t in doc[start:end])


def in_title(doc: Doc, start: int, end: int) -> bool:
    """A model ORG that is a title's department: it starts with a title and "of"/"for"
    ("Minister of Industry"), or follows one ("Minister of [Energy and Mineral Resources]",
    "Associate Director for [Energy and Mineral Resources]")."""
    if end - start > 1 and doc[start].text in TITLES and doc[start + 1].lower_ in ("of", "for"):
        return True
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 1 and doc[i].lower_ in ("of", "for") and doc[i - 1].text in TITLE_WORDS


def numbers_without_head(doc: Doc, start: int, end: int) -> bool:
    """A model LAW/EVENT span with a number in it and no law or event word."""
    words = {t.text for t in doc[start:end]}
    return any(t.like_num for t in doc[start:end]) and not words & (LAW_HEADS | EVENT_HEADS)


def name_pieces(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """A model name span cut into the names it glued together: at a possessive followed by
    a capitalised word ("[Department of Energy]'s [Loan Programs Office]"; a lone apostrophe
is a quote or a plural's possessive inside a name: "G7 Leaders' Summit"), and after a
    bracketed short name followed by "and" or a comma ("[Japan Metals Agency] (JMA) and
    [Sojitz Corp.]": the bracket is rule 6's alias). Each piece keeps the span's label."""
    pieces = []
    i = start + 1
    while i < end - 1:
        text = doc[i].text
        if text in ("'s", "’s") and doc[i + 1].text[:1].isupper():
            pieces.append((start, i))
            start = i + 1
        elif text == "(":
            close = next((j for j in range(i + 1, min(i + 7, end)) if doc[j].text == ")"), None)
            if close is not None and close + 2 < end and doc[close + 1].lower_ in \
                    ("and", ",", "&"):
                pieces.append((start, i))
                start = close + 2
                i = start
                continue
        i += 1
    pieces.append((start, end))
    return [(s, e) for s, e in pieces if e > s]
