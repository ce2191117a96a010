"""spaCy ``DocBin`` (``.spacy``): what ``spacy train`` reads, optionally split train/dev.

The DocBin is built in memory before it is written (that is how ``DocBin.to_disk``
works); a seeded shuffle decides which articles go to ``<stem>-dev.spacy``.

Relations travel as spaCy's relation-extraction example (explosion/projects,
``tutorials/rel_component``) reads them: ``doc._.rel`` is ``{(head start, tail start):
{TYPE: 1.0}}``, keyed by the first token of each entity in the doc's own tokens, a
symmetric type written both ways (as its ``parse_data.py`` does). The value is put in
``doc.user_data`` under the key the ``rel`` extension reads, so the DocBin (with
``store_user_data=True``) carries it without Assay registering an extension on spaCy's
``Doc``; a reader registers ``Doc.set_extension("rel", default={})`` as the tutorial does.
Only the positive types are written: the tutorial's training reads a missing type as 0.

Topics travel as ``doc.cats``, the way spaCy's ``textcat_multilabel`` reads them: every
topic of the project's scheme is a key, 1.0 for the article's accepted topics and 0.0
for the others (a multi-label example names each category, so a missing one is not
mistaken for "unknown"). A project without topics writes no cats.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from core.formats.base import ExportFormat, Sink
from core.formats.token_docs import docs
from core.models import Reviewed, Span

# Where ``doc._.rel`` lives in ``doc.user_data`` (spaCy's ``Underscore`` key for a Doc).
REL_KEY = ("._.", "rel", None, None)


def relation_labels(rec: Reviewed, pairs: list[tuple[Any, Span]], symmetric: frozenset[str]
                    ) -> dict[tuple[int, int], dict[str, float]]:
    """The article's relations as the tutorial's ``doc._.rel``."""
    starts = {span.id: ent.start for ent, span in pairs}
    rels: dict[tuple[int, int], dict[str, float]] = {}
    for rel in rec.relations:
        head, tail = starts[rel.head_id], starts[rel.tail_id]
        rels.setdefault((head, tail), {})[rel.type] = 1.0
        if rel.type in symmetric:
            rels.setdefault((tail, head), {})[rel.type] = 1.0
    return rels


def topic_cats(rec: Reviewed, topics: Sequence[str]) -> dict[str, float]:
    """``doc.cats`` of the article: each of the scheme's ``topics`` (in its order), 1.0
    when the article has it, else 0.0; the article's topics not in the list (none, as
    the store keeps them) are added as 1.0."""
    mine = [t.topic for t in rec.topics]
    return {**{name: 1.0 if name in mine else 0.0 for name in topics},
            **dict.fromkeys(mine, 1.0)}


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    from spacy.tokens import DocBin

    train = DocBin(store_user_data=True)
    dev = DocBin(store_user_data=True)
    symmetric = frozenset(t.name for t in sink.relation_types if t.symmetric)
    topics = [t.name for t in sink.topics]
    in_dev: set[int] = set()
    total = sink.total
    if sink.split is not None:
        order = list(range(total))
        random.Random(sink.seed).shuffle(order)
        n_train = round(total * sink.split)
        if total >= 2:
            n_train = min(max(n_train, 1), total - 1)
        in_dev = set(order[n_train:])
    for index, (rec, doc, pairs) in enumerate(docs(records)):
        doc.set_ents([ent for ent, _s in pairs])
        rels = relation_labels(rec, pairs, symmetric)
        if rels:
            doc.user_data[REL_KEY] = rels
        if topics or rec.topics:
            doc.cats = topic_cats(rec, topics)
        (dev if index in in_dev else train).add(doc)
    train.to_disk(sink.paths[0])
    if sink.split is not None:
        dev.to_disk(sink.paths[1])


EXPORT = ExportFormat("spacy", "spaCy DocBin", ".spacy", write,
                      "docs with entities (and kb ids) for spacy train, their relations "
                      "as doc._.rel and topics as doc.cats", tokens=True, text_file=False,
                      splits=True, relations=True, topics=True)
