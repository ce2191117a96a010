"""A candidate span: what the gazetteer, the patterns and the model each propose.

Kept apart because every rule passes these around (the component makes them, the conflict
rule picks among them, the alias rule reads the chosen ones) and none of them owns it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A candidate span in token indices of one segment Doc."""

    start: int
    end: int
    label: str
    kb_id: str = ""
    origin: str = "model"

    @property
    def size(self) -> int:
        return self.end - self.start
