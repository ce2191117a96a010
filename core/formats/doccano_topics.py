"""doccano JSONL for a project with spans and document labels: ``{"text", "entities":
[[start, end, label]], "cats": [topic, ...]}`` per article.

doccano 1.8.4 has one project type that holds both, *Intent detection and slot
filling*, and its importer (``backend/data_import``: ``CategoryAndSpanDataset``) reads
the spans from ``entities`` and the document's categories from ``cats`` (a sequence
labelling project reads spans from ``label``, which a text classification project reads
as categories: so this is a format of its own beside ``doccano``). The article's accepted
spans and accepted topics are written; its id and metadata are extra keys, which doccano
keeps as the example's ``meta``. doccano keeps no state, so importing the file back
into Assay makes every span accepted.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink, dump
from core.models import Reviewed


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    fh = sink.fh
    assert fh is not None
    for rec in records:
        a = rec.article
        fh.write(dump({"text": a.text,
                       "entities": [[s.start, s.end, s.label] for s in rec.spans],
                       "cats": [t.topic for t in rec.topics],
                       "article_id": a.id, "title": a.title, "source": a.source,
                       "url": a.url, "published": a.published}))


EXPORT = ExportFormat("doccano-topics", "doccano JSONL with topics (intent and slots)",
                      ".jsonl", write, "character-offset spans as entities, topics as cats "
                      "(doccano's intent detection and slot filling project)", topics=True)
