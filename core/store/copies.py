"""A reviewer's copy read whole, in ONE read transaction, every value checked by the rules
the store's own edits obey.

A copy comes back from someone else's machine and may have been edited with any SQLite
tool, or still be written by the reviewer's window while it is merged. So it is read in
one transaction (``Db.reading``: a reviewer's half-made change is never seen half), every
row of every table that becomes part of a version is read (not only the states a reader
expects: a span in state ``bogus`` must be refused, not skipped), and each value meets
the rule a reviewer's edit meets: ``check_bounds`` for spans, ``check_claim`` for claims,
``Db.first_overlap`` for overlaps, ``is_usable_kb_id`` for links, the model's statuses,
states and origins; SQLite's loose types (an offset stored as REAL, seconds as a BLOB)
are refused too. Relations meet the rules of ``core.store.relations``: both ends are
spans of the article (then named by their position in the version's spans), a type of
the merging project's scheme that allows the ends' labels, no live duplicate, at most
``MAX_RELATIONS`` per article; a symmetric type's ends are kept in text order, so two
reviewers who drew it in opposite directions have the same relation. The first value
that fails refuses the whole copy (``InvalidEdit``).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import InvalidEdit
from core.models import (
    ARTICLE_STATUSES,
    RELATION_ORIGINS,
    RELATION_STATES,
    SPAN_ORIGINS,
    SPAN_STATES,
    ClaimIn,
    RelationIn,
    RelationType,
    SpanIn,
    TopicIn,
)
from core.store.claims import check_claim
from core.store.copy_topics import check_topics, read_copy_topics
from core.store.db import Db
from core.store.faults import is_file_fault
from core.store.spans import check_bounds
from core.text.kb_ids import KB_ID_RULE, is_usable_kb_id
from core.text.normalise import one_line, sha256_text

CHUNK = 500
# An audit payload Assay writes is a flat object with a few lists; this is far beyond any
# of them and far below what a JSON writer or reader recurses through (orjson stops at 255).
MAX_PAYLOAD_DEPTH = 32
# Far beyond what a reviewer draws in one article (a 300-entity article with every entity
# related to a few others holds about a thousand), far below what could exhaust memory.
MAX_RELATIONS = 20_000
MAX_MODEL_NAME = 200


@dataclass(frozen=True)
class CopiedArticle:
    """One article of a copy, checked: the reviewer's decision and what it rests on."""

    sha256: str
    title: str
    status: str
    note: str
    reviewed_by: str | None
    reviewed_at: str | None
    review_seconds: float | None
    spans: tuple[SpanIn, ...]  # every state, by (start, end)
    claims: tuple[ClaimIn, ...]  # every state, in text order
    events: tuple[dict[str, Any], ...]  # all of the article's audit rows, newest first
    relations: tuple[RelationIn, ...] = ()  # every state, ends by position in ``spans``
    topics: tuple[TopicIn, ...] = ()  # every state, each with who decided it and when


@dataclass(frozen=True)
class CopyContents:
    """A whole copy as one consistent snapshot."""

    meta: dict[str, Any]
    articles: tuple[CopiedArticle, ...]


