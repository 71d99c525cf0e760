"""Stage 5: turn candidates into normalized values.

Each normalizer is a function (candidate, context) -> Resolved | None; None
means the candidate is not a fact after all (a bare number with no money
context, an impossible date). The rule names its normalizer; the groups it
reads are listed in zhipu_facts.rules.NORMALIZER_GROUPS.
"""

from __future__ import annotations

from .context import DocContext
from .date import normalize_date
from .money import normalize_money
from .percent import normalize_percent

NORMALIZERS = {
    "money": normalize_money,
    "percent": normalize_percent,
    "date": normalize_date,
}

__all__ = ["NORMALIZERS", "DocContext"]
