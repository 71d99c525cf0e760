"""Series: 从 2022 年至 2024 年,收入分别为 0.6 亿元、1.2 亿元、3.1 亿元.

A list of values after 分别 takes its periods, in order, from the dates named
before it in the sentence: year ranges count as each of their years
(2022 年至 2024 年 -> 2022, 2023, 2024), other dates as one period each
(2024H1 和 2025H1); one period alone is every value's (二季度以来三家公司的
增长率分别为…). A list of as many values right after it (,同比增长24.1%、23.1%)
and a 分别 list in a sentence a semicolon joins to it, naming no date of its
own (;归母净利润分别为…), take the same periods. When the counts do not line up, nothing is aligned: the
values lose the period the nearest date gave them and carry the flag
series_mismatch, for a reviewer to settle.
"""

from __future__ import annotations

import datetime as dt

import regex

from ..vocabulary import Lexicons, Words, word_alternation
from ..fact import Fact
from ..ingest.clean import Cleaned
from ..kinds import KINDS

#: What may stand between 分别 and the first value (为, 是, 达到 ...).
_LEAD = regex.compile(r"^[^,;。\d]{0,6}$")
_YEAR_RANGE = regex.compile(r"^(\d{4})/(\d{4})$")


class SeriesWords:
    """分别 and its synonyms, and what may join the values of a list."""

    def __init__(self, lex: Lexicons):
        grammar = lex["grammar"]
        self.respectively_re = regex.compile(word_alternation(grammar.words("respectively"), escape=regex.escape))
        # a date after 较 (较上年分别下降12%和9%) is a base, not the list's period; matched backwards
        self.base_re = regex.compile(word_alternation(grammar.words("comparison"), escape=regex.escape) + "[ ]?",
                                     regex.REVERSE)
        self.series_sep_re = regex.compile(
            "^[ ]*" + word_alternation(grammar.words("series_joiner"), escape=regex.escape) + "?[ ]*$")


WORDS = Words("series", {"grammar": ("respectively", "series_joiner", "comparison")}, SeriesWords)


def align_series(facts: list[Fact], cleaned: Cleaned, vocab: SeriesWords) -> set[int]:
    """Give the values of each 分别 list their periods; the ids of the facts
    it decided (aligned or mismatched), which no other date then governs."""
    decided: set[int] = set()
    text = cleaned.view.text
    by_sentence: dict[int, list[Fact]] = {}
    for f in facts:
        by_sentence.setdefault(f.sentence, []).append(f)
    carried: tuple[int, list] | None = None  # the last list's sentence and periods
    for si, group in by_sentence.items():
        s0, s1 = cleaned.sentences[si]
        periods: list[tuple[str | None, dt.date | None, dt.date | None]] = []
        if carried is not None and _semicolon_run(cleaned, text, carried[0], si):
            periods = carried[1]  # 2025年、2026年营收分别为…;归母净利润分别为…: the same years
        after = s0  # dates after the last list start a new list of periods
        for m in vocab.respectively_re.finditer(text, s0, s1):
            dates = _listed_dates([f for f in group if KINDS[f.kind].governs_periods and after <= f.view_start < m.start()],
                                  text, vocab)
            if dates:
                periods = [p for d in dates for p in _expand(d)]
            chain = chain_after(group, text, m.end(), vocab)
            if len(chain) < 2 or not periods:
                continue
            if len(periods) == 1:
                periods = periods * len(chain)  # 二季度以来A、B、C的增长率分别为…: one period for all
            chains = [chain, *_unnamed_lists(group, chain, len(periods), text, vocab)]
            after = chains[-1][-1].view_end
            for chain in chains:
                decided.update(id(f) for f in chain)
                _give(chain, periods)
            carried = (si, periods)
    return decided


def _listed_dates(dates: list[Fact], text: str, vocab: SeriesWords) -> list[Fact]:
    """The list of dates a 分别 follows: the last date before it and those joined
    to it (2024年毛利率为27.4%,预计2025年、2026年毛利率分别…: 2025 and 2026); a
    base (较上年末分别提高…, 上年同期) is none."""
    dates = [d for d in dates if not vocab.base_re.match(text, 0, d.view_start)
             and not (d.period is not None and d.period.same_period)]
    if not dates:
        return dates
    first = len(dates) - 1
    while first > 0 and vocab.series_sep_re.match(text[dates[first - 1].view_end:dates[first].view_start]):
        first -= 1
    return dates[first:]


def _give(chain: list[Fact], periods: list) -> None:
    if len(chain) != len(periods):
        for f in chain:
            f.flags.add("series_mismatch")
        return
    for f, (as_of, start, end) in zip(chain, periods):
        f.as_of, f.date_start, f.date_end = as_of, start, end
        if as_of is None:
            f.flags.add("unresolved_date")  # its period (今年上半年) has no publication date


#: What may stand between a 分别 list and a list that follows it without one (,同比增长).
_NEXT_LIST = regex.compile(r"^[^\d;。]{1,10}$")


def _unnamed_lists(group: list[Fact], chain: list[Fact], n: int, text: str, vocab: SeriesWords) -> list[list[Fact]]:
    """营收分别为31.6亿元、38.9亿元,同比增长24.1%、23.1%: a list of as many values
    right after a 分别 list, without a 分别 of its own, follows the same periods."""
    out = []
    last = chain[-1]
    while True:
        nxt = min((f for f in group if KINDS[f.kind].measured and f.view_start >= last.view_end),
                  key=lambda f: f.view_start, default=None)
        between = text[last.view_end:nxt.view_start] if nxt is not None else ""
        if nxt is None or not _NEXT_LIST.match(between) or vocab.respectively_re.search(between) \
                or any(KINDS[f.kind].governs_periods and last.view_end <= f.view_start < nxt.view_start for f in group):
            return out
        more = chain_after(group, text, nxt.view_start, vocab)
        if len(more) != n or n < 2:
            return out
        out.append(more)
        last = more[-1]


def _semicolon_run(cleaned: Cleaned, text: str, first: int, last: int) -> bool:
    """Whether sentences first..last are joined by semicolons within one paragraph."""
    for s in range(first, last):
        a, b = cleaned.sentences[s]
        if not text[a:b].rstrip(" ").endswith(";") or "\n" in text[b:cleaned.sentences[s + 1][0]]:
            return False
    return True


def chain_after(group: list[Fact], text: str, at: int, vocab: SeriesWords) -> list[Fact]:
    """The values listed right after position `at`, of one kind."""
    values = sorted((f for f in group if KINDS[f.kind].measured and f.view_start >= at), key=lambda f: f.view_start)
    if not values or not _LEAD.match(text[at:values[0].view_start]):
        return []
    chain = [values[0]]
    for f in values[1:]:
        if f.kind != chain[0].kind or not vocab.series_sep_re.match(text[chain[-1].view_end:f.view_start]):
            break
        chain.append(f)
    return chain


def _expand(d: Fact) -> list[tuple[str | None, dt.date | None, dt.date | None]]:
    m = _YEAR_RANGE.match(d.as_of or "")
    if m:
        return [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(int(m[1]), int(m[2]) + 1)]
    return [(d.as_of, d.date_start, d.date_end)]

