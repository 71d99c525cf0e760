"""The enrichment registry: the stages run on a text's facts, in order.

A stage is a function over a section's facts, the columns it fills and the
lexicons it reads (its `Stage`, enrich/stage.py). Adding one is its module
and one line in ENRICHMENT; a stage defined outside the package is added
with `register`. Every stage may add flags; none removes one.
"""

from __future__ import annotations

from . import fx, meaning, periods, series
from . import entities
from .stage import Stage

ENRICHMENT: list[Stage] = [
    Stage("periods and series", periods.attach_periods, periods.FILLS, words=(periods.WORDS, series.WORDS)),
    Stage("metric and subject", meaning.assign_meaning, meaning.FILLS, meaning.FILLS_IF_EMPTY,
          words=(meaning.WORDS, entities.WORDS)),
    Stage("fx", fx.convert_facts, fx.FILLS),
]
_OWN = frozenset(s.name for s in ENRICHMENT)
for _stage in ENRICHMENT:
    _stage.check()


def register(stage: Stage) -> None:
    """Run a stage defined outside the package after the package's own."""
    if any(s.name == stage.name for s in ENRICHMENT):
        raise ValueError(f"a stage named {stage.name!r} is registered already")
    stage.check()
    ENRICHMENT.append(stage)


def unregister(name: str) -> None:
    """Remove a stage `register` added."""
    if name in _OWN:
        raise ValueError(f"{name!r} is one of the package's own stages")
    ENRICHMENT[:] = [s for s in ENRICHMENT if s.name != name]


__all__ = ["ENRICHMENT", "Stage", "register", "unregister"]
