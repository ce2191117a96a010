"""Reviewers' versions of articles: what each member of a team decided in their copy,
kept side by side (never over the project's own spans), one row per article and reviewer.

A version is written whole (its spans, claims, relations and events as JSON) and read
whole, by the agreement measures and the adjudication view. Its relations name their ends
by position in the version's spans, as ``RelationIn`` does, so they follow the spans
through a label rename without being rewritten. Writing the same version again changes
nothing, which is what makes merging a copy twice harmless.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict

from core.errors import InvalidEdit
from core.models import ClaimIn, RelationIn, SpanIn, TopicIn, Version
from core.store.audit import now
from core.store.db import Db


def _spans_json(spans: Sequence[SpanIn]) -> str:
    return json.dumps([asdict(s) for s in spans], ensure_ascii=False, sort_keys=True)


def _claims_json(claims: Sequence[ClaimIn]) -> str:
    return json.dumps([asdict(c) for c in claims], ensure_ascii=False, sort_keys=True)


def _relations_json(relations: Sequence[RelationIn]) -> str:
    return json.dumps([asdict(r) for r in relations], ensure_ascii=False, sort_keys=True)


def _topics_json(topics: Sequence[TopicIn]) -> str:
    return json.dumps([asdict(t) for t in topics], ensure_ascii=False, sort_keys=True)


def _topic_in(item: dict) -> TopicIn:
    stamp = item.get("stamp")
    return TopicIn(**{**item, "stamp": tuple(stamp) if stamp else None})


class Versions:
    """The ``versions`` table."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def put_versions(self, versions: Sequence[Version], who: str) -> tuple[int, int]:
        """Store reviewers' versions in ONE transaction (a whole copy's merge): a new one is
        added, a changed one replaced, an identical one left. Returns (added, replaced)."""
        added = replaced = 0
        stamp = now()
        with self.db.edit() as conn:
            for v in versions:
                row = (v.status, v.note, v.review_seconds, v.reviewed_at, v.copy_id,
                       _spans_json(v.spans), _claims_json(v.claims),
                       json.dumps(list(v.events), ensure_ascii=False, sort_keys=True),
                       _relations_json(v.relations), _topics_json(v.topics))
                old = conn.execute(
                    "SELECT id, status, note, review_seconds, reviewed_at, copy_id, spans, "
                    "claims, events, relations, topics FROM versions WHERE article_id = ? AND "
                    "reviewer = ?",
                    (v.article_id, v.reviewer)).fetchone()
                if old is not None and tuple(old)[1:] == row:
                    continue
                if old is None:
                    conn.execute(
                        "INSERT INTO versions(article_id, reviewer, status, note, "
                        "review_seconds, reviewed_at, copy_id, spans, claims, events, "
                        "relations, topics, merged_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (v.article_id, v.reviewer, *row, stamp))
                    added += 1
                else:
                    conn.execute(
                        "UPDATE versions SET status = ?, note = ?, review_seconds = ?, "
                        "reviewed_at = ?, copy_id = ?, spans = ?, claims = ?, events = ?, "
                        "relations = ?, topics = ?, merged_at = ? WHERE id = ?",
                        (*row, stamp, old[0]))
                    replaced += 1
                self.db.event(conn, who, v.article_id, "version.merge",
                              {"reviewer": v.reviewer, "copy": v.copy_id,
                               "status": v.status, "spans": len(v.spans),
                               "relations": len(v.relations), "topics": len(v.topics)})
        return added, replaced

    def versions(self, article_ids: Sequence[int] | None = None) -> list[Version]:
        """Versions (of ``article_ids``, or all), by article then reviewer."""
        return read_versions(self.db.conn.cursor(), article_ids)

    def version_reviewers(self) -> list[str]:
        return [r[0] for r in self.db.conn.execute(
            "SELECT DISTINCT reviewer FROM versions ORDER BY reviewer")]


# ---- the scheme's words: a label rename or merge rewrites the versions with the spans

# A version span moved by a label merge: (version id, its merged_at, index in its spans).
VersionMove = tuple[int, str, int]


def _label_keys(span: dict, old: str, new: str) -> bool:
    """Rename ``old`` to ``new`` in one stored span (its label and what a pre-annotator
    suggested, in whichever shape a version holds it); whether anything changed."""
    changed = False
    if span.get("label") == old:
        span["label"], changed = new, True
    if span.get("suggested_label") == old:
        span["suggested_label"], changed = new, True
    suggested = span.get("suggested")
    if isinstance(suggested, list) and len(suggested) == 3 and suggested[2] == old:
        suggested[2], changed = new, True
    return changed


def _names(span: dict, label: str) -> bool:
    """Whether a stored span names ``label`` (as its label or as what was suggested)."""
    suggested = span.get("suggested")
    return label in (span.get("label"), span.get("suggested_label")) or (
        isinstance(suggested, list) and len(suggested) == 3 and suggested[2] == label)


def version_label_uses(conn: sqlite3.Connection, label: str) -> int:
    """Spans of reviewers' versions that name ``label``: a label they use cannot go, or
    their versions could no longer be taken, compared or merged again."""
    needle = json.dumps(label, ensure_ascii=False)
    return sum(sum(_names(span, label) for span in json.loads(row[0])) for row in conn.execute(
        "SELECT spans FROM versions WHERE instr(spans, ?)", (needle,)))


def relabel_versions(conn: sqlite3.Connection, old: str, new: str) -> list[VersionMove]:
    """Every reviewer's span labelled ``old`` becomes ``new``, inside the caller's
    transaction (``core.store.labels``: a rename or merge of the scheme), so versions stay
    in the scheme's words and can be taken, compared and merged again. Returns what moved
    (for undoing a merge)."""
    moved: list[VersionMove] = []
    needle = json.dumps(old, ensure_ascii=False)  # as the spans JSON spells it
    rows = conn.execute("SELECT id, merged_at, spans FROM versions WHERE instr(spans, ?)",
                        (needle,)).fetchall()
    for version_id, merged_at, text in rows:
        spans = json.loads(text)
        hits = [i for i, span in enumerate(spans) if _label_keys(span, old, new)]
        if hits:
            conn.execute("UPDATE versions SET spans = ? WHERE id = ?",
                         (json.dumps(spans, ensure_ascii=False, sort_keys=True), version_id))
            moved += [(version_id, merged_at, i) for i in hits]
    return moved


def unrelabel_versions(conn: sqlite3.Connection, moved: Sequence[VersionMove], label: str,
                       target: str) -> None:
    """Undo a merge in the versions: exactly the spans it moved go back to ``label``.
    Refused (the caller's transaction rolls back) when a version was merged again since:
    its spans are no longer the ones the merge moved."""
    by_version: dict[int, list[VersionMove]] = {}
    for move in moved:
        by_version.setdefault(move[0], []).append(move)
    for version_id, moves in by_version.items():
        row = conn.execute("SELECT merged_at, spans FROM versions WHERE id = ?",
                           (version_id,)).fetchone()
        spans = json.loads(row[1]) if row is not None else []
        if row is None or any(m[1] != row[0] or m[2] >= len(spans)
                              or not _names(spans[m[2]], target) for m in moves):
            raise InvalidEdit("A reviewer's version was merged again since the labels were "
                              "merged; nothing was undone.")
        for _id, _at, i in moves:
            _label_keys(spans[i], target, label)
        conn.execute("UPDATE versions SET spans = ? WHERE id = ?",
                     (json.dumps(spans, ensure_ascii=False, sort_keys=True), version_id))


_SELECT = ("SELECT id, article_id, reviewer, status, note, review_seconds, reviewed_at, "
           "copy_id, merged_at, spans, claims, events, relations, topics FROM versions")


def read_versions(cur: sqlite3.Cursor, article_ids: Sequence[int] | None = None) -> list[Version]:
    """Versions as records (also the bulk reader's, for exports)."""
    sql, params = _SELECT, []
    if article_ids is not None:
        sql += f" WHERE article_id IN ({','.join('?' * len(article_ids))})"
        params = list(article_ids)
    out = []
    for row in cur.execute(sql + " ORDER BY article_id, reviewer", params).fetchall():
        (version_id, article_id, reviewer, status, note, seconds, reviewed_at, copy_id,
         merged_at, spans, claims, events, relations, topics) = row
        out.append(Version(version_id, article_id, reviewer, status, note, seconds,
                           reviewed_at, copy_id, merged_at,
                           tuple(SpanIn(**s) for s in json.loads(spans)),
                           tuple(ClaimIn(**c) for c in json.loads(claims)),
                           tuple(json.loads(events)),
                           tuple(RelationIn(**r) for r in json.loads(relations or "[]")),
                           tuple(_topic_in(t) for t in json.loads(topics or "[]"))))
    return out
