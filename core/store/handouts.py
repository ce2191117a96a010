"""What the project handed out: one row per copy (``handed_out``) and its articles
(``handed_out_articles``), written by ``assign`` in one transaction with an audit event.

A copy travels through other people's machines and can be edited with any SQLite tool,
so its own word about whose it is and which articles it was given proves nothing. This
record stays in the project; ``core.teams.merge`` looks a copy's id up here and trusts
only what it finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.store.audit import now, require_reviewer
from core.store.db import Db


@dataclass(frozen=True)
class HandedOut:
    """One copy as the project handed it out."""

    copy_id: str
    reviewer: str
    articles: tuple[tuple[int, str], ...]  # (article id, SHA-256), by id
    digest: str
    shows_decisions: bool = False  # the copy showed the lead's decisions (a second opinion)
    handed_by: str = ""
    handed_at: str = ""


class HandOuts:
    """The ``handed_out`` tables of one project (``Project`` forwards these methods)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def record_hand_out(self, copies: Sequence[HandedOut], who: str) -> None:
        """Record the copies just written, all in ONE transaction with one audit event."""
        require_reviewer(who)
        stamp = now()
        with self.db.edit() as conn:
            for c in copies:
                conn.execute("INSERT INTO handed_out(copy_id, reviewer, shows_decisions, "
                             "digest, handed_by, handed_at) VALUES (?,?,?,?,?,?)",
                             (c.copy_id, c.reviewer, int(c.shows_decisions), c.digest, who,
                              stamp))
                conn.executemany("INSERT INTO handed_out_articles(copy_id, article_id, sha256) "
                                 "VALUES (?,?,?)",
                                 [(c.copy_id, a, sha) for a, sha in c.articles])
            self.db.event(conn, who, None, "assign", {"copies": [
                {"copy_id": c.copy_id, "reviewer": c.reviewer, "articles": len(c.articles),
                 "digest": c.digest, "shows_decisions": c.shows_decisions} for c in copies]})

    def handed_out(self, copy_id: str) -> HandedOut | None:
        """The record of the copy ``copy_id``, or None if this project never handed it out."""
        if not isinstance(copy_id, str):
            return None
        conn = self.db.conn
        row = conn.execute("SELECT copy_id, reviewer, shows_decisions, digest, handed_by, "
                           "handed_at FROM handed_out WHERE copy_id = ?", (copy_id,)).fetchone()
        if row is None:
            return None
        articles = tuple((a, sha) for a, sha in conn.execute(
            "SELECT article_id, sha256 FROM handed_out_articles WHERE copy_id = ? "
            "ORDER BY article_id", (copy_id,)))
        return HandedOut(row[0], row[1], articles, row[3], bool(row[2]), row[4], row[5])

    def second_opinion_copies(self) -> set[str]:
        """Ids of the copies that showed the lead's decisions (``assign --show-decisions``):
        their versions are second opinions on the lead's work, not independent ones."""
        return {r[0] for r in self.db.conn.execute(
            "SELECT copy_id FROM handed_out WHERE shows_decisions != 0")}