def read_copy(db: Db, labels: set[str],
              vouch: Callable[[dict[str, Any]], dict[str, str] | None] | None = None,
              relation_types: Sequence[RelationType] = (),
              topics: set[str] | None = None) -> CopyContents:
    """Every article of the file with its spans, claims, relations and events, in ONE read
    transaction; ``labels`` are the labels a span may have and ``relation_types`` the types
    a relation may have (the merging project's), ``topics`` the topics an article may
    have (``core.store.copy_topics``; None: topics are not read); ``vouch`` is given
    the meta first and may refuse the copy before its articles are read, or return how the
    copy's label names read in the project now (renamed or merged since it was handed out).
    Raises InvalidEdit, naming the article, at the first value a reviewer's edit could not
    have made."""
    try:
        with db.reading() as conn:
            cur = conn.cursor()
            cur.row_factory = None
            meta = dict(cur.execute("SELECT key, value FROM meta").fetchall())
            words = (vouch(meta) if vouch is not None else None) or {}
            ids = [r[0] for r in cur.execute("SELECT id FROM articles ORDER BY id")]
            seen: set[str] = set()
            out: list[CopiedArticle] = []
            types = {t.name: t for t in relation_types}
            for i in range(0, len(ids), CHUNK):
                for article in _read_chunk(cur, ids[i:i + CHUNK], labels, words, types,
                                           topics):
                    if article.sha256 in seen:
                        title = one_line(article.title, 60)
                        raise InvalidEdit(f"It holds the article \u201c{title}\u201d twice.")
                    seen.add(article.sha256)
                    out.append(article)
    except sqlite3.DatabaseError as exc:
        if is_file_fault(exc):  # the disk or the file failed: the store's sentence for that
            raise
        raise InvalidEdit("Its tables are not the ones Assay makes "
                          f"({one_line(str(exc), 80)}).") from exc
    return CopyContents(meta, tuple(out))


def _read_chunk(cur: sqlite3.Cursor, part: Sequence[int], labels: set[str],
                words: dict[str, str], types: dict[str, RelationType],
                topics: set[str] | None = None) -> list[CopiedArticle]:
    marks = ",".join("?" * len(part))
    about = read_copy_topics(cur, part, topics)
    spans: dict[int, list[tuple]] = defaultdict(list)
    for row in cur.execute('SELECT id, article_id, start, "end", label, text, origin, state, '
                           f"kb_id FROM spans WHERE article_id IN ({marks}) ORDER BY id", part):
        spans[row[1]].append(row)
    claims: dict[int, list[tuple]] = defaultdict(list)
    for row in cur.execute('SELECT id, article_id, start, "end", verdict, evidence_url, note, '
                           f"state, origin, reason FROM claims WHERE article_id IN ({marks}) "
                           "ORDER BY id", part):
        claims[row[1]].append(row)
    relations: dict[int, list[tuple]] = defaultdict(list)
    for row in cur.execute("SELECT id, article_id, head_id, tail_id, type, state, origin, "
                           f"model FROM relations WHERE article_id IN ({marks}) ORDER BY id",
                           part):
        relations[row[1]].append(row)
    events: dict[int, list[tuple]] = defaultdict(list)
    for row in cur.execute("SELECT article_id, at, reviewer, action, payload FROM events "
                           f"WHERE article_id IN ({marks}) ORDER BY id DESC", part):
        events[row[0]].append(row)
    out = []
    for row in cur.execute("SELECT id, title, text, sha256, status, note, reviewed_by, "
                           f"reviewed_at, review_seconds FROM articles WHERE id IN ({marks}) "
                           "ORDER BY id", part).fetchall():
        article_id, title = row[0], row[1]
        shown = one_line(title, 60) if isinstance(title, str) else f"#{article_id}"
        try:
            article = _check_article(cur, row, labels, words, spans[article_id],
                                     claims[article_id], events[article_id])
            article = _with_relations(article, spans[article_id], relations[article_id],
                                      types)
            if about.get(article_id):
                article = CopiedArticle(**{**article.__dict__, "topics": check_topics(
                    about[article_id], topics or set())})
            out.append(article)
        except InvalidEdit as exc:
            raise InvalidEdit(f"Article \u201c{shown}\u201d: {exc}") from exc
    return out


