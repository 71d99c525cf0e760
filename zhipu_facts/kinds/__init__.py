"""The kind registry: one entry per kind of fact, and the only list of them.

A kind is a rule folder (rules/<name>/), a normalizer, the named groups its
rules may define, the lexicons it reads (`Kind.words`), and its traits. The
rule loader derives its folders, checks and compiled words from KINDS; the
enrichment stages and compare read the traits. Adding a kind is a rule
folder, a module here with its normalizer and its `KIND`, and one line in
`_ALL` (rules/README.md walks through it); a kind defined outside the
package is added with `register`.
"""

from __future__ import annotations

from . import date, money, percent, quantity
from .context import Context
from .kind import COMMON_GROUPS, Kind

_ALL = (money.KIND, percent.KIND, quantity.KIND, date.KIND)
KINDS: dict[str, Kind] = {k.name: k for k in _ALL}


def kinds_with(trait: str) -> tuple[str, ...]:
    """The names of the registered kinds that have a trait (a field of
    `Kind`: "measured", "monetary" ...), in registry order. Read when a
    decision is made, so a kind registered later counts."""
    return tuple(name for name, k in KINDS.items() if getattr(k, trait))


def register(kind: Kind) -> None:
    """Add a kind defined outside the package (rules for it then load from
    a folder of its name). The stages after the normalizers read its traits
    when they decide, so it counts from then on; the metric words are bound
    to the measured kinds when the rules load, so register a measured kind
    before loading them."""
    if kind.name in KINDS:
        raise ValueError(f"a kind named {kind.name!r} is registered already")
    KINDS[kind.name] = kind


def unregister(name: str) -> None:
    """Remove a kind `register` added."""
    if any(k.name == name for k in _ALL):
        raise ValueError(f"{name!r} is one of the package's own kinds")
    del KINDS[name]


__all__ = ["COMMON_GROUPS", "KINDS", "Context", "Kind", "kinds_with", "register", "unregister"]
