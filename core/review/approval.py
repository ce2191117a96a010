"""What an approval did, in one sentence the reviewer reads after pressing A.

Approving is one key: it accepts every suggestion still waiting and never waits on the
claims (a separate layer, decided when the reviewer gets to them). Because it asks
nothing, it says afterwards what it did, so 77 suggestions accepted, junk included, or
four claims left unchecked are news before the next article, not a surprise in the
export. ``SetStatus`` (``core.review.edits``) counts it when it approves; the window's
status bar shows ``ApprovalSummary.sentence``.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text.wording import counted


@dataclass(frozen=True)
class ApprovalSummary:
    """One approval: the suggestions it accepted, and the claims it left as they were."""

    accepted: int  # suggestions the approval accepted
    unchecked: int  # accepted claims whose verdict is still "unchecked"
    suggested: int  # suggested claims nobody accepted or dismissed yet
    topics: int = 0  # suggested topics the approval accepted

    @property
    def sentence(self) -> str:
        """"Approved: 77 suggestions accepted, 4 claims unchecked — Ctrl+Z undoes"; a part
        that counts nothing is left out ("Approved — Ctrl+Z undoes" when none is left)."""
        parts = [counted(self.accepted, "suggestion", "suggestions") + " accepted"
                 if self.accepted else "",
                 counted(self.topics, "suggested topic", "suggested topics") + " accepted"
                 if self.topics else "",
                 counted(self.unchecked, "claim", "claims") + " unchecked"
                 if self.unchecked else "",
                 counted(self.suggested, "suggested claim", "suggested claims") + " undecided"
                 if self.suggested else ""]
        shown = ", ".join(p for p in parts if p)
        return "Approved" + (f": {shown}" if shown else "") + " \u2014 Ctrl+Z undoes"
