"""Prodigy ``ner_manual`` JSONL: tokens with offsets, spans with inclusive token ends.

Each record carries ``_input_hash`` (of the text) and ``_task_hash`` (of the text and
spans), so equal texts group in Prodigy's ``review`` recipe and its agreement tools.

Topics are in the same task as Prodigy's choice interface writes them (``textcat.manual``
with several labels): ``options`` lists every topic of the scheme as ``{"id", "text"}``
(the name both times) and ``accept`` the ids of the article's accepted ones; a project
without topics writes neither.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from core.formats.base import ExportFormat, Sink, dump
from core.formats.token_docs import not_on_tokens, words
from core.models import Reviewed


def prodigy_hashes(text: str, spans: list[dict[str, Any]]) -> tuple[int, int]:
    """``_input_hash`` and ``_task_hash`` as Prodigy makes them: a 32-bit MurmurHash of the
    input (the text) and of the input hash with the task (the spans). Equal texts get
    equal input hashes, which is how Prodigy's ``review`` and agreement group them."""
    from murmurhash.mrmr import hash as murmur

    input_hash = murmur(json.dumps({"text": text}, sort_keys=True))
    task = [{"start": sp["start"], "end": sp["end"], "label": sp["label"]} for sp in spans]
    task_hash = murmur(json.dumps({"input_hash": input_hash, "spans": task}, sort_keys=True))
    return input_hash, task_hash


def write(records: Iterable[Reviewed], sink: Sink) -> None:
    """Built from the words directly (no spaCy ``Doc`` is needed)."""
    fh = sink.fh
    assert fh is not None
    options = [{"id": t.name, "text": t.name} for t in sink.topics]
    for rec in records:
        a = rec.article
        ws, spaces = words(rec)
        tokens = []
        first_of: dict[int, int] = {}
        last_of: dict[int, int] = {}
        position = 0
        for i, (word, space) in enumerate(zip(ws, spaces, strict=True)):
            end = position + len(word)
            tokens.append({"text": word, "start": position, "end": end, "id": i, "ws": space})
            first_of[position] = i
            last_of[end] = i
            position = end + space
        spans = []
        for s in rec.spans:
            if s.start not in first_of or s.end not in last_of:  # pragma: no cover
                raise not_on_tokens(rec, s)
            item = {"start": s.start, "end": s.end, "text": s.text, "label": s.label,
                    "token_start": first_of[s.start], "token_end": last_of[s.end]}
            if s.kb_id:
                item["kb_id"] = s.kb_id
            spans.append(item)
        input_hash, task_hash = prodigy_hashes(a.text, spans)
        meta: dict[str, Any] = {"article_id": a.id, "title": a.title, "source": a.source,
                                "url": a.url, "published": a.published}
        if a.page_starts:  # a PDF's pages: where each starts in the text, to cite a page
            meta["pages"] = list(a.page_starts)
        task: dict[str, Any] = {
            "text": a.text, "tokens": tokens, "spans": spans, "answer": "accept",
            "_input_hash": input_hash, "_task_hash": task_hash, "meta": meta,
        }
        if options or rec.topics:
            task["options"] = options
            task["accept"] = [t.topic for t in rec.topics]
        fh.write(dump(task))


EXPORT = ExportFormat("prodigy", "Prodigy JSONL", ".jsonl", write,
                      "tokens, token-indexed spans, _input_hash and _task_hash; topics as "
                      "options and accept", tokens=True, topics=True)
