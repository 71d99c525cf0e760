"""What a normalizer may know beyond its own match: the article and sentence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from ..engine.rules import RuleSet


@dataclass
class DocContext:
    rules: RuleSet
    published: dt.date | None
    # The last resolved date in reading order: (year, month or None)
    last_year: int | None = None
    last_month: int | None = None
    last_period: object | None = None  # normalize.dates.Period of the last date
    # Per sentence, reset by the pipeline: the currency and per-unit of the
    # last money fact, and the dates already seen.
    sentence: int = -1
    sentence_currency: str | None = None
    sentence_dates: list[tuple[int, int | None]] = field(default_factory=list)

    def enter_sentence(self, index: int) -> None:
        if index != self.sentence:
            self.sentence = index
            self.sentence_currency = None
            self.sentence_dates = []

    @cached_property
    def tables(self) -> "Tables":
        return tables_for(self.rules)


def tables_for(rules: RuleSet) -> "Tables":
    """The lookup tables of a rule set, built once and kept on it."""
    return rules.derived("tables", Tables)


class Tables:
    """Word -> key lookups built once per rule set."""

    def __init__(self, rules: RuleSet):
        lex = rules.lexicons
        cur = lex["currencies"]
        self.currency_name = cur.lookup("names")
        self.currency_prefix = cur.lookup("prefixes")
        self.currency_sub = cur.lookup("subunits")
        self.sub_factor = {w: f for e in cur.entries for w, f in (e.get("factors") or {}).items()}
        q = lex["qualifiers"]
        self.qual_prefix = q.lookup("prefix")
        self.qual_suffix = q.lookup("suffix")
        self.qual_infix = q.lookup("infix")
        self.mag_en = lex["magnitudes"].lookup("words")
        self.per_unit = lex["per_units"].lookup("words")
        d = lex["dates"]
        self.rel_year = d.lookup("rel_year")
        self.rel_month = d.lookup("rel_month")
        self.rel_week = d.lookup("rel_week")
        self.year_part = d.lookup("year_part")
        self.month_part = d.lookup("month_part")
        self.half = d.lookup("half")
