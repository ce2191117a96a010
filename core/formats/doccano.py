"""doccano sequence-labelling JSONL: ``{"text", "label": [[start, end, label]]}``.

The other keys (``article_id``, title, source, url, published, and for an article made from
a PDF ``pages``, each page's start offset) are kept by doccano's
importer as the example's ``meta``, so records exported from doccano can be joined back.
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
        line = {"text": a.text, "label": [[s.start, s.end, s.label] for s in rec.spans],
                "article_id": a.id, "title": a.title, "source": a.source,
                "url": a.url, "published": a.published}
        if a.page_starts:  # a PDF's pages: where each starts in the text
            line["pages"] = list(a.page_starts)
        fh.write(dump(line))


EXPORT = ExportFormat("doccano", "doccano JSONL", ".jsonl", write,
                      "character-offset spans; article id and metadata as extra keys")
