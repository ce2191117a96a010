"""Files of article records: Assay/Prodigy/doccano ``.jsonl`` and Label Studio ``.json``.

A record's spans and claims are checked like any edit (bounds, labels, states) and
their offsets follow the text through normalising (``source_text.remap_spans``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeGuard

from core.errors import AssayError
from core.formats.assay_jsonl import SCHEME_KEY
from core.formats.bad_content import BadContent as _BadContent
from core.formats.encoding import (
    _text_lines,
)
from core.formats.html import TITLE_MAX_CHARS, _collapse
from core.formats.source_text import (
    Entry,
    RawOffsets,
    normalised_with_spans,
    problem,
)
from core.formats.topic_records import exported_topics, scheme_topics
from core.models import (
    ARTICLE_STATUSES,
    CLAIM_ORIGINS,
    CLAIM_STATES,
    CLAIM_VERDICTS,
    RELATION_ORIGINS,
    RELATION_STATES,
    SPAN_ORIGINS,
    SPAN_STATES,
    ArticleIn,
    ClaimIn,
    ImportedDecision,
    Label,
    RelationIn,
    SchemeIn,
    SpanIn,
)
from core.store.relation_types import read_relation_types
from core.text.normalise import normalise_text
from core.text.pages import page_problem

# ---------------------------------------------------------------- .jsonl


def read_jsonl(path: Path) -> Iterator[Entry]:
    """One article per line; malformed lines are problems and the rest still imports.

    An Assay JSONL export (``core.formats.assay_jsonl``) begins with its label scheme: then
    the scheme is yielded first, and each article's decision, ids and stamps are read too.
    """
    seen_any = False
    exported = False  # an Assay JSONL export: its first line was the scheme
    for number, line in _text_lines(path):
        if not line.strip():
            continue
        first, seen_any = not seen_any, True
        try:
            record = json.loads(line, strict=False)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            yield number, problem(path, number, json_problem(exc))
            continue
        if first and isinstance(record, dict) and SCHEME_KEY in record:
            try:
                yield number, scheme_from_record(record[SCHEME_KEY])
                exported = True
            except _BadContent as exc:
                raise _BadContent(f"line {number}: the scheme {exc}") from exc
        try:
            article = (exported_article(record) if exported
                       else article_from_record(record, default_source=path.name))
        except _BadContent as exc:
            yield number, problem(path, number, str(exc))
            continue
        yield number, article
    if not seen_any:
        raise _BadContent("empty")


# ---------------------------------------------------------------- Assay JSONL exports


def scheme_from_record(value: Any) -> SchemeIn:
    """The scheme line of an Assay JSONL export (checked again by the store)."""
    scheme = value  # (the walrus below rebinds ``value``)
    labels = value.get("labels") if isinstance(value, dict) else None
    if not isinstance(labels, list) or not labels:
        raise _BadContent("has no list of labels")
    out = []
    for i, item in enumerate(labels):
        fields = {k: value for k in ("name", "color", "hotkey", "description")
                  if isinstance(value := item.get(k), str)} if isinstance(item, dict) else {}
        if len(fields) < 4:
            raise _BadContent(f"label {i + 1} is not a name, colour, key and description")
        out.append(Label(fields["name"], fields["color"], fields["hotkey"],
                         fields["description"], i))
    try:  # files from before relations have none: the importing project's types stay
        types = read_relation_types(scheme, "its relations") if "relations" in scheme else []
    except AssayError as exc:
        raise _BadContent(str(exc)) from exc
    topics = scheme_topics(scheme) if "topics" in scheme else ()
    return SchemeIn(tuple(out), tuple(types), topics)


def exported_article(record: Any) -> ArticleIn:
    """An article line of an Assay JSONL export: as ``article_from_record`` reads any
    record, plus what only this format carries, taken as written (the source even when
    empty, the link even when none, the model, the id, the decision, who and when)."""
    if not isinstance(record, dict):
        raise _BadContent(f"not a JSON object (found {type(record).__name__})")
    record = {**record, **{key: _listed(record, key) + _listed(record, f"other_{key}")
                           for key in ("spans", "claims")}}
    article = article_from_record(record)
    status = record.get("status")
    if status not in ARTICLE_STATUSES:
        raise _BadContent(f"has no status (one of {', '.join(ARTICLE_STATUSES)})")
    seconds = record.get("review_seconds")
    decision = ImportedDecision(
        status, _text_or_none(record, "reviewed_by"), _text_or_none(record, "reviewed_at"),
        float(seconds) if _is_number(seconds) else None,
        _text_or_none(record, "note") or "")
    items = [i for i in record.get("spans") or [] if isinstance(i, dict)]
    claims = [i for i in record.get("claims") or [] if isinstance(i, dict)]
    if len(items) != len(article.spans) or len(claims) != len(article.claims):
        raise _BadContent("has spans or claims that are not objects")
    article_id = record.get("id")
    return replace(
        article, source=_text_or_none(record, "source") or "",
        model=_text_or_none(record, "model"),
        id=_kept_id(article_id),
        decision=decision,
        spans=tuple(replace(s, stamp=_stamp(item), kb_as_given=True, id=_kept_id(item.get("id")))
                    for s, item in zip(article.spans, items, strict=True)),
        relations=exported_relations(record.get("relations"), items),
        topics=exported_topics(record.get("topics")),
        claims=tuple(replace(c, stamp=_stamp(item))
                     for c, item in zip(article.claims, claims, strict=True)))


def _kept_id(value: Any) -> int | None:
    """An id from the file that SQLite can keep (a positive 64-bit integer), else None."""
    return value if _is_int(value) and 0 < value <= LARGEST_ID else None


def exported_relations(value: Any, spans: list[dict[str, Any]]) -> tuple[RelationIn, ...]:
    """The ``relations`` of an Assay JSONL line (``core.formats.assay_jsonl``), each end
    found among the line's ``spans`` (its spans, then its other spans) by its offsets; the
    span id decides only between two spans at the same offsets. State, origin, model, who
    and when as the file says (a relation without a state is a suggestion)."""
    out = []
    for i, item in enumerate(_items(value, "relations")):
        where = f"relations[{i}]"
        ends = [_end_by_offsets(spans, item.get(f"{end}_span"), item.get(end), f"{where} {end}")
                for end in ("head", "tail")]
        model = item.get("model")
        out.append(RelationIn(
            ends[0], ends[1], _relation_type(item, where),
            _one_of(item.get("state"), RELATION_STATES, "suggested"),
            _one_of(item.get("origin"), RELATION_ORIGINS, "imported"),
            model=_storable(model) if isinstance(model, str) and model else None,
            stamp=_stamp(item), id=_kept_id(item.get("id"))))
    return tuple(out)


def doccano_relations(value: Any, entities: Any) -> tuple[RelationIn, ...]:
    """doccano relation extraction's ``relations`` (``{id, from_id, to_id, type}``), whose
    ends are the ``id`` of the record's ``entities``. doccano keeps no state: they are
    imported as its entities are, accepted (a ``state`` the file gives wins)."""
    relations = _items(value, "relations")
    if not relations:
        return ()
    where_is: dict[int, int] = {}
    for k, entity in enumerate(entities if isinstance(entities, list) else []):
        entity_id = entity.get("id") if isinstance(entity, dict) else None
        if _is_int(entity_id):
            where_is[entity_id] = -1 if entity_id in where_is else k  # -1: named twice
    out = []
    for i, item in enumerate(relations):
        where = f"relations[{i}]"
        ends = []
        for key in ("from_id", "to_id"):
            k = where_is.get(item[key], -2) if _is_int(item.get(key)) else -2
            if k < 0:
                raise _BadContent(f"{where} {key} {item.get(key)!r} is "
                                  f"{'two entities' if k == -1 else 'no entity of the text'}")
            ends.append(k)
        out.append(RelationIn(ends[0], ends[1], _relation_type(item, where),
                              _one_of(item.get("state"), RELATION_STATES, "accepted"),
                              "imported"))
    return tuple(out)


def _items(value: Any, key: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _BadContent(f'"{key}" is not a list')
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise _BadContent(f"{key}[{i}] is not an object")
    return value


def _relation_type(item: dict[str, Any], where: str) -> str:
    kind = item.get("type")
    if not isinstance(kind, str) or not kind.strip():
        raise _BadContent(f"{where} has no type")
    return kind.strip()


def _end_by_offsets(spans: list[dict[str, Any]], offsets: Any, span_id: Any,
                    where: str) -> int:
    """The position in ``spans`` of the span at ``offsets`` ([start, end]); ``span_id``
    decides between two at the same place (a rejected suggestion under a correction)."""
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_int, offsets))):
        raise _BadContent(f"{where} has no [start, end] of its entity")
    found = [k for k, s in enumerate(spans) if [s.get("start"), s.get("end")] == offsets]
    if len(found) > 1:
        found = [k for k in found if spans[k].get("id") == span_id] or found
    if len(found) != 1:
        start, end = offsets
        raise _BadContent(f"{where} [{start}, {end}) is "
                          f"{'no entity' if not found else 'several entities'} of the article")
    return found[0]


def _listed(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is not None and not isinstance(value, list):
        raise _BadContent(f'"{key}" is not a list')
    return value or []


# The largest id SQLite stores (a signed 64-bit integer): a larger one is not kept.
LARGEST_ID = 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """A lone UTF-16 surrogate (JSON can spell one) as U+FFFD: SQLite cannot store it."""
    return _SURROGATE.sub("\ufffd", text)


def _text_or_none(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return _storable(value) if isinstance(value, str) else None


def _stamp(item: dict[str, Any]) -> tuple[str, str] | None:
    who, when = item.get("updated_by"), item.get("updated_at")
    return ((_storable(who), _storable(when)) if isinstance(who, str) and isinstance(when, str)
            else None)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------- Label Studio .json


def read_label_studio(path: Path) -> Iterator[Entry]:
    """A Label Studio export: an array of tasks, each one article (``core.formats.label_studio``).

    The number in a problem is the task's position in the array."""
    from core.formats import label_studio

    if label_studio.file_too_large(path):
        raise _BadContent(f"too large ({path.stat().st_size / 1e9:.1f} GB) for one JSON file; "
                          "export it from Label Studio in parts")
    with path.open("rb") as fh:
        data = fh.read()
    try:
        tasks = list(label_studio.read_tasks(data))
    except (ValueError, RecursionError) as exc:
        raise _BadContent(json_problem(exc)) from exc
    if not tasks:
        raise _BadContent("no tasks")
    for number, item in tasks:
        try:
            record, relations = label_studio.task_record(item)
            article = article_from_record(record, default_source=path.name)
            yield number, replace(article, relations=tuple(relations),
                                  topics=label_studio.task_topics(item))
        except (ValueError, _BadContent) as exc:
            yield number, problem(path, number, f"task {number}: {exc}")


