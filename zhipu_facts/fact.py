"""The values passed between pipeline stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from .engine.rules import Rule


@dataclass
class Candidate:
    """A rule's match in the cleaned view: a span and its named groups.

    ``match`` may come from a string of joined windows (see match.py):
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

    @cached_property
    def groups(self) -> dict[str, str | None]:
        return self.match.groupdict()

    def group(self, name: str) -> str | None:
        """The text of a named group; None when absent or not in the pattern."""
        # Normalizers ask for a dozen groups: one groupdict beats a dozen calls.
        return self.groups.get(name)

    def span_of(self, name: str) -> tuple[int, int] | None:
        try:
            s, e = self.match.span(name)
        except IndexError:
            return None
        return None if s < 0 else (s + self.shift, e + self.shift)


@dataclass
class Resolved:
    """What a normalizer made of a candidate."""

    kind: str
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    qualifier: str = "exact"
    unit: str | None = None
    per: str | None = None
    as_of: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    flags: set[str] = field(default_factory=set)


@dataclass
class Fact:
    """One row of the fact table, before conversion to output types."""

    source: str
    kind: str
    text: str
    start: int
    end: int
    line: int
    quote: str
    rule: str
    resolved: Resolved
    sentence: int  # index of the sentence in the cleaned view
    view_start: int
    view_end: int
    source_sha256: str
    published: dt.date | None
    published_from: str | None
    metric: str | None = None
    subject: str | None = None
    value_cny: Decimal | None = None
    fx_rate: float | None = None
    fx_date: dt.date | None = None
