"""The records passed between pipeline stages: a rule's match, a normalizer's
value, and the fact, one flat record whose fields are the fact table's columns.

Who fills what is declared with the columns (columns.py; docs/schema.md
documents them): the pipeline, the kind's normalizer through its Value, and
the enrichment stages, each the columns its Stage names (enrich/__init__.py);
flags only grow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import MISSING, dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .columns import COLUMNS, COMPUTED, Column

if TYPE_CHECKING:
    from collections.abc import Callable

    from .core.rule import Rule


@dataclass
class Candidate:
    """A rule's match in the cleaned view: a span and its named groups.

    ``match`` may come from a string of joined windows (see engine/match.py):
    ``shift`` takes its offsets back to the view.
    """

    rule: Rule
    start: int
    end: int
    match: Any  # regex.Match
    shift: int = 0

    @property
    def length(self) -> int:
        return self.end - self.start

    if TYPE_CHECKING:
        groups: dict[str, str | None]  # the named groups' texts
        group: Callable[[str], str | None]  # group(name): its text; None when absent or not in the pattern

    def __getattr__(self, name: str) -> Any:
        # `groups` and `group` are made on first use, then are plain attributes:
        # normalizers ask for 20 groups per fact on average, and one groupdict
        # and its own `get` cost no Python frame per call (a candidate that
        # loses never pays for its groupdict).
        if name in ("groups", "group"):
            groups = self.__dict__["groups"] = self.match.groupdict()
            self.__dict__["group"] = groups.get
            return self.__dict__[name]
        raise AttributeError(name)

    def span_of(self, name: str) -> tuple[int, int] | None:
        try:
            s, e = self.match.span(name)
        except IndexError:
            return None
        return None if s < 0 else (s + self.shift, e + self.shift)


@dataclass
class Value:
    """What a normalizer made of a candidate: the value columns of a fact."""

    kind: str
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    qualifier: str = "exact"
    unit: str | None = None
    per: str | None = None
    change: str | None = None  # relative, absolute, points; None for a level
    basis: str | None = None  # yoy, qoq
    as_of: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    flags: set[str] = field(default_factory=set)
    period: Any = None  # internal: a date's kinds.date.Period, for the dates after it


class _Open:
    """A base without slots: a column a plug-in registers (`register_column`)
    lives in the instance's dict, made only when a stage fills one."""

    __slots__ = ("__dict__",)  # no weak references: 8 bytes a fact less


def _with_columns(cls: type) -> type:
    """A field per stored column of COLUMNS (in table order), then the
    class's own fields: the columns are declared once, in columns.py."""
    own = cls.__dict__.get("__annotations__", {})
    fields: dict[str, str] = {}
    for c in COLUMNS:
        if c.filled_by == COMPUTED:
            continue
        fields[c.name] = "Any"
        if c.cell == "flags":
            setattr(cls, c.name, field(default_factory=set))
        elif c.default is not MISSING:
            setattr(cls, c.name, c.default)
    cls.__annotations__ = {**fields, **own}
    return cls


@dataclass(eq=False, slots=True, kw_only=True)
@_with_columns
class Fact(_Open):
    """One row of the fact table, before conversion to output types: a field
    per column of columns.COLUMNS (fact_id and fact_key are computed), then
    the internal ones below, which are not written. Slots: a fact is a third
    of the size (an article of 50 MB holds 220,000)."""

    # internal: positions in the cleaned view, for the enrichment stages
    sentence: int = -1
    # How metric and subject were decided, for `zfacts explain`: a dict when
    # analyze keeps its matches (explain does), else None (two sentences per
    # fact were half of what a long article's facts held).
    why: dict[str, str] | None = None
    view_start: int = 0
    view_end: int = 0
    period: Any = None

    @property
    def fact_id(self) -> str:
        """A function of the article's bytes, the span and the rule: never of
        the path, so moving or renaming a corpus keeps every id."""
        return _digest(f"{self.source_sha256}\x1f{self.start}\x1f{self.end}\x1f{self.rule}")

    @property
    def fact_key(self) -> str | None:
        """Shared by facts that should agree across sources (same subject,
        metric, period and kind, for a change its kind and basis, and for a
        unit price or payout its denominator: a dividend per 10 shares never
        shares a key with the total paid); None when subject or metric is
        unknown."""
        if not self.subject or not self.metric:
            return None
        change = (self.change, self.basis) if self.change or self.basis else ()
        per = ("per " + self.per,) if self.per else ()
        return _key_hash(self.subject, self.metric, self.as_of, self.kind, *change, *per)

    if TYPE_CHECKING:
        def row(self) -> dict[str, Any]:
            """The fact as a table row: the columns, in order, with floats
            for the exact Decimals. Written by `_row_maker` from the
            declarations, below the class."""


#: Columns registered by plug-ins, after COLUMNS in a row.
PLUGIN_COLUMNS: list[Column] = []


def declared_columns() -> tuple[Column, ...]:
    return COLUMNS + tuple(PLUGIN_COLUMNS)


def register_column(column: Column) -> None:
    """Add a column a plug-in's enrichment stage fills (`f.<name> = ...`);
    rows then carry it after the package's own, with `column.default` where
    no stage set it."""
    if column.name in {c.name for c in declared_columns()} or column.name in _INTERNAL:
        raise ValueError(f"a column or field named {column.name!r} exists already")
    PLUGIN_COLUMNS.append(column)
    setattr(Fact, column.name, column.default)
    _remake_row()


def unregister_column(name: str) -> None:
    PLUGIN_COLUMNS[:] = [c for c in PLUGIN_COLUMNS if c.name != name]
    delattr(Fact, name)
    _remake_row()


def _row_maker(columns: tuple[Column, ...]) -> Callable[[Fact], dict[str, Any]]:
    """One function for every row, written out from the declarations as
    the hand-written dict display it replaces was (a loop over the columns
    per row took 40% longer): a cell per column, converted as it declares."""
    cell = {"float": "None if f.{0} is None else float(f.{0})",
            "flags": "';'.join(sorted(f.{0})) or None", "": "f.{0}"}
    body = ", ".join(f"{c.name!r}: " + cell[c.cell].format(c.name) for c in columns)
    scope: dict[str, Any] = {}
    exec(f"def row(f):\n    return {{{body}}}\n", scope)  # noqa: S102 - our own declarations, not input
    return scope["row"]


def _remake_row() -> None:
    Fact.row = _row_maker(declared_columns())


_remake_row()
_INTERNAL = frozenset(f.name for f in dataclasses.fields(Fact)) - {c.name for c in COLUMNS}


def _digest(joined: str) -> str:
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@lru_cache(maxsize=4096)  # ~1 MB at most
def _key_hash(*parts: str | None) -> str:
    # Cached: the facts of a corpus share few (subject, metric, period, kind) keys.
    return _digest("\x1f".join("" if p is None else p for p in parts))
