"""The parser's pass: relations between an article's suggested entities, parsing only where
one can be.

Why a pass of its own: the parser (with the tagger and lemmatizer it needs, and the shared
tok2vec they listen to) costs about as much as NER, and most sentences cannot hold a
relation. So entities come first (``nlp.pipe`` with the parser components disabled), then
each sentence (``core.text.sentences``) with two entities whose labels some relation type
of the project allows is copied out (``Span.as_doc``: same tokens, same entities) and only
those copies go through the disabled components, in one batch per text. The rules that
read the parse are ``core.nlp.relation_rules``.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from core.models import RelationIn, RelationType, SpanIn
from core.nlp.relation_rules import allowed_pairs, lexicon, suggest_in_sentence
from core.text.sentences import sentence_bounds

# What a parse needs of spaCy's English pipelines, in pipeline order; pre-annotation keeps
# them disabled (``core.nlp.pipeline.loading``) and runs them here on candidate sentences.
# The rules read tags, not POS or lemmas: the attribute ruler and the lemmatizer cost as
# much as the parser on short sentences and are not loaded.
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser")
# One word a relation end stands as in the parsed copy (``_masked``), by label: names the
# small model reads as what they are. Other labels (amounts, dates) keep their words.
PLACEHOLDERS = {"GPE": "France", "ORG": "Nokia", "LOC": "Siberia", "MINERAL": "copper",
                "PERSON": "John", "NORP": "French"}
DASHES = frozenset({"–", "—", "-", "--"})


def parse_components(nlp: Language) -> list[str]:
    """The disabled components this pass runs, or [] if the pipeline has no parser (the
    blank fallback, a model trained for NER only): then no relation is suggested."""
    have = [name for name in PARSE_COMPONENTS if name in nlp.component_names]
    return have if "parser" in have else []


class RelationPass:
    """Suggest relations for one text's segment Docs, parsing only candidate sentences."""

    def __init__(self, nlp: Language, types: Sequence[RelationType], model: str) -> None:
        self.nlp = nlp
        self.components = [nlp.get_pipe(name) for name in parse_components(nlp)]
        self.types = {t.name: t for t in types}
        self.pairs = allowed_pairs(types)
        self.model = model
        self.lexicon = lexicon()
        self.sentences_parsed = 0

    def _fits(self, kind: str, labels: Sequence[str]) -> bool:
        """Does the project have type ``kind`` and allow two of ``labels`` as its ends?"""
        rtype = self.types.get(kind)
        return rtype is not None and any(
            rtype.allows(a, b) for i, a in enumerate(labels) for j, b in enumerate(labels)
            if i != j)

    @property
    def active(self) -> bool:
        return bool(self.components and self.types)

    def _candidates(self, piece: Doc) -> list[tuple[Span, list[Span]]]:
        """Every sentence of the piece worth parsing (a dateline cut off its start), with
        its entities: two whose labels a type allows, that type stated by a trigger word
        of the sentence, or LOCATED_IN by a place's shape ("X in Y", "X's Y")."""
        out: list[tuple[Span, list[Span]]] = []
        ents = list(piece.ents)
        if len(ents) < 2:
            return out
        for start, end in sentence_bounds(piece.text):
            sent = piece.char_span(start, end, alignment_mode="expand")
            if sent is None:
                continue
            sent = piece[_after_dateline(sent):sent.end]
            inside = [e for e in ents if sent.start <= e.start and e.end <= sent.end]
            labels = [e.label_ for e in inside]
            if not any((a, b) in self.pairs for i, a in enumerate(labels)
                       for b in labels[i + 1:]):
                continue
            kinds = self.lexicon.kinds_in(t.lower_ for t in sent)
            if _place_shape(inside):
                kinds.add("LOCATED_IN")
            if any(self._fits(kind, labels) for kind in kinds):
                out.append((sent, inside))
        return out

    def relations(self, pieces: Sequence[Doc], offsets: Sequence[int],
                  spans: Sequence[SpanIn]) -> list[RelationIn]:
        """The text's relations, by index into ``spans`` (its suggested entities)."""
        if not self.active:
            return []
        found: list[tuple[Doc, list[tuple[int, int]]]] = []
        for piece, offset in zip(pieces, offsets, strict=True):
            found += [_masked(sent, inside, offset)
                      for sent, inside in self._candidates(piece)]
        if not found:
            return []
        docs = [doc for doc, _ends in found]
        for proc in self.components:
            docs = list(proc.pipe(docs))  # type: ignore[attr-defined]
        self.sentences_parsed += len(docs)
        index = {(s.start, s.end): i for i, s in enumerate(spans)}
        out: list[RelationIn] = []
        seen: set[tuple[int, int, str]] = set()
        for (_, ends), doc in zip(found, docs, strict=True):
            for head, tail, kind in suggest_in_sentence(doc, self.types, self.lexicon):
                h, t = index.get(ends[head]), index.get(ends[tail])
                if h is None or t is None or (h, t, kind) in seen:
                    continue
                seen.add((h, t, kind))
                out.append(RelationIn(h, t, kind, origin="rules", model=self.model))
        return out


def _after_dateline(sent: Span) -> int:
    """Where the sentence starts after a dateline ("LUSAKA – Zambia produces …"): the
    place a report was filed from is not what the sentence is about."""
    for tok in sent[:6]:
        if tok.text in DASHES and tok.i > sent.start:
            before = sent.doc[sent.start:tok.i]
            if all(t.is_upper or t.is_punct for t in before):
                return tok.i + 1
            break
    return sent.start


def _place_shape(ents: Sequence[Span]) -> bool:
    """"Mountain Pass in California", "China's Ministry of Commerce": an entity followed
    by "in", "at" or "'s" and another entity within three words."""
    starts = {e.start for e in ents}
    for ent in ents:
        doc = ent.doc
        if ent.end < len(doc) and doc[ent.end].lower_ in ("in", "at", "'s", "’s") \
                and any(ent.end + k in starts for k in (1, 2, 3)):
            return True
    return False


def _masked(sent: Span, inside: Sequence[Span], offset: int
            ) -> tuple[Doc, list[tuple[int, int]]]:
    """The sentence as a Doc of its own in which each possible relation end is one
    placeholder word of its label ("Kalgoorlie Nickel Ltd supplies nickel" -> "Nokia
    supplies copper"), and each end's character extent in the text, by entity index.

    The small parser misreads long names and lower-case commodity words ("nickel" as a
    verb); it reads a sentence of plain names far better, and a shorter one faster."""
    words: list[str] = []
    spaces: list[bool] = []
    ents: list[tuple[int, str]] = []
    ends: list[tuple[int, int]] = []
    doc = sent.doc
    at_start = {e.start: e for e in inside}
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        ent = at_start.get(i)
        if ent is not None and ent.label_ in PLACEHOLDERS:
            word = PLACEHOLDERS[ent.label_]
            ents.append((len(words), ent.label_))
            ends.append((offset + ent.start_char, offset + ent.end_char))
            words.append(word.capitalize() if i == sent.start else word)
            spaces.append(bool(doc[ent.end - 1].whitespace_))
            i = ent.end
            continue
        words.append(tok.text)
        spaces.append(bool(tok.whitespace_))
        i += 1
    masked = Doc(doc.vocab, words=words, spaces=spaces)
    masked.ents = [Span(masked, at, at + 1, label=label) for at, label in ents]
    return masked, ends
