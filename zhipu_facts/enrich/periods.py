"""Give money and percent facts the period of the date that governs them.

The governing date is the nearest date fact before the number in the same
sentence, or in the sentences a semicolon joins to it before, unless a word saying "now" (如今, 目前, from the context lexicon)
stands between them: a fact stated as current keeps as_of null, since
`published` already says when it was true; so does one governed by a
vague recent date (近日, flag vague_date) or by the scope of a rank (年内第二大). A date that is the base of a
comparison (较2023年) does not govern a change after it. When the governing date cannot
be resolved (去年 with no publication date), the fact keeps as_of null and
the flag unresolved_date. A list of values after 分别 takes its periods
from the dates listed before it instead (series.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from ..fact import Fact
from ..ingest.clean import CLAUSE_BREAK, Cleaned
from ..kinds import KINDS
from ..vocabulary import Lexicons, Words, word_alternation
from .series import align_series

if TYPE_CHECKING:
    from ..engine.rules import RuleSet

FILLS = frozenset({"as_of", "date_start", "date_end"})


class PeriodWords:
    """Words that say "now" (the NOW fragment, built from the context
    lexicon), and comparison words before a date (较2023年)."""

    def __init__(self, lex: Lexicons):
        self.now_re = regex.compile(lex.fragment("NOW"))
        # Matched backwards from the date's start.
        self.comparison_re = regex.compile(
            word_alternation(lex["grammar"].words("comparison"), escape=regex.escape) + "[ ]?", regex.REVERSE)
        # 由去年的28%提升至35%: a date after 由/从 and before 的 is the starting point of a move
        self.from_re = regex.compile(
            word_alternation(lex["grammar"].words("move_from"), escape=regex.escape) + "[ ]?", regex.REVERSE)
        self.change_to_re = regex.compile(lex.fragment("CHANGE_TO"))


WORDS = Words("periods", {"context": ("now", "change_to"), "grammar": ("comparison", "move_from")}, PeriodWords)


def _is_base(d: Fact, text: str, words: PeriodWords) -> bool:
    """A date a comparison is measured against: 较2023年, 去年同期 (the
    base of a year-on-year change, not the period of the change), and the
    start of a move (由去年的28%提升至35%)."""
    return (bool(words.comparison_re.match(text, 0, d.view_start))
            or bool(d.period is not None and d.period.same_period)
            or (bool(words.from_re.match(text, 0, d.view_start)) and text.startswith("的", d.view_end)))


def _may_date(d: Fact, base: bool, f: Fact, text: str, words: PeriodWords) -> bool:
    """Whether date `d` may date `f`, a fact after it in its sentence.

    The base of a comparison (较2023年的8.9亿元增长38.2%, 较年初下降0.02个百分点)
    dates only a level in its own clause, right after it (8.9亿元), and a base
    counted from another date (较上日放量900亿元, 较上一季度) dates nothing; a
    change, a value a move reaches (由去年的28%提升至35%: the 35%), or anything in
    a later clause, takes the date before it. A date
    that scopes its clause alone (年内累计上涨80%, 总市值2185亿港元) dates
    nothing in a later clause."""
    p = d.period
    later_clause = bool(CLAUSE_BREAK.search(text, d.view_end, f.view_start))
    if p is not None and p.clause_only and later_clause:
        return False
    if not base:
        return True
    return (not f.change and not (p is not None and p.relative_base) and not later_clause
            and not words.change_to_re.search(text, d.view_end, f.view_start))


def _run_before(sentence: int, dates: dict[int, list[tuple[Fact, bool]]], cleaned: Cleaned,
                text: str) -> list[tuple[Fact, bool]] | None:
    """The dates of the sentences a semicolon joins to this one, nearest
    first: a period that opens a sentence governs its figures across ；
    (2025年一季度实现营收847亿元,同比增长6%;归母净利润139亿元)."""
    s = sentence - 1
    while s >= 0:
        a, b = cleaned.sentences[s]
        if not text[a:b].rstrip(" ").endswith(";") or "\n" in text[b:cleaned.sentences[s + 1][0]]:
            return None  # a full stop, or a paragraph ended with a semicolon: no run
        if dates.get(s):
            return dates[s]
        s -= 1
    return None


def attach_periods(facts: list[Fact], cleaned: Cleaned, rules: RuleSet) -> None:
    words = rules.vocab.periods
    now = words.now_re
    text = cleaned.view.text
    in_series = align_series(facts, cleaned, rules.vocab.series)
    dates: dict[int, list[tuple[Fact, bool]]] = {}  # sentence -> its dates so far, and whether each is a base
    for f in facts:
        kind = KINDS[f.kind]
        if kind.governs_periods:
            dates.setdefault(f.sentence, []).append((f, _is_base(f, text, words)))
            continue
        if not kind.measured or id(f) in in_series:
            continue
        run = _run_before(f.sentence, dates, cleaned, text)
        before = dates.get(f.sentence) or run
        if not before:
            continue
        d = next((x for x, base in reversed(before) if _may_date(x, base, f, text, words)), None)
        if d is None and run and before is not run:
            # 上年同期为2.08亿元,同比增长24.5%: the base dates not the change; the period
            # the semicolon run opened with does (前三季度……;扣非净利润……)
            d = next((x for x, base in reversed(run) if not base), None)
        if d is None:
            continue
        if now.search(text, d.view_end, f.view_start) or "vague_date" in d.flags or (
                d.period is not None and not d.period.governs):
            # 近日 (a window up to publication) says "lately" as 目前 says "now",
            # and 年内第二大 is a rank's scope: the fact keeps as_of null, and no
            # earlier date stands in for it.
            continue
        if d.as_of is None:
            # 2025年……去年营收30亿元 with no publication date: 去年 governs, and
            # it cannot be resolved; an earlier date must not stand in for it.
            f.flags.add("unresolved_date")
            continue
        f.as_of, f.date_start, f.date_end = d.as_of, d.date_start, d.date_end
        if "inferred_year" in d.flags:
            f.flags.add("inferred_year")  # its period's year came from a later date
