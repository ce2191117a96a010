"""The shape of a segment that tells where names stop: datelines, headlines, brackets.

Why a module of its own: these are facts about a whole segment (a line, a cell), found once
per segment and then used to cut every candidate the model and the patterns propose, where
the other span rules look at one span at a time (``cleanup``, ``names``). The conflict rule
(``core.nlp.pipeline.conflicts``, rules 7-9) says what they do to a span.

- A **dateline** opens a segment: capitalised words, the first one in capitals, with commas,
  slashes, brackets, dates between them, then an em/en dash or a spaced hyphen ("NEW DELHI –",
  "JAKARTA / DÜSSELDORF —", "RENO, Nev. —", "LONDON, March 3 (Wire) –").
- A **headline** is a Title Case line: every word but the small function words ("of", "and",
  "with") capitalised, and no full stop at its end. In a headline capitals say nothing about
  names, so the small model runs a name on into the verb and the words after it ("Acme Corp.
  Signs Offtake", "Rubio Convenes"). The verbs are found by the model's own tagger on a
  lower-cased copy of the headline (lower-cased, it reads "convenes" as a verb; in Title Case
  it reads "Convenes" as a proper noun); only headlines are tagged, in one batch per
  ``nlp.pipe`` batch, so plain text costs nothing. A pipeline without a tagger (a model
  trained for NER only) finds no verbs and the verb rule does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from core.nlp.name_words import MONTHS_DAYS

SHAPE_KEY = "assay_shape"
PROPER_KEY = "assay_headline_proper"
# Dashes that end a dateline; a plain hyphen only with spaces on both sides.
DATELINE_DASHES = frozenset({"–", "—", "--"})
_DATELINE_JOINS = frozenset({",", "/", "(", ")", "."})
_DATELINE_MAX = 10  # tokens before the dash
# Lower-case words a Title Case headline keeps lower-case.
_HEADLINE_SMALL = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "for", "of", "on", "in", "at", "to", "by",
     "with", "from", "into", "over", "as", "vs", "via", "per", "up", "amid", "after", "than",
     "its", "is", "are", "de", "la", "du", "des", "y"}
)
# Tags of the lower-cased copy that make a word a verb ending a name in a headline.
_VERB_TAGS = frozenset({"VBZ", "VBP", "VBD", "VB", "MD"})
# Tags that make a word a proper noun even lower-cased ("canada", "biden").
_PROPER_TAGS = frozenset({"NNP", "NNPS"})
# Labels a heading phrase is taken for; places, minerals and amounts are left alone.
_HEADING_LABELS = frozenset({"ORG", "PERSON", "LAW", "EVENT", "LOC"})
_LOWER_WORD = re.compile(r"\b[a-z][a-z-]+\b")


def dateline_dash(doc: Doc) -> int | None:
    """The index of the dash that ends the dateline opening ``doc``, if it has one."""
    if not doc or not (doc[0].is_upper and len(doc[0].text) > 1 and doc[0].is_alpha):
        return None
    for i, tok in enumerate(doc[:_DATELINE_MAX + 1]):
        if tok.text in DATELINE_DASHES or (tok.text == "-" and i and doc[i - 1].whitespace_
                                           and tok.whitespace_):
            return i if i else None
        if not (tok.text[:1].isupper() or tok.text in _DATELINE_JOINS or tok.like_num
                or tok.text in MONTHS_DAYS):
            return None
    return None


def dateline_places(doc: Doc, dash: int) -> list[tuple[int, int]]:
    """The places of a dateline: each part between commas, slashes and brackets that is
    written in capitals ("JAKARTA", "DÜSSELDORF", "CAPE TOWN"); a part in mixed case
    ("Nev.", "(Wire)") is left to the lists and the model."""
    out = []
    start = 0
    for i in range(dash + 1):
        if i == dash or doc[i].text in _DATELINE_JOINS - {"."}:
            part = doc[start:i]
            if 0 < len(part) <= 3 and all(t.is_upper and not t.like_num for t in part) \
                    and any(t.is_alpha for t in part):
                out.append((start, i))
            start = i + 1
    return out


def is_headline(doc: Doc) -> bool:
    """A Title Case line of two words or more with no full stop at its end."""
    if len(doc) < 2 or len(doc) > 60 or doc[-1].text in (".", "!", ";"):
        return False
    words = 0
    for tok in doc:
        if not tok.is_alpha:
            continue
        if tok.text[0].isupper():
            words += 1
        elif tok.lower_ not in _HEADLINE_SMALL:
            return False
    return words >= 2


class HeadlineTagger:
    """Tags lower-cased copies of the headlines in a batch with the model's own tagger and
    keeps, per headline Doc, the indices of its verbs in ``doc.user_data[SHAPE_KEY]``."""

    def __init__(self, nlp: Language) -> None:
        names = [n for n in ("tok2vec", "tagger") if n in nlp.component_names]
        self.components = [nlp.get_pipe(n) for n in names] if "tagger" in names else []

    def tag(self, docs: Sequence[Doc]) -> None:
        """Mark headline verbs in every headline of ``docs`` (others get nothing)."""
        heads = [d for d in docs if is_headline(d)]
        for doc in heads:
            doc.user_data[SHAPE_KEY] = frozenset()
        if not heads or not self.components:
            return
        copies: Iterable[Doc] = [
            Doc(d.vocab, words=[t.lower_ for t in d], spaces=[bool(t.whitespace_) for t in d])
            for d in heads
        ]
        for proc in self.components:
            copies = list(proc.pipe(copies))  # type: ignore[attr-defined]
        for doc, copy in zip(heads, copies, strict=True):
            doc.user_data[SHAPE_KEY] = frozenset(t.i for t in copy if t.tag_ in _VERB_TAGS)
            doc.user_data[PROPER_KEY] = frozenset(t.i for t in copy if t.tag_ in _PROPER_TAGS)


def _edge_mark(text: str) -> bool:
    """Punctuation left at the edge of a cut span ("," "—" '"'), not "%" or a bracket."""
    return not any(ch.isalnum() for ch in text) and text not in ("%", "(", ")", "$", "€", "£")


def headline_verbs(doc: Doc) -> frozenset[int] | None:
    """The verbs of a headline Doc (tagged by ``HeadlineTagger``); None if not a headline."""
    found = doc.user_data.get(SHAPE_KEY)
    return found if isinstance(found, frozenset) else None


def fit_to_shape(doc: Doc, start: int, end: int, dash: int | None,
                 verbs: frozenset[int] | None, head_last: bool) -> tuple[int, int] | None:
    """A candidate cut to the segment's shape (conflict rule 7-9), None if nothing is left:
    it never crosses the dateline's dash (the name after it is kept), a bracket it opens is
    closed inside it or it stops before the bracket (and it starts after a bracket it only
    closes), and in a headline it ends before a verb. ``head_last``: the label comes from a
    head word at the end (a law, an event, an institution), so the name restarts after the
    verb rather than ending before it."""
    given = (start, end)
    if dash is not None and start <= dash < end:
        start = dash + 1
    opened: list[int] = []
    for i in range(start, end):
        text = doc[i].text
        if text in ("(", "["):
            opened.append(i)
        elif text in (")", "]"):
            if opened:
                opened.pop()
            else:
                start = i + 1  # "USA) LLC": it closes a bracket it did not open
    if opened:
        end = opened[0]  # "Talon Nickel (USA": stop before the bracket
    if verbs:
        inside = [i for i in range(start, end) if i in verbs]
        if inside:
            if head_last:
                start = inside[-1] + 1
            else:
                end = inside[0]
    if (start, end) == given:
        return start, end
    while start < end and _edge_mark(doc[start].text):
        start += 1
    while end > start and _edge_mark(doc[end - 1].text):
        end -= 1
    if start >= end or not any(ch.isalnum() for ch in doc[start:end].text):
        return None
    return start, end


def drop_heading_phrases(docs: Sequence[Doc], keep_words: frozenset[str]) -> None:
    """Conflict rule 9's headings, over one text's segment Docs: in a headline, a model span
    whose words the tagger reads as common words once lower-cased (no proper noun), with no
    head word or legal suffix (``keep_words``), and more than half of whose words the same
    text writes in lower case elsewhere, is a section heading, not a name ("[Importance of
    Critical Minerals]" above a text about critical minerals and their importance)."""
    heads = [d for d in docs if PROPER_KEY in d.user_data]
    if not heads:
        return
    suspects = [(d, e) for d in heads for e in d.ents if _heading_like(d, e, keep_words)]
    if not suspects:
        return
    body = set()
    for doc in docs:
        if PROPER_KEY not in doc.user_data:
            body.update(_LOWER_WORD.findall(doc.text))
    for doc, ent in suspects:
        words = [t.lower_ for t in ent if t.is_alpha and len(t) > 2 and t.lower_ not in
                 _HEADLINE_SMALL]
        if words and sum(w in body for w in words) * 2 > len(words):
            doc.ents = [e for e in doc.ents if e != ent]


def _heading_like(doc: Doc, ent: Span, keep_words: frozenset[str]) -> bool:
    proper: frozenset[int] = doc.user_data[PROPER_KEY]
    return (ent.id_ == "model" and not ent.kb_id_ and ent.label_ in _HEADING_LABELS
            and not any(t.i in proper or t.text in keep_words for t in ent))
