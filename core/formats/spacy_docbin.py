"""spaCy ``DocBin`` (``.spacy``): what ``spacy train`` reads, optionally split train/dev.

The DocBin is built in memory before it is written (that is how ``DocBin.to_disk``
works); a seeded shuffle decides which articles go to ``<stem>-dev.spacy``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.token_docs import docs
from core.models import Reviewed


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    from spacy.tokens import DocBin

    train = DocBin(store_user_data=False)
    dev = DocBin(store_user_data=False)
    in_dev: set[int] = set()
    total = sink.total
    if sink.split is not None:
        order = list(range(total))
        random.Random(sink.seed).shuffle(order)
        n_train = round(total * sink.split)
        if total >= 2:
            n_train = min(max(n_train, 1), total - 1)
        in_dev = set(order[n_train:])
    for index, (_rec, doc, pairs) in enumerate(docs(records)):
        doc.set_ents([ent for ent, _s in pairs])
        (dev if index in in_dev else train).add(doc)
    train.to_disk(sink.paths[0])
    if sink.split is not None:
        dev.to_disk(sink.paths[1])


EXPORT = ExportFormat("spacy", "spaCy DocBin", ".spacy", write,
                      "docs with entities (and kb ids) for spacy train", tokens=True,
                      text_file=False, splits=True)
