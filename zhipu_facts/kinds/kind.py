"""The record of a kind of fact: its normalizer, the groups its rules may
define, the words it reads, and its traits (kinds/__init__.py registers one
per kind)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..fact import Candidate, Value
from ..vocabulary import Words
from .context import Context

#: Groups every fact kind may use: qualifiers around the number, and the span
#: to report when markup splits the match (see pipeline._report_span).
COMMON_GROUPS = frozenset({"qual_pre", "qual_ctx", "qual_mid", "qual_post", "core"})


@dataclass(frozen=True)
class Kind:
    name: str
    normalize: Callable[[Candidate, Context], Value | None]
    #: Each tuple: a rule of this kind defines at least one of these groups.
    required: tuple[tuple[str, ...], ...]
    #: Every group the normalizer reads (with COMMON_GROUPS); a rule that
    #: defines any other is rejected at load time (a misspelled qual_post
    #: would silently make a bound exact).
    groups: frozenset[str]
    #: After a fact of this kind, update the reading state (the dates and
    #: currency later facts resolve against) from its value and match; None
    #: when it changes nothing.
    remember: Callable[[Context, Value, Candidate], None] | None = None
    #: Measures something: the meaning stage gives it a metric and a subject,
    #: the periods stage the date that governs it, compare groups it.
    measured: bool = True
    #: The lexicons its normalizer reads, built once when the rules load
    #: (ctx.vocab.<name> for each declaration).
    words: tuple[Words, ...] = ()
    # The traits below are what the stages after the normalizers ask of a
    # kind; each says what it changes, and no stage names a kind.
    #: Names a period: it governs the measured facts after it in its sentence
    #: (their as_of), and the dates before a 分别 list give the list its periods.
    governs_periods: bool = False
    #: An amount of a currency: converted to CNY (fx), compared and shown in
    #: CNY, and a unit price when it has a `per`.
    monetary: bool = False
    #: A count of things: the noun it counts (after it) names its metric
    #: first, and a metric that lists units takes only a count in one of them.
    counts: bool = False
    #: A ratio: after 占, or after a 的 that follows the metric word, it is a
    #: share of that measure, not the measure (占总收入的比重升至38.9%).
    ratio: bool = False

    def __post_init__(self) -> None:
        if (self.counts or self.ratio) and not self.measured:
            raise ValueError(f"kind {self.name!r}: counts and ratio refine the metric, which only a measured kind gets")

    @property
    def known_groups(self) -> frozenset[str]:
        return self.groups | COMMON_GROUPS
