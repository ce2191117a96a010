"""Sentence boundaries for claims and the facts export, without loading a spaCy model.

Claims are checked one statement at a time, so a reviewer's selection is widened
to whole sentences, and the facts export pairs a country with a mineral only when
one sentence names both. Both need sentence boundaries on the stored text at
interactive speed, in a process that has not loaded spaCy (the review window
never does). News prose is regular enough for a rule splitter:

* a line break always ends a sentence (headlines, bylines, list items and
  paragraphs are separate statements);
* ``.``, ``!`` or ``?`` (with closing quotes or brackets) followed by space and
  an upper-case letter (any script), a digit or an opening quote ends one, except
  after a known abbreviation ("Mr.", "Jan."), a dotted acronym ("U.S.", "D.R.C.")
  or a single initial ("J."). After a company suffix or an acronym a sentence does
  end when a typical opener follows ("… Lynas Corp. The deal …").
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

# Abbreviations that end a sentence when a typical sentence opener follows
# ("… signed with Lynas Corp. The deal …"); titles ("Dr.", "Mr.") never do.
CLOSING_ABBREVIATIONS = frozenset({
    "Inc", "Ltd", "Co", "Corp", "Bros", "Pty", "Pte", "etc", "U.S", "U.K", "U.N", "E.U", "S.A",
    "N.V",
})
SENTENCE_OPENERS = frozenset({
    "The", "It", "Its", "A", "An", "In", "On", "At", "But", "And", "This", "That", "These",
    "Those", "He", "She", "They", "We", "There", "Their", "His", "Her", "Our", "Officials",
    "Analysts", "Shares", "Prices", "However", "Meanwhile", "Last", "Next",
})

# End punctuation, closing quotes/brackets, then horizontal space (any kind, including
# no-break space), then something that can start a sentence: a letter, digit or quote.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=[^\S\n]+[\"'“‘(\[]?(?:[^\W_]))")
_WORD_BEFORE = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"[^\S\n]+[\"'“‘(\[]?([^\W_][\w'’-]*)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "D.R.C", "J.P", "U.A.E" (the final dot cut)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Does the full stop at ``dot`` close an abbreviation or an initial, not a sentence?"""
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not match:
        return False
    word = match.group(1).lstrip("\"'“‘([")
    if not (word in ABBREVIATIONS or _DOTTED.fullmatch(word)
            or (len(word) == 1 and word.isupper())):
        return False
    following = _NEXT_WORD.match(text, dot + 1)
    if following and (word in CLOSING_ABBREVIATIONS or _DOTTED.fullmatch(word)):
        return following.group(1) not in SENTENCE_OPENERS
    return True


def _starts_sentence(text: str, end: int) -> bool:
    """Is the first letter after the boundary at ``end`` one that can open a sentence?"""
    following = _NEXT_WORD.match(text, end)
    if not following:
        return False
    first = following.group(1)[0]
    return first.isupper() or first.isdigit() or not first.isalpha()


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence, trimmed of surrounding whitespace, in order."""
    bounds: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        cuts = [0]
        for match in _BOUNDARY.finditer(line):
            if not _starts_sentence(line, match.end()):
                continue
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

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the sentences ``[start, end)`` touches, first to last (the evidence
        of a relation whose ends are ``start`` and ``end``); ``(start, end)`` in a text
        without sentences there."""
        first = bisect_right(self._starts, start) - 1
        last = bisect_right(self._starts, max(start, end - 1)) - 1
        if last < 0:
            return start, end
        return (min(self.bounds[max(first, 0)][0], start), max(self.bounds[last][1], end))

    def evidence(self, head: tuple[int, int], tail: tuple[int, int]) -> tuple[int, int]:
        """The evidence of a relation between the extents ``head`` and ``tail`` (either
        order): the sentence holding both, or from the first end's sentence to the last's.
        The triples export and the window's Relations tab both quote it from here."""
        return self.around(min(head[0], tail[0]), max(head[1], tail[1]))
