"""A CSV of entities: one row per accepted span, with its link and the linked entry's name
(so a project's own ids, which live only in its file, can still be read), and the
article's accepted topics (``topics``: the names joined by ``"; "``, in the scheme's
order; guarded against formula injection like every cell, ``core.formats.csv_cells``).
An article without entities has no row."""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.csv_cells import SpreadsheetWriter
from core.models import Reviewed

COLUMNS = ("article_id", "title", "start", "end", "text", "label", "kb_id", "kb_name",
           "topics")
TOPIC_SEPARATOR = "; "


def joined_topics(rec: Reviewed) -> str:
    """The article's topics as one cell: ``"export controls; policy and law"``."""
    return TOPIC_SEPARATOR.join(t.topic for t in rec.topics)


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    writer = SpreadsheetWriter(sink.fh, COLUMNS)
    linker = sink.linker
    for rec in records:
        a = rec.article
        topics = joined_topics(rec)
        for s in rec.spans:
            entry = linker.entry(s.label, s.kb_id) if s.kb_id else None
            writer.writerow([a.id, a.title, s.start, s.end, s.text, s.label, s.kb_id or "",
                             entry.name if entry else "", topics])


EXPORT = ExportFormat("csv", "CSV of entities", ".csv", write,
                      "one row per entity with its kb id, the id's name and the article's "
                      "topics", topics=True)
