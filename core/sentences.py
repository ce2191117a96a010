"""Sentence boundaries for claims and the facts export, without loading a spaCy model.

Claims are checked one statement at a time, so a reviewer's selection is widened
to whole sentences, and the facts export pairs a country with a mineral only when
one sentence names both. Both need sentence boundaries on the stored text at
interactive speed, in a process that has not loaded spaCy (the review window
never does). News prose is regular enough for a rule splitter:

* a line break always ends a sentence (headlines, bylines, list items and
  paragraphs are separate statements);
* ``.``, ``!`` or ``?`` (with closing quotes or brackets) followed by space and
  an upper-case letter, a digit or an opening quote ends one, except after a
  known abbreviation ("Mr.", "Ltd.", "Jan.", "U.S.") or a single initial ("J.").
"""

from __future__ import annotations

import re
from bisect import bisect_right

# Abbreviations after which a full stop does not end the sentence (compared without
# the final dot, case-sensitively). "U.S." is here because "the U.S. Department" is far
# more common in our articles than a sentence ending in "U.S.".
ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Capt", "Lt", "St",
    "Sr", "Jr", "Mt", "No", "Nos", "vs", "etc", "approx", "est", "Fig", "Inc", "Ltd", "Co",
    "Corp", "Bros", "Pty", "Pte", "Dept", "Univ", "Assn", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "U.S", "U.K", "U.N", "E.U", "e.g", "i.e",
    "a.m", "p.m", "S.A", "N.V", "Gov't",
})

# End punctuation, closing quotes/brackets, then whitespace, then something that can
# start a sentence.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=[ \t]+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Does the full stop at ``dot`` close an abbreviation or an initial?"""
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not match:
        return False
    word = match.group(1).lstrip("\"'“‘([")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence, trimmed of surrounding whitespace, in order."""
    bounds: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        cuts = [0]
        for match in _BOUNDARY.finditer(line):
            if line[match.start()] == "." and _is_abbreviation(line, match.start()):
                continue
            cuts.append(match.end())
        cuts.append(len(line))
        for a, b in zip(cuts, cuts[1:], strict=False):
            piece = line[a:b]
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                bounds.append((offset + a + lead, offset + a + lead + len(stripped)))
        offset += len(line) + 1
    return bounds


def snap_to_sentences(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the whole sentences it touches.

    A selection that touches no sentence (only whitespace) is returned trimmed of
    whitespace, or unchanged if nothing is left.
    """
    bounds = sentence_bounds(text)
    touched = [(s, e) for s, e in bounds if s < end and e > start]
    if touched:
        return touched[0][0], touched[-1][1]
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        return start + lead, start + lead + len(piece.strip())
    return start, end


class SentenceIndex:
    """Which sentence holds an offset, by binary search (for many spans of one text)."""

    def __init__(self, text: str) -> None:
        self.bounds = sentence_bounds(text)
        self._starts = [s for s, _e in self.bounds]

    def index_of(self, start: int, end: int) -> int | None:
        """The sentence containing all of ``[start, end)``, or None if it crosses one."""
        i = bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        s, e = self.bounds[i]
        return i if s <= start and end <= e else None
