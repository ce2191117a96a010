"""Reviewers' versions of articles: what each member of a team decided in their copy,
kept side by side (never over the project's own spans), one row per article and reviewer.

A version is written whole (its spans, claims and events as JSON) and read whole, by the
agreement measures and the adjudication view. Writing the same version again changes
nothing, which is what makes merging a copy twice harmless.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from core.models import ClaimIn, SpanIn, Version
from core.store.audit import now
from core.store.db import Db


def _spans_json(spans: Sequence[SpanIn]) -> str:
    return json.dumps([asdict(s) for s in spans], ensure_ascii=False, sort_keys=True)


def _claims_json(claims: Sequence[ClaimIn]) -> str:
    return json.dumps([asdict(c) for c in claims], ensure_ascii=False, sort_keys=True)


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
                       json.dumps(list(v.events), ensure_ascii=False, sort_keys=True))
                old = conn.execute(
                    "SELECT id, status, note, review_seconds, reviewed_at, copy_id, spans, "
                    "claims, events FROM versions WHERE article_id = ? AND reviewer = ?",
                    (v.article_id, v.reviewer)).fetchone()
                if old is not None and tuple(old)[1:] == row:
                    continue
                if old is None:
                    conn.execute(
                        "INSERT INTO versions(article_id, reviewer, status, note, "
                        "review_seconds, reviewed_at, copy_id, spans, claims, events, "
                        "merged_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (v.article_id, v.reviewer, *row, stamp))
                    added += 1
                else:
                    conn.execute(
                        "UPDATE versions SET status = ?, note = ?, review_seconds = ?, "
                        "reviewed_at = ?, copy_id = ?, spans = ?, claims = ?, events = ?, "
                        "merged_at = ? WHERE id = ?", (*row, stamp, old[0]))
                    replaced += 1
                self.db.event(conn, who, v.article_id, "version.merge",
                              {"reviewer": v.reviewer, "copy": v.copy_id,
                               "status": v.status, "spans": len(v.spans)})
        return added, replaced

    def versions(self, article_ids: Sequence[int] | None = None) -> list[Version]:
        """Versions (of ``article_ids``, or all), by article then reviewer."""
        return read_versions(self.db.conn.cursor(), article_ids)

    def version_reviewers(self) -> list[str]:
        return [r[0] for r in self.db.conn.execute(
            "SELECT DISTINCT reviewer FROM versions ORDER BY reviewer")]


_SELECT = ("SELECT id, article_id, reviewer, status, note, review_seconds, reviewed_at, "
           "copy_id, merged_at, spans, claims, events FROM versions")


def read_versions(cur, article_ids: Sequence[int] | None = None) -> list[Version]:
    """Versions as records (also the bulk reader's, for exports)."""
    sql, params = _SELECT, []
    if article_ids is not None:
        sql += f" WHERE article_id IN ({','.join('?' * len(article_ids))})"
        params = list(article_ids)
    out = []
    for row in cur.execute(sql + " ORDER BY article_id, reviewer", params).fetchall():
        row = tuple(row)
        spans = tuple(SpanIn(**s) for s in json.loads(row[9]))
        claims = tuple(ClaimIn(**c) for c in json.loads(row[10]))
        out.append(Version(*row[:9], spans, claims, tuple(json.loads(row[11]))))
    return out
