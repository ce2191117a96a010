"""Undoable claim edits, like the span commands in ``gui.commands``: core calls both ways."""

from __future__ import annotations

from dataclasses import asdict

from core.models import Claim
from core.store import Project
from gui.commands import EditContext, StoreCommand


class AddClaimCommand(StoreCommand):
    """Mark a passage as a claim; undo deletes it, redo recreates it under the same id."""

    def __init__(self, ctx: EditContext, article_id: int, start: int, end: int) -> None:
        super().__init__(ctx, article_id, "mark claim")
        self.start, self.end = start, end
        self.claim_id: int | None = None

    def _do(self) -> None:
        claim = self.project.add_claim(self.article_id, self.start, self.end, self.reviewer,
                                       claim_id=self.claim_id)
        self.claim_id = claim.id

    def _undo(self) -> None:
        assert self.claim_id is not None
        self.project.delete_claim(self.claim_id, self.reviewer)


class UpdateClaimCommand(StoreCommand):
    """Give a verdict, evidence or a note, accept or dismiss; undo restores every field."""

    FIELDS = ("verdict", "evidence_url", "note", "state")

    def __init__(self, ctx: EditContext, claim_id: int, text: str, **changes: str) -> None:
        assert ctx.project is not None
        before = ctx.project.claim(claim_id)
        super().__init__(ctx, before.article_id, text)
        self.claim_id = claim_id
        self.before = {k: getattr(before, k) for k in self.FIELDS}
        self.after = {**self.before, **changes}
        if "verdict" in changes and "state" not in changes and before.state == "suggested":
            self.after["state"] = "accepted"  # a verdict is a decision on a suggestion

    def _do(self) -> None:
        self.project.update_claim(self.claim_id, self.reviewer, **self.after)

    def _undo(self) -> None:
        self.project.update_claim(self.claim_id, self.reviewer, **self.before)


class DeleteClaimCommand(StoreCommand):
    """Remove a claim a reviewer made; undo puts all of it back under its id."""

    def __init__(self, ctx: EditContext, claim_id: int) -> None:
        assert ctx.project is not None
        self.claim = ctx.project.claim(claim_id)
        super().__init__(ctx, self.claim.article_id, "delete claim")

    def _do(self) -> None:
        self.project.delete_claim(self.claim.id, self.reviewer)

    def _undo(self) -> None:
        restore_claim(self.project, self.claim, self.reviewer)


class SuggestClaimsCommand(StoreCommand):
    """Run the suggestion pass on the article as it is now; undo removes what it added and
    brings back, whole, the suggestions it dropped."""

    def __init__(self, ctx: EditContext, article_id: int) -> None:
        super().__init__(ctx, article_id, "suggest claims")
        self.made: list[Claim] = []
        self.dropped: list[Claim] = []

    def _do(self) -> None:
        before = self.project.claims(self.article_id, states=("suggested",))
        self.made = self.project.suggest_claims(self.article_id, self.reviewer)
        now = {c.id for c in self.project.claims(self.article_id)}
        self.dropped = [c for c in before if c.id not in now]

    def _undo(self) -> None:
        for claim in self.made:
            self.project.delete_claim(claim.id, self.reviewer)
        for claim in self.dropped:
            restore_claim(self.project, claim, self.reviewer)


def restore_claim(project: Project, claim: Claim, reviewer: str) -> None:
    """Put a deleted claim back under its id with every field it had."""
    fields = asdict(claim)
    project.add_claim(
        claim.article_id, claim.start, claim.end, reviewer, claim_id=claim.id,
        **{k: fields[k] for k in ("verdict", "evidence_url", "note", "state", "origin",
                                  "reason")},
    )
