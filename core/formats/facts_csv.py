"""A CSV of facts: each sentence's co-mentioned (country, mineral) pairs, with their ids.

The raw material of a supply-chain graph: "Indonesia … nickel" in one sentence. A
GPE/NORP entity counts when it is linked to an ISO 3166 code: a country (``IDN``) or a
province or state (``CD-LU``, whose country ``COD`` is written as ``country_id`` and the
province as ``place_id``). An unlinked place (a city such as "Kolwezi") would be a row
nobody can join on and is left out. A pair is written once per sentence (by id, or by
text for an unlinked mineral); spans that cross a sentence boundary are not paired.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.formats.base import ExportFormat, Sink
from core.formats.csv_cells import SpreadsheetWriter
from core.models import Reviewed, Span
from core.nlp.linking import country_of
from core.text.sentences import SentenceIndex

COLUMNS = ("article_id", "title", "sentence_start", "sentence_end", "sentence",
           "country", "country_label", "country_id", "place_id", "mineral", "mineral_id")
COUNTRY_LABELS = ("GPE", "NORP")


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    writer = SpreadsheetWriter(sink.fh, COLUMNS)
    for rec in records:
        a = rec.article
        index = SentenceIndex(a.text)
        by_sentence: dict[int, tuple[list[Span], list[Span]]] = {}
        for s in rec.spans:
            if s.label != "MINERAL" and not (s.label in COUNTRY_LABELS and country_of(s.kb_id)):
                continue
            i = index.index_of(s.start, s.end)
            if i is not None:
                slot = by_sentence.setdefault(i, ([], []))
                slot[1 if s.label == "MINERAL" else 0].append(s)
        for i in sorted(by_sentence):
            countries, minerals = by_sentence[i]
            start, end = index.bounds[i]
            seen: set[tuple[str, str]] = set()
            for c in countries:
                for m in minerals:
                    key = (c.kb_id or c.text, m.kb_id or m.text)
                    if key in seen:
                        continue
                    seen.add(key)
                    writer.writerow([a.id, a.title, start, end, a.text[start:end], c.text,
                                     c.label, country_of(c.kb_id), c.kb_id, m.text,
                                     m.kb_id or ""])
                    sink.report.rows += 1


EXPORT = ExportFormat("facts", "CSV of facts (country × mineral)", ".csv", write,
                      "per sentence, every co-mentioned country and mineral with their ids",
                      unit="fact row(s)")
