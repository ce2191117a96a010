"""Token offsets as stored in ``article_tokens``: little-endian uint32 pairs, 8 bytes a token."""

from __future__ import annotations

from array import array
from collections.abc import Sequence


def encode_tokens(offsets: Sequence[tuple[int, int]]) -> bytes:
    """Pack token offsets as little-endian uint32 pairs: 8 bytes a token, fast to load."""
    flat = array("I", (x for pair in offsets for x in pair))
    if flat.itemsize != 4:  # pragma: no cover - every platform we ship has 4-byte I
        raise RuntimeError("unexpected array item size")
    return flat.tobytes()


def decode_tokens(blob: bytes) -> list[tuple[int, int]]:
    flat = array("I")
    flat.frombytes(blob)
    return list(zip(flat[0::2], flat[1::2], strict=True))
