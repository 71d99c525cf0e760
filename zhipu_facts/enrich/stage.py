"""The record of an enrichment stage: what it runs, the columns it fills and
the words it reads (enrich/__init__.py registers them, in order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..fact import Fact, declared_columns
from ..ingest.clean import Cleaned
from ..vocabulary import Words

if TYPE_CHECKING:
    from ..engine.rules import RuleSet


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[list[Fact], Cleaned, RuleSet], None]
    fills: frozenset[str]  # the columns (or internal fields) it may set
    fills_if_empty: frozenset[str] = frozenset()  # the columns it may set where no stage before did
    #: The lexicons it reads, built once when the rules load (rules.vocab.<name>).
    words: tuple[Words, ...] = ()

    def check(self) -> None:
        """Every column it fills is declared, as filled by this stage (columns.py)."""
        filled_by = {c.name: c.filled_by for c in declared_columns()}
        for name in sorted(self.fills | self.fills_if_empty):
            if name in filled_by and self.name not in filled_by[name]:
                raise ValueError(f"stage {self.name!r} fills {name!r}, which columns.py says it does not")
            if name not in filled_by and name not in INTERNAL:
                raise ValueError(f"stage {self.name!r} fills {name!r}, which is no declared column")


#: The Fact fields that are not columns, which a stage may still set (meaning's `why`).
INTERNAL = frozenset({"why"})
