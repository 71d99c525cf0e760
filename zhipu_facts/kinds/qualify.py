"""Qualifiers and the bounds they imply (docs/schema.md: exact, approx, over, under, range)."""

from __future__ import annotations

from decimal import Decimal

from ..engine.vocabulary import Vocabulary
from ..fact import Candidate


def qualifier_of(c: Candidate, t: Vocabulary) -> str:
    """The qualifier the words around a number give it; bounds beat approx."""
    found = []
    pre = c.group("qual_pre") or c.group("qual_ctx")
    if pre:
        found.append(t.qual_prefix.get(pre))
    mid = c.group("qual_mid")
    if mid:
        found.append(t.qual_infix.get(mid))
    post = c.group("qual_post")
    if post:
        found.append(t.qual_suffix.get(post))
    found = [f for f in found if f]
    for q in ("over", "under"):
        if q in found:
            return q
    return "approx" if "approx" in found else "exact"


def bounds(value: Decimal, qualifier: str) -> tuple[Decimal | None, Decimal | None]:
    if qualifier == "exact":
        return value, value
    if qualifier == "over":
        return value, None
    if qualifier == "under":
        return None, value
    return None, None
