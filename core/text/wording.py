"""How a count reads in a message: "1 suggestion", "77 suggestions". One rule for the
sentences that say what happened (an approval, a merge), so none says "1 claims"."""

from __future__ import annotations


def counted(n: int, one: str, many: str) -> str:
    """``1 suggestion`` / ``77 suggestions``: the number with the right form of the noun."""
    return f"{n:,} {one if n == 1 else many}"
