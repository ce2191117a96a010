"""An article's decision (approve, reject, skip, back to pending) and its note.

A decision is a fact about the article, not about its spans, but approving with
``accept_suggestions`` accepts the article's remaining suggestions in the same
transaction, and undoing it (``resuggest``) puts them back: one audit event each way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.errors import InvalidEdit
from core.models import ARTICLE_STATUSES, Article
from core.store.article_topics import ArticleTopics
from core.store.audit import now
from core.store.audit import require_reviewer as _require_reviewer
from core.store.db import Db
from core.store.relations import Relations


class Decisions:
    """Article statuses and notes of one project (``Project`` forwards them)."""

    def __init__(self, db: Db, article: Callable[[int], Article], relations: Relations,
                 topics: ArticleTopics) -> None:
        self.db = db
        self.article = article
        self.relations = relations
        self.topics = topics

    def set_article_status(
        self,
        article_id: int,
        status: str,
        reviewer: str,
        *,
        seconds: float | None = None,
        accept_suggestions: bool = False,
        resuggest: Sequence[int] = (),
        resuggest_relations: Sequence[int] = (),
        accepted_relations: list[int] | None = None,
        resuggest_topics: Sequence[str] = (),
        accepted_topics: list[str] | None = None,
    ) -> list[int]:
        """Record a decision on an article; returns ids of suggestions it accepted.

        ``accept_suggestions`` is what approving does; ``resuggest`` turns the
        given spans back into suggestions, which is how an approval is undone; the same
        holds for the article's live suggested relations (their ids are appended to
        ``accepted_relations`` when given; ``resuggest_relations`` undoes).
        ``seconds`` is the time spent on the article, stored as given (back to pending too:
        an undo puts back the time kept before the decision, ``add_review_time``).
        """
        if status not in ARTICLE_STATUSES:
            raise InvalidEdit(f"Unknown article status {status!r}.")
        _require_reviewer(reviewer)
        before = self.article(article_id)
        stamp = now()
        with self.db.edit() as conn:
            accepted: list[int] = []
            if accept_suggestions:
                accepted = [r[0] for r in conn.execute(
                    "SELECT id FROM spans WHERE article_id = ? AND state = 'suggested'",
                    (article_id,))]
                conn.execute(
                    "UPDATE spans SET state = 'accepted', updated_by = ?, updated_at = ? "
                    "WHERE article_id = ? AND state = 'suggested'",
                    (reviewer, stamp, article_id),
                )
            relations = (self.relations.accept_suggested(conn, article_id, reviewer, stamp)
                         if accept_suggestions else [])
            if accepted_relations is not None:
                accepted_relations.extend(relations)
            self.relations.resuggest(conn, article_id, resuggest_relations, reviewer, stamp)
            topics = (self.topics.accept_suggested(conn, article_id, reviewer, stamp)
                      if accept_suggestions else [])
            if accepted_topics is not None:
                accepted_topics.extend(topics)
            self.topics.resuggest(conn, article_id, resuggest_topics, reviewer, stamp)
            if resuggest:
                conn.executemany(
                    "UPDATE spans SET state = 'suggested', updated_by = ?, updated_at = ? "
                    "WHERE id = ? AND article_id = ?",
                    [(reviewer, stamp, sid, article_id) for sid in resuggest],
                )
            if accepted or resuggest:
                self.db.recount(conn, article_id)
            pending = status == "pending"
            conn.execute(
                "UPDATE articles SET status = ?, reviewed_by = ?, reviewed_at = ?, "
                "review_seconds = ? WHERE id = ?",
                (status, None if pending else reviewer, None if pending else stamp,
                 seconds, article_id),
            )
            self.db.event(conn, reviewer, article_id, f"article.{status}", {
                "before": {"status": before.status, "reviewed_by": before.reviewed_by,
                           "reviewed_at": before.reviewed_at},
                "accepted": accepted, "resuggested": list(resuggest), "seconds": seconds,
                "accepted_relations": relations,
                "resuggested_relations": list(resuggest_relations),
                "accepted_topics": topics, "resuggested_topics": list(resuggest_topics),
            })
        return accepted

    def add_review_time(self, article_id: int, seconds: float) -> float | None:
        """Add time spent on an undecided (pending or skipped) article to what it keeps, and
        return the sum; None for a decided article (its time is the decision's, kept when
        it was made). Written as it accrues (``ReviewSession.save_time``), so an app killed
        before the decision loses at most the last half minute; the decision records the
        sum, so the stored time counts once. No audit event: time is not a decision."""
        if not seconds > 0:
            return self.review_time(article_id)
        with self.db.edit() as conn:
            conn.execute(
                "UPDATE articles SET review_seconds = round(coalesce(CASE WHEN "
                "typeof(review_seconds) IN ('integer', 'real') THEN review_seconds END, 0) "
                "+ ?, 1) WHERE id = ? AND status IN ('pending', 'skipped')",
                (float(seconds), article_id))
        return self.review_time(article_id)

    def review_time(self, article_id: int) -> float | None:
        """The time an undecided article keeps (None: decided, or none kept)."""
        row = self.db.conn.execute(
            "SELECT review_seconds FROM articles WHERE id = ? AND status IN "
            "('pending', 'skipped') AND typeof(review_seconds) IN ('integer', 'real')",
            (article_id,)).fetchone()
        return None if row is None else row[0]

    def approve_article(
        self, article_id: int, reviewer: str, seconds: float | None = None
    ) -> list[int]:
        """Approve: every remaining suggestion becomes accepted. Returns those span ids."""
        return self.set_article_status(
            article_id, "approved", reviewer, seconds=seconds, accept_suggestions=True
        )

    def reject_article(self, article_id: int, reviewer: str, seconds: float | None = None) -> None:
        self.set_article_status(article_id, "rejected", reviewer, seconds=seconds)

    def skip_article(self, article_id: int, reviewer: str, seconds: float | None = None) -> None:
        self.set_article_status(article_id, "skipped", reviewer, seconds=seconds)

    def set_note(self, article_id: int, note: str, reviewer: str) -> str:
        """Replace the article's note; returns the previous note (for undo)."""
        _require_reviewer(reviewer)
        before = self.article(article_id).note or ""
        with self.db.edit() as conn:
            conn.execute("UPDATE articles SET note = ? WHERE id = ?", (note, article_id))
            self.db.event(conn, reviewer, article_id, "article.note",
                        {"before": before, "after": note})
        return before
