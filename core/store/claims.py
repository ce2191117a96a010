"""Claims in the project store: passages a reviewer fact-checks, and the ones the rules suggest.

Composed into :class:`core.store.Project` with its ``core.store.db.Db`` and the suggestion
rule the project was handed (``core.store.rules``); its own module because claims
have their own life cycle: a suggested claim is accepted or dismissed, an
accepted one gets a verdict (unchecked, supported, refuted, unverifiable), an
evidence URL and a note. Every change is one transaction with an audit event,
like a span edit, so the review window can undo it.

Live claims (suggested or accepted) never overlap each other; a dismissed one is
kept so that its sentence is not suggested again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from typing import Any

from core.errors import InvalidEdit
from core.models import CLAIM_ORIGINS, CLAIM_STATES, CLAIM_VERDICTS, Claim, ClaimIn
from core.store.audit import now, require_reviewer
from core.store.db import Db
from core.store.rows import inserted_id
from core.store.rules import ClaimCandidate

# The suggestion rule the project was handed (``core.store.rules.ProjectRules``): the
# passages of a text to suggest, given its live (start, end, label) spans.
SuggestionRule = Callable[[str, Iterable[tuple[int, int, str]]], Sequence[ClaimCandidate]]

LIVE_STATES = ("suggested", "accepted")
_COLUMNS = ("id", "article_id", "start", "end", "verdict", "evidence_url", "note",
            "updated_by", "updated_at", "state", "origin", "reason")
_SELECT = "SELECT " + ", ".join(f'"{c}"' for c in _COLUMNS) + " FROM claims"


def _claim(row: sqlite3.Row | tuple) -> Claim:
    return Claim(*row)


class Claims:
    """Claim reads and writes of one project (``Project`` forwards its claim methods here)."""

    def __init__(self, db: Db, article_text: Callable[[int], str],
                 claim_candidates: SuggestionRule) -> None:
        self.db = db
        self.article_text = article_text
        self.claim_candidates = claim_candidates

    def claims(self, article_id: int, states: tuple[str, ...] = LIVE_STATES) -> list[Claim]:
        """An article's claims in text order (by default the live ones, not dismissed)."""
        marks = ",".join("?" * len(states))
        rows = self.db.conn.execute(
            f'{_SELECT} WHERE article_id = ? AND state IN ({marks}) ORDER BY start, "end", id',
            (article_id, *states),
        )
        return [_claim(r) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        row = self.db.conn.execute(f"{_SELECT} WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise InvalidEdit(f"No claim with id {claim_id}.")
        return _claim(row)

    def _check_claim_overlap(
        self, conn: sqlite3.Connection, article_id: int, start: int, end: int,
        exclude: int | None = None,
    ) -> None:
        row = self.db.first_overlap(conn, "claims", "dismissed", article_id, start, end,
                                    exclude, 'start, "end"')
        if row is not None:
            raise InvalidEdit(
                f"That passage overlaps the claim at [{row[0]}, {row[1]}); select that claim "
                "to change it."
            )

    def add_claim(
        self, article_id: int, start: int, end: int, reviewer: str, *,
        verdict: str = "unchecked", evidence_url: str = "", note: str = "",
        state: str = "accepted", origin: str = "reviewer", reason: str = "",
        claim_id: int | None = None,
    ) -> Claim:
        """Mark a passage as a claim; ``claim_id`` recreates a deleted one (redo)."""
        require_reviewer(reviewer)
        check_claim(self.article_text(article_id), start, end, verdict, state, origin)
        with self.db.edit() as conn:
            if state != "dismissed":
                self._check_claim_overlap(conn, article_id, start, end)
            try:
                new_id = _insert_row(conn, article_id, ClaimIn(
                    start, end, verdict, evidence_url, note, state, origin, reason),
                    reviewer, now(), claim_id)
            except sqlite3.IntegrityError as exc:
                raise InvalidEdit(f"Claim id {claim_id} is taken; cannot recreate it.") from exc
            self.db.event(conn, reviewer, article_id, "claim.add", {
                "claim_id": new_id, "start": start, "end": end, "verdict": verdict,
                "state": state, "origin": origin,
            })
        return self.claim(new_id)

    def update_claim(
        self, claim_id: int, reviewer: str, *, verdict: str | None = None,
        evidence_url: str | None = None, note: str | None = None, state: str | None = None,
    ) -> tuple[Claim, Claim]:
        """Change a claim; a verdict given to a suggested claim also accepts it."""
        require_reviewer(reviewer)
        before = self.claim(claim_id)
        if state is None and verdict is not None and before.state == "suggested":
            state = "accepted"
        new = {
            "verdict": before.verdict if verdict is None else verdict,
            "evidence_url": before.evidence_url if evidence_url is None else evidence_url,
            "note": before.note if note is None else note,
            "state": before.state if state is None else state,
        }
        _check_values(new["verdict"], new["state"], before.origin)
        with self.db.edit() as conn:
            if self.claim(claim_id) != before:
                # Another writer changed it since we read it: writing our copy of the other
                # fields would undo their change.
                raise InvalidEdit(
                    "That claim was changed by another window or process a moment ago; "
                    "nothing was changed. Look again and repeat the edit.")
            if new["state"] != "dismissed" and before.state == "dismissed":
                self._check_claim_overlap(conn, before.article_id, before.start, before.end,
                                          exclude=claim_id)
            conn.execute(
                "UPDATE claims SET verdict = ?, evidence_url = ?, note = ?, state = ?, "
                "updated_by = ?, updated_at = ? WHERE id = ?",
                (new["verdict"], new["evidence_url"], new["note"], new["state"], reviewer,
                 now(), claim_id),
            )
            self.db.event(conn, reviewer, before.article_id, "claim.update", {
                "claim_id": claim_id,
                "changes": {k: [getattr(before, k), v] for k, v in new.items()
                            if getattr(before, k) != v},
            })
        return before, self.claim(claim_id)

    def delete_claim(self, claim_id: int, reviewer: str) -> Claim:
        """Remove a claim entirely (undo of an add; the event keeps all of it)."""
        require_reviewer(reviewer)
        before = self.claim(claim_id)
        with self.db.edit() as conn:
            conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
            self.db.event(conn, reviewer, before.article_id, "claim.delete", asdict(before))
        return before

    def _insert_claims(
        self, conn: sqlite3.Connection, article_id: int, text: str, claims: Sequence[ClaimIn],
        reviewer: str,
    ) -> None:
        """Claims of a newly imported article; live ones must not overlap (else InvalidEdit)."""
        stamp = now()
        live_end = -1
        for c in sorted(claims, key=lambda c: (c.start, c.end)):
            check_claim(text, c.start, c.end, c.verdict, c.state, c.origin)
            if c.state != "dismissed":
                if c.start < live_end:
                    raise InvalidEdit(f"Claim [{c.start}, {c.end}) overlaps another claim.")
                live_end = c.end
            who, when = c.stamp or (reviewer, stamp)
            _insert_row(conn, article_id, c, who, when)

    def open_claims(self, article_id: int) -> tuple[int, int]:
        """(accepted claims still unchecked, suggested claims not yet decided)."""
        row = self.db.conn.execute(
            "SELECT SUM(state = 'accepted' AND verdict = 'unchecked'), SUM(state = 'suggested') "
            "FROM claims WHERE article_id = ?", (article_id,),
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0)

    def suggest_claims(self, article_id: int, who: str) -> list[Claim]:
        """Suggest the passages the project's rule picks (``core.store.rules``; the app's
        are the sentences that state a figure, ``core.nlp.claim_candidates``).

        A sentence that already has a claim (suggested, accepted or dismissed) is left
        alone; suggestions whose sentence no longer states a figure are dropped unless
        the reviewer wrote on them. Returns the new suggestions.
        """
        require_reviewer(who)
        with self.db.edit() as conn:
            ids = self._suggest_claims_in(conn, article_id, who)
            if ids:
                self.db.event(conn, who, article_id, "claim.suggest", {"claim_ids": ids})
        return [self.claim(i) for i in ids]

    def _suggest_claims_in(self, conn: sqlite3.Connection, article_id: int, who: str) -> list[int]:
        """The suggestion pass inside a caller's transaction (pre-annotation uses it too).

        An undecided suggestion stays (same id) while its sentence still qualifies, or
        when the reviewer has written evidence or a note on it; the others go. Returns
        the ids of the new suggestions only.
        """
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        spans = conn.execute(
            "SELECT start, \"end\", label FROM spans WHERE article_id = ? AND state != 'rejected'",
            (article_id,),
        ).fetchall()
        candidates = self.claim_candidates(text, [tuple(r) for r in spans])
        wanted = {(c.start, c.end) for c in candidates}
        for row in conn.execute(
                'SELECT id, start, "end", note, evidence_url FROM claims WHERE article_id = ? '
                "AND state = 'suggested'", (article_id,)).fetchall():
            if (row[1], row[2]) not in wanted and not row[3] and not row[4]:
                conn.execute("DELETE FROM claims WHERE id = ?", (row[0],))
        taken = conn.execute(
            'SELECT start, "end" FROM claims WHERE article_id = ?', (article_id,)).fetchall()
        stamp = now()
        ids = []
        for cand in candidates:
            if any(cand.start < e and cand.end > s for s, e in taken):
                continue
            ids.append(_insert_row(conn, article_id, ClaimIn(
                cand.start, cand.end, state="suggested", origin="rules", reason=cand.reason),
                who, stamp))
        return ids


def _insert_row(conn: sqlite3.Connection, article_id: int, claim: ClaimIn, who: str,
                stamp: str, claim_id: int | None = None) -> int:
    """The one INSERT of a claim row (a new claim, an imported one, a suggestion)."""
    cur = conn.execute(
        'INSERT INTO claims(id, article_id, start, "end", verdict, evidence_url, note, '
        "updated_by, updated_at, state, origin, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (claim_id, article_id, claim.start, claim.end, claim.verdict, claim.evidence_url,
         claim.note, who, stamp, claim.state, claim.origin, claim.reason),
    )
    return inserted_id(cur)


def check_claim(text: str, start: int, end: int, verdict: str, state: str,
                origin: str) -> None:
    """The rule of every claim: whole-number offsets inside the text, not empty, and a
    known verdict, state and origin (a reviewer's edit, an import and a merged copy)."""
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(text):
        raise InvalidEdit(f"Claim [{start}, {end}) is outside the article text or empty.")
    _check_values(verdict, state, origin)


def _check_values(verdict: str, state: str, origin: str) -> None:
    if verdict not in CLAIM_VERDICTS:
        raise InvalidEdit(f"Unknown verdict {verdict!r}; use one of {', '.join(CLAIM_VERDICTS)}.")
    if state not in CLAIM_STATES or origin not in CLAIM_ORIGINS:
        raise InvalidEdit(f"Unknown claim state or origin: {state}/{origin}.")


def claim_payload(claim: Claim, text: str) -> dict[str, Any]:
    """A claim as exports write it, with the passage it covers."""
    return {"start": claim.start, "end": claim.end, "text": text[claim.start:claim.end],
            "verdict": claim.verdict, "evidence_url": claim.evidence_url, "note": claim.note,
            "origin": claim.origin, "updated_by": claim.updated_by,
            "updated_at": claim.updated_at}
