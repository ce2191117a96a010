"""doccano relation extraction JSONL: ``{"text", "entities", "relations"}`` per article.

``entities`` are ``{"id", "start_offset", "end_offset", "label"}`` (character offsets) and
``relations`` ``{"id", "from_id", "to_id", "type"}``, whose ends are entity ids. doccano's
importer (``backend/data_import``: ``RelationExtractionDataset``) maps ``from_id`` and
``to_id`` to the entities of the same line, so an id must be unique within its line; ours
are the project's span and relation ids, unique within the whole file. The accepted
entities and the accepted relations between them are written; the article's id and
metadata are extra keys, which doccano keeps as the example's ``meta``. doccano keeps no
state, so importing the file back (``core.formats.read_records``) makes every entity and
relation accepted.
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
        fh.write(dump({
            "text": a.text,
            "entities": [{"id": s.id, "start_offset": s.start, "end_offset": s.end,
                          "label": s.label} for s in rec.spans],
            "relations": [{"id": r.id, "from_id": r.head_id, "to_id": r.tail_id,
                           "type": r.type} for r in rec.relations],
            "article_id": a.id, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published}))


EXPORT = ExportFormat("doccano-relations", "doccano relation extraction JSONL", ".jsonl",
                      write, "entities with ids, the relations between them; metadata",
                      relations=True)
