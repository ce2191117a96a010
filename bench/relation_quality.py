"""How good the suggested relations are: the default pipeline against the relation gold.

``python -m bench.relation_quality [GOLD.gold …]`` (default ``bench/gold/relations.gold``)
pre-annotates the gold passages and scores the relations it suggests, per type and
micro-averaged, for exact matches: both ends' exact extents and the type (a symmetric type
in either direction). Two rows of numbers:

- **end to end**: the pipeline's own entities, then its relations between them, what a
  reviewer sees (an entity one token off loses its relations too);
- **on gold entities**: the same rules over the gold's entities, which measures the
  relation rules alone.

Scored with ``core.nlp.evaluate.score`` (the entity scorer; a relation is the tuple
``(head start, head end, type, tail start, tail end)``, grouped by its type).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from bench.quality import GoldRelation, Passage, read_marked
from core.models import RelationType, SpanIn
from core.nlp.evaluate import score, table

DEFAULT_GOLD = Path(__file__).parent / "gold" / "relations.gold"


def default_types() -> list[RelationType]:
    """The shipped scheme's relation types (a new project's)."""
    from core.store.relation_types import bundled_relation_types
    from core.store.scheme import DEFAULT_SCHEME, scheme_path

    return bundled_relation_types(scheme_path(DEFAULT_SCHEME))


def _normal(rel: GoldRelation, symmetric: set[str]) -> GoldRelation:
    """A symmetric type's relation with its ends in text order, so either way matches."""
    hs, he, kind, ts, te = rel
    if kind in symmetric and (ts, te) < (hs, he):
        return (ts, te, kind, hs, he)
    return rel


def _as_tuples(spans: Sequence[SpanIn], found: Iterable, symmetric: set[str]
               ) -> list[GoldRelation]:
    return [_normal((spans[r.head].start, spans[r.head].end, r.type, spans[r.tail].start,
                     spans[r.tail].end), symmetric) for r in found]


def end_to_end(texts: list[str], annotator, types: Sequence[RelationType]
               ) -> list[list[GoldRelation]]:
    symmetric = {t.name for t in types if t.symmetric}
    return [_as_tuples(found.spans, found.relations, symmetric)
            for found in annotator.suggest(texts, types)]


def on_gold_entities(passages: Sequence[Passage], annotator, types: Sequence[RelationType]
                     ) -> list[list[GoldRelation]]:
    """The relation pass over each passage's gold entities, cut into segments as the
    pipeline cuts texts."""
    from core.nlp.pipeline.relation_pass import RelationPass
    from core.text.tokens import segments

    symmetric = {t.name for t in types if t.symmetric}
    relation_pass = RelationPass(annotator.nlp, types, annotator.model_id)
    out = []
    for passage in passages:
        spans = [SpanIn(s, e, label) for s, e, label in sorted(passage.spans)]
        pieces, offsets = [], []
        for start, end in segments(passage.text):
            doc = annotator.nlp.make_doc(passage.text[start:end])
            ents = [doc.char_span(s.start - start, s.end - start, label=s.label,
                                  alignment_mode="expand")
                    for s in spans if start <= s.start and s.end <= end]
            doc.ents = [e for e in ents if e is not None]
            pieces.append(doc)
            offsets.append(start)
        # Tokens may widen a gold span ("expand"): score against the spans as given.
        found = relation_pass.relations(pieces, offsets, spans)
        out.append(_as_tuples(spans, found, symmetric))
    return out


def report(paths: Sequence[Path]) -> dict:
    """Both scores for the gold files, as ``core.nlp.evaluate.score`` reports."""
    from core.nlp.pipeline import load_annotator

    passages = [p for path in paths for p in read_marked(path)]
    types = default_types()
    symmetric = {t.name for t in types if t.symmetric}
    annotator = load_annotator()
    gold = [(p.text, [_normal(r, symmetric) for r in p.relations]) for p in passages]
    e2e = end_to_end([p.text for p in passages], annotator, types)
    given = on_gold_entities(passages, annotator, types)
    return {"end_to_end": score(gold, lambda _texts: e2e),
            "gold_entities": score(gold, lambda _texts: given)}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    paths = [Path(a) for a in args] or [DEFAULT_GOLD]
    result = report(paths)
    print("End to end (the pipeline's entities):\n")
    print(table(result["end_to_end"]))
    print("\nOn gold entities (the relation rules alone):\n")
    print(table(result["gold_entities"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
