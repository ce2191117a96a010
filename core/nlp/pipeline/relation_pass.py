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
from spacy.tokens import Doc

from core.models import RelationIn, RelationType, SpanIn
from core.nlp.relation_rules import allowed_pairs, lexicon, suggest_in_sentence
from core.text.sentences import sentence_bounds

# What a parse needs of spaCy's English pipelines, in pipeline order; pre-annotation keeps
# them disabled (``core.nlp.pipeline.loading``) and runs them here on candidate sentences.
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


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

    @property
    def active(self) -> bool:
        return bool(self.components and self.types)

    def _candidates(self, piece: Doc) -> list[tuple[int, Doc]]:
        """(character offset in the piece, sentence Doc) of every sentence worth parsing."""
        out = []
        if len(piece.ents) < 2:
            return out
        for start, end in sentence_bounds(piece.text):
            sent = piece.char_span(start, end, alignment_mode="expand")
            if sent is None:
                continue
            labels = [e.label_ for e in piece.ents if sent.start <= e.start and e.end <= sent.end]
            if any((a, b) in self.pairs for i, a in enumerate(labels) for b in labels[i + 1:]):
                out.append((sent.start_char, sent.as_doc()))
        return out

    def relations(self, pieces: Sequence[Doc], offsets: Sequence[int],
                  spans: Sequence[SpanIn]) -> list[RelationIn]:
        """The text's relations, by index into ``spans`` (its suggested entities)."""
        if not self.active:
            return []
        found: list[tuple[int, Doc]] = []
        for piece, offset in zip(pieces, offsets, strict=True):
            found += [(offset + at, doc) for at, doc in self._candidates(piece)]
        if not found:
            return []
        docs = [doc for _at, doc in found]
        for proc in self.components:
            docs = list(proc.pipe(docs))  # type: ignore[attr-defined]
        self.sentences_parsed += len(docs)
        index = {(s.start, s.end): i for i, s in enumerate(spans)}
        out: list[RelationIn] = []
        seen: set[tuple[int, int, str]] = set()
        for (at, _), doc in zip(found, docs, strict=True):
            ents = doc.ents
            for head, tail, kind in suggest_in_sentence(doc, self.types, self.lexicon):
                h = index.get((at + ents[head].start_char, at + ents[head].end_char))
                t = index.get((at + ents[tail].start_char, at + ents[tail].end_char))
                if h is None or t is None or (h, t, kind) in seen:
                    continue
                seen.add((h, t, kind))
                out.append(RelationIn(h, t, kind, origin="rules", model=self.model))
        return out
