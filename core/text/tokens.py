"""The one tokenizer of Assay: snapping in the window, stored tokens, and every export.

Tokens are spaCy's English tokenizer with one fix (``customise_tokenizer``: "U.S.-led"
splits into "U.S.", "-", "led", which ``spacy.blank("en")`` does not do), run on the
*segments* of a text: the pieces between line breaks, tabs and table bars ("|"),
which the label guide says no entity crosses. A segment is at most
``MAX_SEGMENT_CHARS`` long: a longer line is cut at a sentence end, or else at a
space, so that no piece ever reaches spaCy's ``max_length`` (E088) and a text of
any length can be tokenised and pre-annotated.

Pre-annotation stores these tokens with each article; an article without them is
tokenised on first open (``token_offsets``, tens of milliseconds for a long article
once the tokenizer is loaded) and the result is cached in the project.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from core.text.spacy_ready import spacy_ready

Token = tuple[int, int]

# Line breaks, tabs and table bars separate names (label guide); everything else is a segment.
_SEGMENT = re.compile(r"[^\n\r\t\v\f|\u2028\u2029]+")
# "U.S.-led", "U.K.-based": split the hyphen after an abbreviation so "U.S." is a token.
_DOTTED_HYPHEN = r"(?<=[A-Za-z]\.)-(?=[A-Za-z])"
# "(MSP)—a coalition": a closing bracket and an em/en dash glued to the next word are tokens
# of their own, so no name takes the dash and the bracket closes where it is written.
_BRACKET_DASH = r"(?<=[\w.])\)(?=[—–])|(?<=\))[—–](?=\w)"
# "Syrah Resources Ltd.." (a legal form's dot and a full stop): the form keeps its dot.
_DOUBLE_DOT_FORMS = ("Ltd.", "Inc.", "Corp.", "Co.", "Ltda.", "Bhd.", "Tbk.", "Pty.", "S.A.",
                     "N.V.", "B.V.", "A.G.", "L.P.", "Cía.")
# spaCy refuses texts over 1,000,000 characters; segments stay far below that, and short
# enough that one segment is never a memory problem for the parser's batches.
MAX_SEGMENT_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def customise_tokenizer(nlp: Any) -> None:
    """Split "U.S.-Australia" into "U.S.", "-", "Australia" so the country is a whole token;
    "(MSP)—a" into "(", "MSP", ")", "—", "a"; "Ltd.." into "Ltd.", "."."""
    from spacy.util import compile_infix_regex

    pattern = nlp.tokenizer.infix_finditer.__self__.pattern
    if _DOTTED_HYPHEN not in pattern:
        nlp.tokenizer.infix_finditer = compile_infix_regex(
            [pattern, _DOTTED_HYPHEN, _BRACKET_DASH]).finditer
        for form in _DOUBLE_DOT_FORMS:
            nlp.tokenizer.add_special_case(form + ".", [{"ORTH": form}, {"ORTH": "."}])


@lru_cache(maxsize=1)
def blank_nlp() -> Any:
    """``spacy.blank("en")`` with Assay's tokenizer (0.2 s to load once, plus importing spaCy)."""
    nlp = spacy_ready().blank("en")
    customise_tokenizer(nlp)
    return nlp


def segments(text: str) -> list[Token]:
    """Character ranges of the text between line breaks, tabs and "|", without edge spaces,
    none longer than ``MAX_SEGMENT_CHARS``."""
    out: list[Token] = []
    for match in _SEGMENT.finditer(text):
        start, end = match.span()
        chunk = match.group()
        stripped = chunk.strip()
        if stripped:
            start += len(chunk) - len(chunk.lstrip())
            out.extend(_bounded(text, start, start + len(stripped)))
    return out


def _bounded(text: str, start: int, end: int) -> Iterator[Token]:
    """Cut ``[start, end)`` into pieces of at most MAX_SEGMENT_CHARS: at the last sentence
    end in the second half of the window, else the last space, else (one endless word)
    exactly at the limit."""
    limit = MAX_SEGMENT_CHARS
    while end - start > limit:
        low, high = start + limit // 2, start + limit
        cut = None
        for pattern in (_SENTENCE_END, _SPACE):
            last = None
            for last in pattern.finditer(text, low, high):  # noqa: B007 (we want the last)
                pass
            if last is not None:
                cut = last
                break
        if cut is None:
            yield start, high
            start = high
            continue
        piece_end = cut.start() + len(cut.group().rstrip())
        yield start, piece_end
        start = cut.end()
    if start < end:
        yield start, end


