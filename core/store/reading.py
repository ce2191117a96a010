"""Bulk reads for exports and pre-annotation: a few queries per chunk of articles.

Reading one article at a time costs three or four queries each; exports and
pre-annotation read thousands, so they read chunks of ids with one query per
table (articles, spans, claims, tokens), in the order the ids were given.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import fields
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from core.models import (
    SPAN_STATES,
    Article,
    ArticleTopic,
    Claim,
    Relation,
    RelationIn,
    Reviewed,
    Span,
    SpanIn,
    Version,
)
from core.store.relations import JOIN_ENDS, LIVE
from core.store.rows import make_span
from core.store.tokens_blob import decode_tokens
from core.store.versions import read_versions

CHUNK = 500
_ARTICLE_COLUMNS = tuple(f.name for f in fields(Article))
# Every field but updated_at, which no export writes (a fifth of the bytes read per span).
_SPAN_COLUMNS = tuple(f for f in Span._fields if f != "updated_at")
# Span's fields in order; no export writes updated_at, and only suggestions' updated_by
# (the model that made them, for Label Studio) is read: fewer strings made per span.
_SPAN_SELECT = ", ".join([*(f'"{n}"' for n in _SPAN_COLUMNS if n != "updated_by"),
                          "NULL", "NULL"])
_SUGGESTION_SELECT = ", ".join([*(f'"{n}"' for n in _SPAN_COLUMNS), "NULL"])
# Every field: the Assay JSONL export writes who decided each span and when.
_EVERY_SELECT = ", ".join(f'"{n}"' for n in Span._fields)
# Ties in one order (the Assay JSONL export), so a file written from them reads back the same.
_TIES = ', "end", id'
_ARTICLE_OF = attrgetter("article_id")
_CLAIM_COLUMNS = tuple(f.name for f in fields(Claim))
_RELATION_SELECT = ", ".join(f'r."{n}"' for n in Relation._fields)
_TOPIC_SELECT = ", ".join(f'a."{n}"' for n in ArticleTopic._fields)


def _cols(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def article_texts(conn: sqlite3.Connection, ids: Sequence[int],
                  chunk: int = 256) -> Iterator[tuple[int, str]]:
    """``(id, text)`` in the order of ``ids``, read in chunks so memory stays flat."""
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        marks = ",".join("?" * len(part))
        rows = dict(conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", part))
        yield from ((article_id, rows[article_id]) for article_id in part if article_id in rows)


def reviewed(conn: sqlite3.Connection, ids: Sequence[int], *, labels: set[str] | None = None,
             claim_states: tuple[str, ...] | None = ("accepted",), tokens: bool = False,
             suggestions: bool = False, versions: bool = False, every_state: bool = False,
             relations: bool = False, topics: bool = False, chunk: int = CHUNK
             ) -> Iterator[Reviewed]:
    """Articles with their accepted spans (of ``labels``, or all), claims in
    ``claim_states`` (None: none read), with ``tokens`` their stored tokens and with
    ``suggestions`` their suggested spans; ``every_state`` puts the rejected ones beside
    the suggested, with every field (who and when too). ``relations`` reads the relations
    between the spans read: accepted ones between accepted spans; with ``suggestions``
    the live suggested ones too; with ``every_state`` all of them. ``topics`` reads the
    article's topics (``ArticleTopic``, in the scheme's order) in the same states."""
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples: sqlite3.Row costs a third more per span
    for i in range(0, len(ids), chunk):
        part = list(ids[i:i + chunk])
        marks = ",".join("?" * len(part))
        articles = {row[0]: Article(*row) for row in cur.execute(
            f"SELECT {_cols(_ARTICLE_COLUMNS)} FROM articles WHERE id IN ({marks})", part)}
        spans: dict[int, list[Span]] = {}
        suggested: dict[int, list[Span]] = defaultdict(list)
        suggestions = suggestions or every_state
        states = (SPAN_STATES if every_state else ("accepted", "suggested") if suggestions
                  else ("accepted",))
        select = (_EVERY_SELECT if every_state else _SUGGESTION_SELECT if suggestions
                  else _SPAN_SELECT)
        label_list = sorted(labels) if labels is not None else []
        where_label = f" AND label IN ({','.join('?' * len(label_list))})" if label_list else ""
        if labels is not None and not label_list:
            where_label = " AND 0"
        rows = cur.execute(
            f"SELECT {select} FROM spans WHERE article_id IN ({marks}) "
            f"AND state IN ({','.join('?' * len(states))}){where_label} "
            f"ORDER BY article_id, start{_TIES if every_state else ''}",
            [*part, *states, *label_list]).fetchall()
        # Spans are made in C: tuple.__new__(Span, row) skips namedtuple's Python __new__
        # (the SELECT lists Span's fields in order, NULL for updated_at, which no export
        # writes), and groupby splits the rows by article without a Python loop per span.
        for article_id, group in groupby(map(make_span, rows), key=_ARTICLE_OF):
            if not suggestions:
                spans[article_id] = list(group)
                continue
            for span in group:
                (spans.setdefault(article_id, []) if span.state == "accepted"
                 else suggested[article_id]).append(span)
        claims: dict[int, list[Claim]] = defaultdict(list)
        if claim_states:
            claim_marks = ",".join("?" * len(claim_states))
            for row in cur.execute(
                    f"SELECT {_cols(_CLAIM_COLUMNS)} FROM claims WHERE article_id IN ({marks}) "
                    f"AND state IN ({claim_marks}) ORDER BY article_id, start, \"end\", id",
                    [*part, *claim_states]):
                claims[row[1]].append(Claim(*row))
        stored: dict[int, list[tuple[int, int]]] = {}
        if tokens:
            stored = {row[0]: decode_tokens(row[1]) for row in cur.execute(
                f"SELECT article_id, offsets FROM article_tokens WHERE article_id IN ({marks})",
                part)}
        kept: dict[int, list[Version]] = defaultdict(list)
        if versions:
            for version in read_versions(cur, part):
                kept[version.article_id].append(version)
        related: dict[int, list[Relation]] = defaultdict(list)
        if relations:
            read = {s.id for group in (*spans.values(), *suggested.values()) for s in group}
            kinds = ("accepted",) if not suggestions else ("accepted", "suggested")
            live = "" if every_state else f" AND {LIVE}"
            for row in cur.execute(
                    f"SELECT {_RELATION_SELECT} {JOIN_ENDS} WHERE r.article_id IN ({marks})"
                    f"{live} ORDER BY r.article_id, r.id", part):
                rel = Relation(*row)
                if rel.head_id in read and rel.tail_id in read and (
                        every_state or rel.state in kinds):
                    related[rel.article_id].append(rel)
        about: dict[int, list[ArticleTopic]] = defaultdict(list)
        if topics:
            for row in cur.execute(
                    f"SELECT {_TOPIC_SELECT} FROM article_topics a LEFT JOIN topics t ON "
                    f"t.name = a.topic WHERE a.article_id IN ({marks}) AND a.state IN "
                    f"({','.join('?' * len(states))}) ORDER BY a.article_id, t.position, "
                    "a.topic", [*part, *states]):
                about[row[0]].append(ArticleTopic(*row))
        for article_id in part:
            article = articles.get(article_id)
            if article is not None:
                yield Reviewed(article, spans.get(article_id, []), claims.get(article_id, []),
                               stored.get(article_id), suggested.get(article_id, []),
                               kept.get(article_id, []), related.get(article_id, []),
                               about.get(article_id, []))


class AsMade(NamedTuple):
    """An article's suggestions as the pre-annotator made them: spans, and the relations
    it suggested between them (ends by position in ``spans``)."""

    spans: list[SpanIn]
    relations: list[RelationIn]


def suggestions_as_made(conn: sqlite3.Connection, ids: Sequence[int], labels: set[str],
                        chunk: int = CHUNK) -> dict[int, AsMade]:
    """Each article's suggestions as the pre-annotator made them, whatever reviewers did
    since (what a blind copy carries): a model's or the rules' spans at their
    ``suggested_start/end/label`` (schema v9; the span's own where unknown, or where the
    scheme no longer has the label), and imported suggestions nobody decided; all in
    state suggested and unlinked. Spans a reviewer rejected come after the others, so a
    caller that must drop overlapping ones keeps those still live. The relations are the
    ones a model or the rules suggested (as the type they suggested) and imported ones
    nobody decided, between two of those spans, each once, all suggested."""
    out: dict[int, AsMade] = defaultdict(lambda: AsMade([], []))
    for i in range(0, len(ids), chunk):
        part = list(ids[i:i + chunk])
        marks = ",".join("?" * len(part))
        position: dict[int, int] = {}
        for row in conn.execute(
                'SELECT article_id, start, "end", label, suggested_start, suggested_end, '
                "suggested_label, origin, model, id FROM spans "
                f"WHERE article_id IN ({marks}) AND (origin IN "
                "('model', 'rules') OR (origin = 'imported' AND state = 'suggested')) "
                "ORDER BY article_id, state = 'rejected', start, id", part):
            article_id, start, end, label, s_start, s_end, s_label, origin, model, sid = row
            if s_label is not None and s_start is not None and s_end is not None \
                    and s_label in labels:
                start, end, label = s_start, s_end, s_label
            made = out[article_id].spans
            position[sid] = len(made)
            made.append(SpanIn(start, end, label, origin, "suggested", None, model))
        seen: set[tuple[int, int, int, str]] = set()
        for article_id, head_id, tail_id, kind, suggested, origin, model in conn.execute(
                "SELECT article_id, head_id, tail_id, type, suggested_type, origin, model "
                f"FROM relations WHERE article_id IN ({marks}) AND (origin IN "
                "('model', 'rules') OR (origin = 'imported' AND state = 'suggested')) "
                "ORDER BY article_id, id", part):
            if head_id not in position or tail_id not in position:
                continue
            key = (article_id, position[head_id], position[tail_id], suggested or kind)
            if key not in seen:
                seen.add(key)
                out[article_id].relations.append(RelationIn(
                    key[1], key[2], key[3], "suggested", origin, model))
    return dict(out)
