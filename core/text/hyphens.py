"""Joining a word that a PDF broke across two lines: "sup-" + "ply" is "supply", while
"cobalt-" + "free" stays "cobalt-free".

A PDF keeps no record of which hyphens the typesetter added, so the rule decides from the
document itself and from a short list, in this order:

1. Only a hyphen straight after a letter, followed on the next line by a lowercase letter,
   is a candidate ("Sino-" + "American" and "2024-" + "25" keep their hyphen). A soft
   hyphen (U+00AD) always joins: it marks a place where a word may be broken.
2. If the joined word is used elsewhere in the document, unbroken ("supply"), join.
3. If the hyphenated word is used elsewhere in the document on one line ("cobalt-free"),
   keep the hyphen.
4. If the second half is one of the words English writes after a hyphen in compounds
   (``SECOND_HALVES``: "-free", "-based", "-owned", "-grade", "-scale", …), or the first
   half is a prefix that keeps its hyphen (``FIRST_HALVES``: "self-", "non-", …), keep it.
5. Otherwise join: typesetters break words between syllables far more often than at the
   hyphen of a compound, and a kept "sup-ply" hides the word from search and NER.

The lists are short on purpose: each entry is a word that is almost never the tail of a
word broken between syllables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SECOND_HALVES = frozenset((
    "free", "based", "owned", "led", "run", "backed", "funded", "linked", "related",
    "rich", "bearing", "grade", "scale", "term", "level", "wide", "like", "sized",
    "intensive", "specific", "oriented", "driven", "focused", "dependent", "producing",
    "importing", "exporting", "controlled", "operated", "listed", "sourced", "mined",
    "fired", "powered", "quality", "party", "year", "month", "made",
))
FIRST_HALVES = frozenset(("self", "non", "ex", "cross", "well"))

SOFT_HYPHEN = "\u00ad"
# Hyphens a typesetter puts at a line's end: the hyphen-minus and the Unicode hyphen.
HYPHENS = "-\u2010"
# Dashes after which the next line follows without a space ("cobalt\u2014" + "and").
DASHES = "-\u2010\u2011\u2012\u2013\u2014"

_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_TAIL = re.compile(r"([^\W\d_]+)[-\u2010]$")
_HEAD = re.compile(r"[^\W\d_]+")


class Vocabulary:
    """The words a document uses unbroken, and the hyphenated ones it writes on one line:
    what rules 2 and 3 consult. Fed every line before any line is joined."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.compounds: set[str] = set()

    def add(self, lines: Iterable[str]) -> None:
        for line in lines:
            # The fragment before a line-end hyphen is half a word: not evidence.
            broken = _TAIL.search(line)
            body = line[:broken.start()] if broken else line
            for match in _WORD.finditer(body):
                word = match.group().lower()
                if "-" in word or "\u2010" in word:
                    self.compounds.add(word.replace("\u2010", "-"))
                    self.words.update(re.split("[-\u2010]", word))
                else:
                    self.words.add(word)


def join_lines(first: str, second: str, vocabulary: Vocabulary) -> str:
    """``first`` and ``second`` (two consecutive lines of one paragraph, each stripped) as
    one line: a space between them, or none where a hyphen or dash ends ``first``."""
    if not first:
        return second
    if not second:
        return first
    if first.endswith(SOFT_HYPHEN):
        return first[:-1] + second
    if first[-1] in HYPHENS:
        tail = _TAIL.search(first)
        head = _HEAD.match(second)
        if tail and head and second[0].islower():
            keep = keeps_hyphen(tail.group(1), head.group(), vocabulary)
            return (first if keep else first[:-1]) + second
        return first + second if not first[-2:-1].isspace() else f"{first} {second}"
    if first[-1] in DASHES and len(first) > 1 and not first[-2].isspace():
        return first + second
    return f"{first} {second}"


def keeps_hyphen(before: str, after: str, vocabulary: Vocabulary) -> bool:
    """Whether "before-" at a line's end and "after" at the next line's start are a
    compound that keeps its hyphen (rules 2-5 of the module's docstring)."""
    lower_before, lower_after = before.lower(), after.lower()
    if lower_before + lower_after in vocabulary.words:
        return False
    if f"{lower_before}-{lower_after}" in vocabulary.compounds:
        return True
    return lower_after in SECOND_HALVES or lower_before in FIRST_HALVES
