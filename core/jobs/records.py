"""Pre-annotating records instead of a project: the unit a distributed engine maps.

A corpus too big for one desktop is pre-annotated where it lives (Dask, Spark, a batch
queue) one partition of JSONL records at a time, and the result is imported with
``assay-cli import``. :func:`annotate_records` is that unit: records in, the same records
with the model's suggestions out, in the form the importer reads back as suggestions
(``core.formats.read_records``: explicit ``state: "suggested"`` and ``origin: "model"`` or
``"rules"``), so a reviewer still decides every one.

Why it goes through the importer's own reading of a record (``article_from_record``): the
spans must be those ``assay-cli annotate`` would make on the article once imported, so the
text annotated is the text the project will store (line endings and control characters
normalised, lone UTF-16 surrogates as U+FFFD), and a record the import would refuse is
skipped here with the import's own reason instead of being annotated for nothing. The
record's own ``text`` is never rewritten: offsets found on the stored text are mapped back
onto it (:class:`_ToRaw`), and the import maps them forward again exactly.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from core.formats.bad_content import BadContent
from core.formats.read_records import article_from_record
from core.formats.source_text import MAX_ARTICLE_BYTES, RawOffsets
from core.models import ArticleIn, SpanIn
from core.store.spans import overlap_problem
from core.text.normalise import normalise_text

# Suggestions a new run replaces, as ``store_annotations`` does in a project.
REPLACED_ORIGINS = ("model", "rules")
_SURROGATE = re.compile("[\ud800-\udfff]")

SkipHandler = Callable[[int, str], None]


def annotate_records(
    records: Iterable[Any],
    annotator,  # core.nlp.pipeline.Annotator; untyped to keep spaCy out of this import
    *,
    batch_size: int = 64,
    on_skip: SkipHandler | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield each record with the model's suggestions added, in input order.

    Streams: at most ``batch_size`` records are held at a time. Every key of a record
    passes through unchanged except two: ``spans`` (the record's kept spans, then the new
    suggestions ``{start, end, label, text, origin, state: "suggested", kb_id?, model}``,
    sorted by offset) and ``model`` (``annotator.model_id``). Offsets index the record's
    own ``text``.

    Spans the record already has follow the rule ``assay-cli annotate --force`` applies to
    a project, so re-running over an output is safe and a newer model refreshes it:

    * earlier model suggestions (state ``suggested``, origin ``model`` or ``rules``) are
      replaced by the new ones;
    * every other span is kept exactly as it is in the record (a reviewer's accepted or
      rejected spans, imported ones, doccano ``label``/``entities`` lists, which are copied
      into ``spans`` in Assay form because the importer reads ``spans`` first);
    * a new suggestion that overlaps a kept span that is not rejected is dropped, and one
      that a kept rejected span already refused (same offsets and label) is not made again.

    A record the import would refuse (not an object, no ``text`` or not a string, empty
    text, spans or claims that do not fit, over 100 MB) or that the pipeline fails on is
    not yielded: ``on_skip(index, reason)`` is called instead, ``index`` being its 0-based
    position in ``records``, and the run goes on. A record refused on reading is reported
    before the next record is taken from ``records``; one the pipeline fails on, while its
    batch is annotated. The default ``on_skip`` prints one line on stderr.
    """
    skip = on_skip or _print_skip
    batch: list[_Item] = []
    for index, record in enumerate(records):
        try:
            batch.append(_prepare(index, record))
        except BadContent as exc:
            skip(index, str(exc))
            continue
        if len(batch) >= batch_size:
            yield from _annotate_batch(batch, annotator, batch_size, skip)
            batch = []
    if batch:
        yield from _annotate_batch(batch, annotator, batch_size, skip)


def _print_skip(index: int, reason: str) -> None:
    print(f"record {index + 1} skipped: {reason}", file=sys.stderr)


@dataclass
class _Item:
    """A record read as the import reads it, waiting in the batch for the pipeline."""

    index: int
    record: dict[str, Any]
    article: ArticleIn  # normalised text, the record's spans on it with import's states
    text: str  # what the pipeline sees: the text the project will store


