"""The records passed between pipeline stages: a rule's match, a normalizer's
value, and the fact, one flat record whose fields are the fact table's columns.

Who fills what (docs/schema.md has the columns):
- the pipeline: source, kind, text, start, end, line, quote, rule,
  source_sha256, published, published_from (and the internal fields);
- the kind's normalizer, through its Value: value, low, high, qualifier,
  unit, per, as_of, date_start, date_end, flags;
- the enrichment stages, each the fields its module's FILLS names
  (pipeline.ENRICHMENT); flags only grow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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


@dataclass(eq=False, slots=True)
class Fact:
    """One row of the fact table, before conversion to output types.
    Slots: a fact is a third of the size (an article of 50 MB holds 220,000).

    The fields up to `fact_key` are the schema's columns (fact_id and
    fact_key are computed); the ones after `# internal` are not written.
    """

    source: str
    kind: str
    text: str
    start: int
    end: int
    line: int
    quote: str
    rule: str
    source_sha256: str
    published: dt.date | None
    published_from: str | None
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    qualifier: str = "exact"
    unit: str | None = None
    per: str | None = None
    change: str | None = None
    basis: str | None = None
    as_of: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    flags: set[str] = field(default_factory=set)
    metric: str | None = None
    subject: str | None = None
    value_cny: Decimal | None = None
    fx_rate: float | None = None
    fx_date: dt.date | None = None
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
        metric, period and kind, and for a change its kind and basis); None
        when subject or metric is unknown."""
        if not self.subject or not self.metric:
            return None
        change = (self.change, self.basis) if self.change or self.basis else ()
        return _key_hash(self.subject, self.metric, self.as_of, self.kind, *change)

    def row(self) -> dict[str, Any]:
        """The fact as a table row: the schema's columns, in order, with
        floats for the exact Decimals."""
        return {
            "source": self.source,
            "fact_id": self.fact_id,
            "kind": self.kind,
            "metric": self.metric,
            "change": self.change,
            "basis": self.basis,
            "subject": self.subject,
            "text": self.text,
            "value": _float(self.value),
            "low": _float(self.low),
            "high": _float(self.high),
            "qualifier": self.qualifier,
            "unit": self.unit,
            "per": self.per,
            "value_cny": _float(self.value_cny),
            "fx_rate": self.fx_rate,
            "fx_date": self.fx_date,
            "as_of": self.as_of,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "published": self.published,
            "published_from": self.published_from,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "rule": self.rule,
            "flags": ";".join(sorted(self.flags)) or None,
            "source_sha256": self.source_sha256,
            "fact_key": self.fact_key,
        }


def _digest(joined: str) -> str:
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@lru_cache(maxsize=4096)  # ~1 MB at most
def _key_hash(*parts: str | None) -> str:
    # Cached: the facts of a corpus share few (subject, metric, period, kind) keys.
    return _digest("\x1f".join("" if p is None else p for p in parts))


def _float(x: Decimal | None) -> float | None:
    return None if x is None else float(x)