def doc_tokens(doc: Any, offset: int) -> list[Token]:
    """Offsets of the non-space tokens of a spaCy doc made from the segment at ``offset``."""
    return [(t.idx + offset, t.idx + len(t) + offset) for t in doc if not t.is_space]


def token_offsets(text: str) -> list[Token]:
    """Character offsets of the tokens of ``text``: what pre-annotation stores for it.

    Spaces, line breaks, tabs and table bars are not tokens.
    """
    tokenizer = blank_nlp().tokenizer
    tokens: list[Token] = []
    for start, end in segments(text):
        tokens += doc_tokens(tokenizer(text[start:end]), start)
    return tokens


def snap(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """Widen ``[start, end)`` to whole tokens; None if it covers no token at all.

    A selection that starts in the middle of a word takes the whole word, and
    leading or trailing spaces are dropped, as reviewers expect in Prodigy.
    """
    if start > end:
        start, end = end, start
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    first = bisect_right(ends, start)  # first token ending after start
    last = bisect_left(starts, end) - 1  # last token starting before end
    if first > last or first >= len(tokens) or last < 0:
        return None
    return tokens[first][0], tokens[last][1]


def _is_punct(token: str) -> bool:
    return all(not ch.isalnum() and ch not in "$€£¥%" for ch in token)


def move_edge(
    tokens: Sequence[Token], start: int, end: int, edge: str, step: int,
    text: str | None = None,
) -> tuple[int, int] | None:
    """Move a span's ``edge`` ("start" or "end") by ``step`` tokens; None if impossible.

    The span never becomes empty and never leaves the text. Punctuation tokens
    (commas, brackets, quotes, full stops) are stepped over: no entity starts or
    ends with them, while currency and percent signs count as tokens.
    """
    if text is not None:
        tokens = [t for t in tokens if not _is_punct(text[t[0]:t[1]])]
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    if edge == "start":
        i = bisect_left(starts, start) + step
        if i < 0 or i >= len(tokens) or starts[i] >= end:
            return None
        moved = starts[i], end
    else:
        i = bisect_left(ends, end) + step
        if i < 0 or i >= len(tokens) or ends[i] <= start:
            return None
        moved = start, ends[i]
    if text is not None and "\n" in text[moved[0]:moved[1]]:
        return None  # entities never cross a line break (label guide)
    return moved


_RUN = re.compile(r"\s+|\S+")


def export_words(text: str, starts: Sequence[int], ends: Sequence[int],
                 tokens: Sequence[Token] | None = None) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags for ``spacy.tokens.Doc(vocab, words, spaces)``.

    The words are Assay's tokens (``tokens``, computed if not given), plus the spaces and
    separators between them, so that the doc's text is exactly ``text``; a token that a
    span's edge (``starts``, ``ends``) falls inside is split there, so every span is a
    whole run of tokens and an export never moves an edge. A single space after a word
    becomes that word's trailing space unless a span starts on it or ends right after it.
    """
    start_set, end_set = set(starts), set(ends)
    cuts = sorted(start_set | end_set)
    words: list[str] = []
    spaces: list[bool] = []
    next_cut = 0  # index of the first cut not yet behind us (pieces come in order)

    def add(a: int, b: int) -> None:
        nonlocal next_cut
        while next_cut < len(cuts) and cuts[next_cut] <= a:
            next_cut += 1
        while a < b:
            c = cuts[next_cut] if next_cut < len(cuts) and cuts[next_cut] < b else b
            if (text[a] == " " and words and not spaces[-1] and not words[-1].isspace()
                    and a not in start_set and a + 1 not in end_set):
                spaces[-1] = True
                a += 1
                if a == c:
                    if c < b:
                        next_cut += 1
                    continue
            words.append(text[a:c])
            spaces.append(False)
            if c < b:
                next_cut += 1
            a = c

    position = 0
    n = len(text)
    for start, end in [*(token_offsets(text) if tokens is None else tokens), (n, n)]:
        if position < start:  # the spaces and separators ("|") between two tokens
            for m in _RUN.finditer(text, position, start):
                add(m.start(), m.end())
        if start < end:
            add(start, end)
        position = max(position, end)
    return words, spaces