def _prepare(index: int, record: Any) -> _Item:
    """Read one record as the import would; raises BadContent with the import's reason."""
    if not isinstance(record, dict):
        raise BadContent(f"not a JSON object (found {type(record).__name__})")
    article = article_from_record(record)
    text = article.text
    overlap = overlap_problem(article.spans, text)  # the import would refuse the record
    if overlap:
        raise BadContent(overlap)
    if len(text) * 4 > MAX_ARTICLE_BYTES and \
            len(text.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        raise BadContent(f"too large for one article (the limit is "
                         f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB); split it into several articles")
    # The import stores U+FFFD for a lone surrogate (one for one, offsets stay).
    return _Item(index, record, article, _SURROGATE.sub("\ufffd", text))


def _annotate_batch(
    batch: list[_Item], annotator, batch_size: int, skip: SkipHandler,
) -> Iterator[dict[str, Any]]:
    """The batch's outputs; if the pipeline fails, each record alone, skipping the culprit."""
    model = annotator.model_id
    try:
        results = [spans for spans, _tokens in
                   annotator.annotate([it.text for it in batch], batch_size=batch_size)]
    except Exception:  # noqa: BLE001 - one bad record must not stop the run: find it below
        results = None
    if results is not None:
        for item, spans in zip(batch, results, strict=True):
            yield _output(item, spans, model)
        return
    for item in batch:
        try:
            [(spans, _tokens)] = list(annotator.annotate([item.text], batch_size=1))
        except Exception as exc:  # noqa: BLE001
            skip(item.index, f"the pipeline failed on it ({type(exc).__name__}: {exc})"[:300])
            continue
        yield _output(item, spans, model)


def _output(item: _Item, suggestions: Sequence[SpanIn], model: str) -> dict[str, Any]:
    """The record with its kept spans and the new suggestions that do not clash with them."""
    record, existing = item.record, item.article.spans
    kept = [i for i, sp in enumerate(existing)
            if not (sp.state == "suggested" and sp.origin in REPLACED_ORIGINS)]
    blocks = _Blocks([(existing[i].start, existing[i].end) for i in kept
                      if existing[i].state != "rejected"])
    refused = {(existing[i].start, existing[i].end, existing[i].label) for i in kept
               if existing[i].state == "rejected"}
    new = [sp for sp in suggestions
           if (sp.start, sp.end, sp.label) not in refused and not blocks.overlap(sp.start, sp.end)]
    raw = record["text"]
    to_raw = _ToRaw(raw) if item.article.text != raw else None
    items = record.get("spans")
    # Else doccano lists (or none): copied in Assay form.
    verbatim = items if isinstance(items, list) else None
    ordered: list[tuple[tuple[int, int], Any]] = [
        ((existing[i].start, existing[i].end),
         verbatim[i] if verbatim is not None else _span_dict(existing[i], raw, to_raw))
        for i in kept]
    ordered += [((sp.start, sp.end), _span_dict(sp, raw, to_raw, model)) for sp in new]
    ordered.sort(key=lambda pair: pair[0])
    out = dict(record)
    out["spans"] = [span for _where, span in ordered]
    out["model"] = model
    return out


def _span_dict(sp: SpanIn, raw: str, to_raw: _ToRaw | None,
               model: str | None = None) -> dict[str, Any]:
    """A span in Assay JSONL form on the record's own text (``text`` quotes it exactly)."""
    start, end = (to_raw.start(sp.start), to_raw.end(sp.end)) if to_raw else (sp.start, sp.end)
    span: dict[str, Any] = {"start": start, "end": end, "label": sp.label,
                            "text": raw[start:end], "origin": sp.origin, "state": sp.state}
    if sp.kb_id:
        span["kb_id"] = sp.kb_id
    if model:
        span["model"] = model
    return span


class _Blocks:
    """Does ``[start, end)`` overlap any of these spans? In log time, as a record can carry
    thousands of reviewed spans (they need not be disjoint: the import judges that)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [s for s, _e in spans]
        self.reach: list[int] = []  # the furthest end among the spans up to each one
        for _s, e in spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def overlap(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # the spans that start before ``end``
        return i > 0 and self.reach[i - 1] > start


class _ToRaw:
    """Offsets in the normalised text mapped back onto the raw text it was made from.

    Normalising only drops characters (a ``\\n`` after ``\\r``, control characters, leading
    BOMs) or replaces one with one, pass after pass until nothing changes
    (``source_text.normalised_with_spans``). So the ``k``-th character of the result is
    one raw character, found by undoing each pass's dropped positions, last pass first. A
    span's end maps to just after its last character, so the import's forward mapping
    (``source_text.remap_spans``) gives back exactly the offsets the pipeline found.
    """

    def __init__(self, raw: str) -> None:
        self.passes: list[list[int]] = []
        text = raw
        for _ in range(8):  # the same bound as normalised_with_spans
            after = normalise_text(text)
            if after == text:
                break
            mapping = RawOffsets(text)
            if not mapping.fits(after):
                raise BadContent("cannot map span offsets onto the normalised text")
            self.passes.append(mapping.dropped)
            text = after

    def _kept(self, k: int) -> int:
        for dropped in reversed(self.passes):
            k = _nth_kept(dropped, k)
        return k

    def start(self, offset: int) -> int:
        return self._kept(offset)

    def end(self, offset: int) -> int:
        return self._kept(offset - 1) + 1


def _nth_kept(dropped: list[int], k: int) -> int:
    """Position of the ``k``-th (0-based) character not in the sorted list ``dropped``.

    The least ``p`` with ``p = k + #{d <= p}``; iterating from ``k`` climbs to it, and it is
    never a dropped position (if it were, ``p - 1`` would be a smaller solution).
    """
    p = k
    while True:
        q = k + bisect_right(dropped, p)
        if q == p:
            return p
        p = q
