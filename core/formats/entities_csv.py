"""A CSV of entities: one row per accepted span, with its link and the linked entry's name
(so a project's own ids, which live only in its file, can still be read)."""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.csv_cells import SpreadsheetWriter
from core.models import Reviewed

COLUMNS = ("article_id", "title", "start", "end", "text", "label", "kb_id", "kb_name")


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    writer = SpreadsheetWriter(sink.fh, COLUMNS)
    linker = sink.linker
    for rec in records:
        a = rec.article
        for s in rec.spans:
            entry = linker.entry(s.label, s.kb_id) if s.kb_id else None
            writer.writerow([a.id, a.title, s.start, s.end, s.text, s.label, s.kb_id or "",
                             entry.name if entry else ""])


EXPORT = ExportFormat("csv", "CSV of entities", ".csv", write,
                      "one row per entity with its kb id and the id's name")
