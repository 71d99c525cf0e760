"""The kind registry: one entry per kind of fact, and the only list of them.

A kind is a rule folder (rules/<name>/), a normalizer, the named groups its
rules may define, and its traits. The rule loader derives its folders and
checks from KINDS; the enrichment stages and compare read the traits. Adding
a kind is a rule folder, a module here with its normalizer and its `KIND`,
and one line in `_ALL` (rules/README.md walks through it).
"""

from __future__ import annotations

from . import date, money, percent, quantity
from .context import Context
from .kind import COMMON_GROUPS, Kind

_ALL = (money.KIND, percent.KIND, quantity.KIND, date.KIND)
KINDS: dict[str, Kind] = {k.name: k for k in _ALL}
#: The kinds whose facts measure something (have metric, subject, governing date).
MEASURED = tuple(name for name, k in KINDS.items() if k.measured)

__all__ = ["COMMON_GROUPS", "KINDS", "MEASURED", "Context", "Kind"]