def _check_article(cur: sqlite3.Cursor, row: tuple, labels: set[str], words: dict[str, str],
                   span_rows: list[tuple], claim_rows: list[tuple], event_rows: list[tuple]
                   ) -> CopiedArticle:
    article_id, title, text, sha, status, note, reviewed_by, reviewed_at, seconds = row
    if not isinstance(text, str) or not isinstance(sha, str) or sha256_text(text) != sha:
        raise InvalidEdit("its text does not match its SHA-256.")
    if not isinstance(title, str) or not isinstance(note, str):
        raise InvalidEdit("its title or note is not text.")
    if not (isinstance(status, str) and status in ARTICLE_STATUSES):
        raise InvalidEdit(f"Unknown article status {status!r}.")
    if not all(v is None or isinstance(v, str) for v in (reviewed_by, reviewed_at)):
        raise InvalidEdit("who decided it, or when, is not text.")
    if seconds is not None and not (type(seconds) in (int, float) and math.isfinite(seconds)
                                    and seconds >= 0):
        raise InvalidEdit("the seconds spent on it are not a number of seconds.")
    for rows in (span_rows, claim_rows):  # the overlap rule tells rows apart by their id
        ids = [r[0] for r in rows]
        if not all(type(i) is int for i in ids) or len(set(ids)) != len(ids):
            raise InvalidEdit("a span or claim row has no id of its own.")
    placed = sorted(((_check_span(cur, article_id, text, labels, words, r), r[0])
                     for r in span_rows), key=lambda sr: (sr[0].start, sr[0].end, sr[1]))
    spans = tuple(span for span, _id in placed)
    checked = [((r[2], r[3], r[0]), _check_claim(cur, article_id, text, r))
               for r in claim_rows]  # checked first: the offsets are whole numbers to sort
    claims = tuple(c for _key, c in sorted(checked, key=lambda kc: kc[0]))
    events = tuple(_check_event(r) for r in event_rows)
    return CopiedArticle(sha, title, status, note, reviewed_by, reviewed_at,
                         None if seconds is None else float(seconds), spans, claims, events)


def _check_span(cur: sqlite3.Cursor, article_id: int, text: str, labels: set[str],
                words: dict[str, str], row: tuple) -> SpanIn:
    span_id, _article, start, end, label, span_text, origin, state, kb_id = row
    now = words.get(label, label) if isinstance(label, str) else label
    if now != label and now not in labels:
        raise InvalidEdit(f"its label {one_line(label, 40)} became {one_line(now, 40)}, which "
                          "this project no longer has (add it back, or merge the copy into a "
                          "project that has it).")
    label = now
    check_bounds(text, start, end, label, labels)
    if span_text != text[start:end]:
        raise InvalidEdit(f"the span [{start}, {end}) does not match the text.")
    if not (isinstance(origin, str) and origin in SPAN_ORIGINS
            and isinstance(state, str) and state in SPAN_STATES):
        raise InvalidEdit(f"Unknown origin or state: {origin!r}/{state!r}.")
    if kb_id is not None and not (isinstance(kb_id, str) and is_usable_kb_id(kb_id)):
        raise InvalidEdit(f"{kb_id!r} is not a usable id: {KB_ID_RULE}.")
    if state != "rejected":
        other = Db.first_overlap(cur.connection, "spans", "rejected", article_id, start, end,
                                 span_id, "label, text")
        if other is not None:
            raise InvalidEdit(f"the {label} entity [{start}, {end}) overlaps the {other[0]} "
                              f"entity '{other[1]}'.")
    return SpanIn(start, end, label, origin, state, kb_id)