def json_problem(exc: ValueError | RecursionError) -> str:
    """A JSON parse error in words (annotate-jsonl reports bad lines the same way)."""
    if isinstance(exc, RecursionError):
        return "malformed JSON (nested too deeply)"
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON ({exc.msg} at column {exc.colno})"
    return f"malformed JSON ({exc})"


_META_FIELDS = {
    "title": ("title", "headline"),
    "source": ("source", "publisher"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at"),
}


def article_from_record(record: Any, default_source: str = "") -> ArticleIn:
    """An article from one JSON record (Assay, Prodigy or doccano JSONL); raises _BadContent."""
    if not isinstance(record, dict):
        raise _BadContent(f"not a JSON object (found {type(record).__name__})")
    if "text" not in record:
        raise _BadContent('no "text" field')
    raw = record["text"]
    if not isinstance(raw, str):
        raise _BadContent(f'"text" is not a string (found {type(raw).__name__})')
    spans = _record_spans(record, raw)
    claims = _record_claims(record, raw)
    # Claims ride along as spans so that one remapping moves both onto the normalised text.
    text, moved = normalised_with_spans(raw, spans + [SpanIn(c.start, c.end, "claim")
                                                      for c in claims])
    spans = moved[:len(spans)]
    claims = [replace(c, start=m.start, end=m.end)
              for c, m in zip(claims, moved[len(spans):], strict=True)]
    if not text.strip():
        raise _BadContent("empty text")
    meta = given if isinstance(given := record.get("meta"), dict) else {}
    fields = {name: _meta_value(record, meta, keys) for name, keys in _META_FIELDS.items()}
    return ArticleIn(
        text=text,
        title=_collapse(normalise_text(fields["title"]))[: TITLE_MAX_CHARS * 2],
        source=fields["source"] or default_source,
        url=fields["url"],
        published=fields["published"],
        spans=tuple(spans),
        claims=tuple(claims),
        relations=(doccano_relations(record.get("relations"), record["entities"])
                   if "entities" in record and "spans" not in record else ()),
        model=_annotated_by(record, spans),
        pages=_record_pages(record.get("pages", meta.get("pages")), raw, text),
    )


def _record_pages(given: Any, raw: str, text: str) -> tuple[int, ...]:
    """The page starts a record carries (Assay JSONL ``pages``, Prodigy ``meta.pages``:
    ``core.text.pages``), moved onto the normalised text like spans; raises _BadContent."""
    if given is None:
        return ()
    if not isinstance(given, list) or page_problem(given, len(raw)):
        raise _BadContent('"pages" is not a list of page start offsets, in order, within '
                          "the text")
    if raw == text:
        return tuple(given)
    moved = RawOffsets(raw)
    if not moved.fits(text):
        raise _BadContent('cannot map "pages" onto the normalised text')
    return tuple(moved(n) for n in given)


def _annotated_by(record: dict[str, Any], spans: list[SpanIn]) -> str | None:
    """The record's pre-annotator, when it names one and its suggestions are there."""
    model = record.get("model")
    if not isinstance(model, str) or not model.strip():
        return None
    return model if any(s.origin in ("model", "rules") for s in spans) or not spans else None


def _meta_value(record: dict[str, Any], meta: dict[str, Any], keys: tuple[str, ...]) -> str:
    for holder in (record, meta):
        for key in keys:
            value = holder.get(key)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                text = str(value).strip()
                if text:
                    return text
    return ""


def _record_spans(record: dict[str, Any], raw: str) -> list[SpanIn]:
    """Pre-made spans: Assay/Prodigy ``spans``, doccano ``label``/``entities`` lists.

    Prodigy spans are suggestions unless the example was accepted (``"answer":
    "accept"``); doccano and spaCy-style lists are annotations someone made, so
    they are accepted. An Assay export's own ``state`` and ``origin`` win.
    """
    answer = record.get("answer", "")
    if "spans" in record:
        default_state = {"accept": "accepted", "reject": "rejected"}.get(answer, "suggested")
        items, key = record["spans"], "spans"
    elif "entities" in record:
        items, key, default_state = record["entities"], "entities", "accepted"
    elif "label" in record:
        items, key, default_state = record["label"], "label", "accepted"
        if isinstance(items, list) and all(isinstance(x, str) for x in items):
            return []  # doccano text classification: document labels, not spans
    else:
        return []
    if items is None:
        return []
    if not isinstance(items, list):
        raise _BadContent(f'"{key}" is not a list')
    return [_span(item, raw, default_state, f"{key}[{i}]") for i, item in enumerate(items)]


def _span(item: Any, raw: str, default_state: str, where: str) -> SpanIn:
    if isinstance(item, list | tuple) and len(item) >= 3:
        start, end, label, extra = item[0], item[1], item[2], {}
    elif isinstance(item, dict):
        start = item.get("start", item.get("start_offset"))
        end = item.get("end", item.get("end_offset"))
        label, extra = item.get("label"), item
    else:
        raise _BadContent(f"{where} is not a span (expected [start, end, label] or an object)")
    if not (_is_int(start) and _is_int(end)):
        raise _BadContent(f"{where} has no whole-number start and end")
    if not isinstance(label, str) or not label.strip():
        raise _BadContent(f"{where} has no label")
    if not 0 <= start < end <= len(raw):
        raise _BadContent(f"{where} [{start}, {end}) does not fit the text (length {len(raw)})")
    quoted = extra.get("text")
    if isinstance(quoted, str) and quoted != raw[start:end]:
        raise _BadContent(
            f"{where} [{start}, {end}) says {quoted!r} but the text there is {raw[start:end]!r}"
        )
    state = _one_of(extra.get("state"), SPAN_STATES, default_state)
    origin = _one_of(extra.get("origin"), SPAN_ORIGINS, "imported")
    kb_id = extra.get("kb_id")
    model = extra.get("model")  # which pre-annotator made it (annotate-jsonl writes it)
    return SpanIn(start, end, label.strip(), origin=origin, state=state,
                  kb_id=kb_id if isinstance(kb_id, str) and kb_id else None,
                  model=model if isinstance(model, str) and model else None)


def _record_claims(record: dict[str, Any], raw: str) -> list[ClaimIn]:
    """The ``claims`` of an Assay JSONL record: passages with verdict, evidence and note."""
    items = record.get("claims")
    if items is None:
        return []
    if not isinstance(items, list):
        raise _BadContent('"claims" is not a list')
    claims = []
    for i, item in enumerate(items):
        where = f"claims[{i}]"
        if not isinstance(item, dict):
            raise _BadContent(f"{where} is not an object")
        start, end = item.get("start"), item.get("end")
        if not (_is_int(start) and _is_int(end)) or not 0 <= start < end <= len(raw):
            raise _BadContent(f"{where} has no whole-number start and end inside the text")
        quoted = item.get("text")
        if isinstance(quoted, str) and quoted != raw[start:end]:
            raise _BadContent(f"{where} [{start}, {end}) does not quote the text there")
        verdict = item.get("verdict", "unchecked")
        if verdict not in CLAIM_VERDICTS:
            raise _BadContent(f"{where} has an unknown verdict {verdict!r}")
        fields = {k: value if isinstance(value := item.get(k), str) else ""
                  for k in ("evidence_url", "note", "reason")}
        origin = _one_of(item.get("origin"), CLAIM_ORIGINS, "imported")
        state = _one_of(item.get("state"), CLAIM_STATES, "accepted")
        claims.append(ClaimIn(start, end, verdict, fields["evidence_url"], fields["note"],
                              state, origin, fields["reason"]))
    return claims


def _one_of(value: Any, allowed: Iterable[str], default: str) -> str:
    """``value`` if it is one of ``allowed`` (a state or origin a file may name), else
    ``default``."""
    return value if value in allowed else default


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
