"""Identifiers derived from content, so the same input gives the same ids on any machine."""

import hashlib

_SEP = "\x1f"


def stable_id(*parts: object) -> str:
    """A 16-hex-digit id from the parts' string forms; never from counters or clocks."""
    joined = _SEP.join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