def _with_relations(article: CopiedArticle, span_rows: list[tuple], rows: list[tuple],
                    types: dict[str, RelationType]) -> CopiedArticle:
    """The article with its relations checked (the module's docstring), each end named by
    its position in ``article.spans`` (which are sorted by place, as a version keeps them)."""
    if not rows:
        return article
    if len(rows) > MAX_RELATIONS:
        raise InvalidEdit(f"it holds {len(rows)} relations, more than the {MAX_RELATIONS} "
                          "an article may have.")
    # The spans' order in the version, as _check_article sorted them (the rows are checked).
    order = sorted(span_rows, key=lambda r: (r[2], r[3], r[0]))
    position = {r[0]: i for i, r in enumerate(order)}
    seen: set[tuple[int, int, str]] = set()
    out: list[RelationIn] = []
    for _id, _article, head_id, tail_id, kind, state, origin, model in rows:
        if not (isinstance(state, str) and state in RELATION_STATES
                and isinstance(origin, str) and origin in RELATION_ORIGINS):
            raise InvalidEdit(f"a relation has an unknown state or origin: "
                              f"{one_line(str(state), 20)!r}/{one_line(str(origin), 20)!r}.")
        if model is not None and not (isinstance(model, str) and len(model) <= MAX_MODEL_NAME):
            raise InvalidEdit("a relation names a model that is not a short text.")
        if not isinstance(kind, str) or kind not in types:
            raise InvalidEdit(f"a relation has the type {one_line(str(kind), 40)!r}, which "
                              "this project's scheme does not have.")
        if type(head_id) is not int or type(tail_id) is not int or \
                head_id not in position or tail_id not in position or head_id == tail_id:
            raise InvalidEdit(f"a {kind} relation does not join two entities of the article.")
        head, tail = position[head_id], position[tail_id]
        hs, ts = article.spans[head], article.spans[tail]
        live = "rejected" not in (state, hs.state, ts.state)
        if live and not types[kind].allows(hs.label, ts.label):
            raise InvalidEdit(f"the {kind} relation from {hs.label} [{hs.start}, {hs.end}) to "
                              f"{ts.label} [{ts.start}, {ts.end}) does not fit: {kind} joins "
                              f"{types[kind].shape()}.")
        if live:
            keys = [(head, tail, kind)] + ([(tail, head, kind)] if types[kind].symmetric
                                           else [])
            if any(k in seen for k in keys):
                raise InvalidEdit(f"it holds the {kind} relation from [{hs.start}, {hs.end}) "
                                  f"to [{ts.start}, {ts.end}) twice.")
            seen.add(keys[0])
        if types[kind].symmetric and tail < head:  # either way is one relation: in text order
            head, tail = tail, head
        out.append(RelationIn(head, tail, kind, state, origin, model))
    out.sort(key=lambda r: (r.head, r.tail, r.type, r.state))
    return CopiedArticle(**{**article.__dict__, "relations": tuple(out)})


def _check_claim(cur: sqlite3.Cursor, article_id: int, text: str, row: tuple) -> ClaimIn:
    claim_id, _article, start, end, verdict, evidence_url, note, state, origin, reason = row
    check_claim(text, start, end, verdict, state, origin)
    if not all(isinstance(v, str) for v in (evidence_url, note, reason)):
        raise InvalidEdit(f"the claim [{start}, {end}) has evidence, a note or a reason that "
                          "is not text.")
    if state != "dismissed" and Db.first_overlap(
            cur.connection, "claims", "dismissed", article_id, start, end, claim_id,
            "id") is not None:
        raise InvalidEdit(f"the claim [{start}, {end}) overlaps another claim.")
    return ClaimIn(start, end, verdict, evidence_url, note, state, origin, reason)


def _check_event(row: tuple) -> dict[str, Any]:
    _article, at, reviewer, action, payload = row
    if not (isinstance(at, str) and isinstance(action, str)
            and (reviewer is None or isinstance(reviewer, str))):
        raise InvalidEdit("an entry of its audit log is damaged.")
    return {"at": at, "reviewer": reviewer, "action": action, "payload": _payload(payload)}


def _payload(payload: object) -> dict[str, Any]:
    """An audit row's payload: a JSON object, no deeper than MAX_PAYLOAD_DEPTH."""
    if payload is None:
        return {}
    if not isinstance(payload, str):
        raise InvalidEdit("an entry of its audit log is not JSON.")
    try:
        value = json.loads(payload, parse_constant=_no_constant)
    except RecursionError:  # nested beyond what any reader can follow
        raise InvalidEdit("an entry of its audit log is nested too deeply.") from None
    except ValueError:
        raise InvalidEdit("an entry of its audit log is not JSON.") from None
    if not isinstance(value, dict):
        raise InvalidEdit("an entry of its audit log is not a JSON object.")
    if _depth(value) > MAX_PAYLOAD_DEPTH:
        raise InvalidEdit("an entry of its audit log is nested too deeply.")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _depth(value: object) -> int:
    """How deeply lists and objects nest in ``value`` (without recursion, so any depth)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else (
            item if isinstance(item, list) else None)
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_PAYLOAD_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest
