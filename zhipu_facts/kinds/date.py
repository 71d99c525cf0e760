"""Dates and periods, resolved against the publication date or the text before.

Absolute dates stand alone. Relative ones (今年, 上个月, 上周) need `published`;
anaphoric ones (同年6月, 当月, a bare 3月 or 17日) take the year and month of
the previous date in the text, else of `published`. With nothing to resolve
against, the fact keeps as_of null and the flag unresolved_date: never a
guess from today's clock.

as_of forms: 2024, 2024-12, 2024-12-31, 2025-H1, 2024-Q3, 2025-W06, and ISO
intervals start/end for ranges (2022/2024, 2025-12-31/2026-01-01).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from ..vocabulary import Lexicons, Words, word_alternation
from ..fact import Candidate, Value
from .kind import Kind
from .context import Context
from ..core.numbers import NumberError, parse_number

_DATE_FIELDS = ("rel_year", "rel_month", "rel_week", "rel_day", "year_part", "month_part", "half", "weekday",
                "week_shift", "century", "report", "era", "rel_quarter", "rel_trading_day", "vague", "decade_part",
                "month_word", "rel_day_noted")


class DateWords:
    """Relative dates (去年, 上月, 本周, 明天), parts of years and months,
    weekdays, centuries, reporting periods, holidays, and offsets (3天后)."""

    def __init__(self, lex: Lexicons):
        dates = lex["dates"]
        for name in _DATE_FIELDS:
            setattr(self, name, dates.lookup(name))
        self.holiday = {str(w): e for e in lex["holidays"].entries for w in e.get("words") or []}
        # Words of the future and of the past in a date's clause (将于3月, 完成了): its tense
        self.future_re = regex.compile(word_alternation(dates.words("future"), escape=regex.escape))
        self.past_re = regex.compile(word_alternation(dates.words("past"), escape=regex.escape))
        # matched backwards from a date's start
        self.schedule_to_re = regex.compile("(?:" + word_alternation(dates.words("schedule_to"), escape=regex.escape)
                                            + ")[ ]?", regex.REVERSE)
        # after a day, the start of its range: 今日(18日)起至11月24日
        self.schedule_from_re = regex.compile(r"(?:[ ]?[（(][^）)\n]{1,8}[）)]|[ ]?[）)])?[ ]?(?:"
                                              + word_alternation(dates.words("schedule_from"), escape=regex.escape) + ")")
        self.as_of_to_re = regex.compile("(?:" + word_alternation(dates.words("as_of_to"), escape=regex.escape)
                                         + ")[ ]?", regex.REVERSE)
        grammar = lex["grammar"]
        # A base of a comparison (较去年, 由去年的28%) lends no year to a year-less date after it; matched backwards
        self.base_re = regex.compile("(?:" + word_alternation(grammar.words("comparison") + grammar.words("move_from"),
                                                              escape=regex.escape) + ")[ ]?", regex.REVERSE)
        self.offset_dir = grammar.lookup("offset_dir")
        self.offset_unit = grammar.lookup("offset_unit")


WORDS = Words("date", {"dates": (*_DATE_FIELDS, "future", "past", "schedule_to", "schedule_from", "as_of_to"),
                       "holidays": ("words",), "grammar": ("offset_dir", "offset_unit", "comparison", "move_from")},
              DateWords)

_HALF = {"H1": (1, 6), "H2": (7, 12)}


@dataclass
class Period:
    as_of: str
    start: dt.date
    end: dt.date
    year: int
    month: int | None  # the month to remember for anaphora (None: a whole year)
    # Set on the last period resolved, for 去年同期: how to shift it by years.
    kind: str = "year"  # year, month, day, half, quarter, week, span
    # 去年同期: the base of a year-on-year comparison, not the period a change is of
    same_period: bool = False
    # The year came from a date later in the article (flag inferred_year).
    inferred: bool = False
    # A window for a vague word of recent time (近日, 晚间): flag vague_date.
    vague: bool = False
    # False: it dates no fact after it (近日, which says "lately" as 目前 says
    # "now"; 年内 as the scope of a rank, 年内第二大).
    governs: bool = True
    # Counted from another date (上一交易日, 上一季度): after 较 it is a base
    # that dates nothing, not even the amount right after it (较上日放量900亿元).
    relative_base: bool = False
    # It scopes its own clause only (年内累计上涨80%,总市值2185亿港元: not the market cap's).
    clause_only: bool = False


class Unresolved(Exception):
    """Nothing to resolve this date against."""


class NotADate(ValueError):
    """Words that are a date only in some texts (次年 with no year named, 首日
    with no day named, a three-digit year outside Taiwan): no fact."""


def normalize_date(c: Candidate, ctx: Context) -> Value | None:
    try:
        p = _resolve(c, ctx)
    except Unresolved:
        flags = {"unresolved_date"} | ({"vague_date"} if c.group("vague") else set())
        return Value("date", flags=flags)
    except (NumberError, ValueError, KeyError, TypeError, OverflowError):
        return None  # not a real calendar date (2月30日, 2022至2000年, a week past 9999)
    t = ctx.vocab.date
    if p.kind == "day" and (t.schedule_from_re.match(ctx.text, c.end) or (
            t.schedule_to_re.match(ctx.text, 0, c.start) and not t.as_of_to_re.match(ctx.text, 0, c.start))):
        p.clause_only = True  # 今日起至5月13日招股,招股价每股24.18港元: the offer's days, not the price's date
    if c.group("estimate") is not None:
        p.clause_only = True  # 给予公司2026E 22倍PE,对应目标价48.6元: the estimate's multiple only
    v = Value("date", as_of=p.as_of, date_start=p.start, date_end=p.end, period=p)
    if p.inferred:
        v.flags.add("inferred_year")
    if p.vague:
        v.flags.add("vague_date")
    if c.group("estimate") is not None:
        v.flags.add("forecast")  # 2026E: a broker's estimate year
    if c.group("fiscal") is not None:
        v.flags.add("fiscal_year")  # read as the calendar year: the company's may differ
    return v


def remember(ctx: Context, v: Value, c: Candidate) -> None:
    """Anaphoric dates after this one (同年, 当月, a bare 3月) resolve against it."""
    p = v.period
    if p is None or p.vague:
        return  # 近日 is no day to count 次日 from, nor a year for 3月
    ctx.last_year, ctx.last_month = p.year, p.month
    ctx.last_date_sentence = ctx.sentence
    ctx.sentence_dates.append((p.year, p.month))
    if not ctx.vocab.date.base_re.match(ctx.text, 0, c.start):
        # 由去年的28%提升至35%,全年资本支出将达150亿元: 全年 is this year's, not the base's
        ctx.run_dates.append((p.year, p.month))
    ctx.last_period = p


def _int(s: str | None) -> int | None:
    # A Latin O stands for zero in written years (二O二一年), nowhere else.
    return None if s is None else int(parse_number(s.replace("O", "〇")))


def _resolve(c: Candidate, ctx: Context) -> Period:
    g = c.group
    for group, resolve in _RELATIVE:
        if g(group) is not None:
            return resolve(c, ctx)
    if g("report") and not _names_its_year(c):
        return _latest_report(c, ctx)
    if _names_its_year(c) or _within_month_named(c):
        return _resolve_dated(c, ctx, _year(c, ctx))
    return _yearless(c, ctx)


def _latest_report(c: Candidate, ctx: Context) -> Period:
    """一季报, 半年报, 年报 with no year: the report of the sentence's year,
    else the latest such period that ended before the publication date (a
    一季报 published in April 2025 covers 2025-Q1, a 年报 then covers 2024)."""
    own = next((year for year, _ in reversed(ctx.run_dates) if year is not None), None)
    if own is not None:
        return _resolve_dated(c, ctx, own)
    if ctx.published is None:
        raise Unresolved
    p = _resolve_dated(c, ctx, ctx.published.year)
    return p if p.end < ctx.published else _resolve_dated(c, ctx, ctx.published.year - 1)


def _within_month_named(c: Candidate) -> bool:
    """A day or part of a month with no month (7日, 月中): of the month the
    text named before, as news writes a run of events (_period_of)."""
    return bool((c.group("day") or c.group("month_part")) and not c.group("month"))


def _names_its_year(c: Candidate) -> bool:
    g = c.group
    return any(g(k) for k in ("year", "year2d", "year2dh", "year3d", "rel_year", "decade_han", "decade", "century",
                              "century_n"))


#: How far a year-less date may stand from the publication date against its
#: tense before its year moves: a past event (了, 已, 此前 in its clause) dated
#: more than this after publication is last year's (12月15日完成了交割 in an
#: article of 10 February), a future one (将, 预计, 计划) dated more than this
#: before it next year's (将于3月上市 in November). No tense word: the
#: publication's year.
TENSE_WINDOW = dt.timedelta(days=31)


def _yearless(c: Candidate, ctx: Context) -> Period:
    """A month, quarter, half or part of a year written without its year.

    Its year is the one its own sentence names before it (2024年……其中3月), or
    that of a date a few sentences back when it opens its sentence and so
    carries a story on (2022年,公司发布模型。11月底,……); else the publication date's,
    moved by tense (TENSE_WINDOW). It never borrows a year from further away:
    an article that says 公司成立于2008年 and then 截至3月6日 means this year's
    March. A year taken from the text that is not the publication's says so
    (inferred_year); with neither, the date is unresolved."""
    own = _year_of_context(c, ctx)
    pub = ctx.published
    if pub is None:
        if own is None:
            raise Unresolved
        p = _resolve_dated(c, ctx, own)
        p.inferred = True
        return p
    if own is not None:
        p = _resolve_dated(c, ctx, own)
        p.inferred = own != pub.year
        return p
    p = _resolve_dated(c, ctx, pub.year)
    clause = _clause(c, ctx)
    t = ctx.vocab.date
    if p.start > pub + TENSE_WINDOW and t.past_re.search(clause) and not t.future_re.search(clause):
        p = _resolve_dated(c, ctx, pub.year - 1)
    elif p.end < pub - TENSE_WINDOW and t.future_re.search(clause):
        p = _resolve_dated(c, ctx, pub.year + 1)
    return p


def _year_of_context(c: Candidate, ctx: Context) -> int | None:
    """The year of the sentence's own dates, else of the previous sentence's
    when this date opens its sentence."""
    own = next((year for year, _ in reversed(ctx.run_dates) if year is not None), None)
    if own is not None:
        return own
    opening = ctx.text[ctx.sentence_start:c.start].strip(_OPENERS)
    if not opening and ctx.sentence - ctx.last_date_sentence <= STORY_SENTENCES \
            and not (ctx.published is not None and ctx.last_year is not None and ctx.last_year > ctx.published.year):
        # a story carries its year on, but not a date still to come (股息将于2026年1月16日派发。
        # 上半年……: this year's half, not 2026's)
        return ctx.last_year
    return None


#: How many sentences back a date that opens its sentence still carries the
#: story's year (2022年,……发布了GLM-130B。作为首个……。11月底,ChatGPT亮相).
STORY_SENTENCES = 3


def _clause(c: Candidate, ctx: Context) -> str:
    """Where a date's tense is written: from the start of its clause to the
    end of its sentence (12月15日,公司已完成交割: the verb follows the date)."""
    text, first = ctx.text, ctx.sentence_start
    start = max(text.rfind(ch, first, c.start) for ch in _CLAUSE_ENDS) + 1 or first
    return text[max(start, first):ctx.sentence_end]


_CLAUSE_ENDS = ",;。!?\n"
_YEAR_WORD = "\u5e74"  # the year word after a year's digits
_SENTENCE_ENDS = "。!?\n"
_OPENERS = " \"'“‘(【[*#-"


def _resolve_dated(c: Candidate, ctx: Context, year: int) -> Period:
    g = c.group
    if g("holiday"):
        return _day(holiday_day(ctx.vocab.date.holiday[g("holiday")], year))
    if g("decade"):
        first, last = 0, 9
        if g("decade_part"):  # the part of the decade the lexicon gives (末期: its last three years)
            first, last = map(int, ctx.vocab.date.decade_part[g("decade_part")].split("-"))
        return _span(_whole_year(year + first), _whole_year(year + last))
    if g("year2") and not g("month2"):
        return _span(_period_of(c, ctx, year), _whole_year(_int(g("year2"))))
    if g("week") and not g("month"):
        # 2025年第10周: ISO week 10
        monday = dt.date.fromisocalendar(year, _int(g("week")), 1)
        return Period(f"{year}-W{_int(g('week')):02d}", monday, monday + dt.timedelta(days=6), year,
                      monday.month, "week")
    if g("week"):
        month = _int(g("month"))
        n = _int(g("week"))
        last = calendar.monthrange(year, month)[1]
        start, end = dt.date(year, month, 7 * n - 6), dt.date(year, month, min(7 * n, last))
        return Period(f"{start.isoformat()}/{end.isoformat()}", start, end, year, month, "span")
    first = _period_of(c, ctx, year)
    year2 = _int(g("year2")) or year
    if g("day2"):
        month2 = _int(g("month2")) or first.start.month
        end = dt.date(year2, month2, _int(g("day2")))
        if end < first.start and not g("year2"):
            end = dt.date(year + 1, month2, end.day)  # 12月31日至1月1日
        return _span(first, _day(end))
    if g("month2"):
        month2 = _int(g("month2"))
        if month2 < first.start.month and not g("year2"):
            year2 += 1  # 2024年11月至2月
        return _span(first, _months(f"{year2}-{month2:02d}", year2, month2, month2, "month"))
    return first


def holiday_day(entry: dict, year: int) -> dt.date:
    """The day of a holidays-lexicon entry in `year`: a fixed day, a lunar day
    or a solar term (lunar_python converts; imported only when needed)."""
    return _holiday_day(_text(entry.get("solar")), _text(entry.get("lunar")), _text(entry.get("term")),
                        int(entry.get("shift", 0)), year)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@lru_cache(maxsize=4096)
def _holiday_day(solar: str | None, lunar: str | None, term: str | None, shift: int, year: int) -> dt.date:
    # Cached: a solar-term table costs ~1 ms of astronomy in lunar_python, and
    # a corpus names 春节 or 清明 in article after article.
    if solar is not None:
        month, day = map(int, solar.split("-"))
        d = dt.date(year, month, day)
    else:
        from lunar_python import Lunar

        if lunar is not None:
            month, day = map(int, lunar.split("-"))
            s = Lunar.fromYmd(year, month, day).getSolar()
        else:
            s = Lunar.fromYmd(year, 1, 1).getJieQiTable()[term]
        d = dt.date(s.getYear(), s.getMonth(), s.getDay())
    return d + dt.timedelta(days=shift)


def _year(c: Candidate, ctx: Context) -> int:
    """The year a date names, or the one it takes from context."""
    g = c.group
    pub = ctx.published
    if g("era"):
        # 民国78年: counted from the era's first year, in any text
        return ERAS[ctx.vocab.date.era[g("era")]] + _int(g("year3d") or g("year2d"))
    if g("year3d"):
        # 113年度 with no era word: Taiwan's calendar in a Taiwan article, else no year
        if not _taiwan(ctx):
            raise NotADate("a three-digit year outside a Taiwan text")
        return ERAS["roc"] + int(g("year3d"))
    if g("year"):
        return _int(g("year"))
    if g("decade_han") or ((g("century") or g("century_n")) and g("year2d")):
        # 八十年代, 本世纪10年代, 十九世纪七十年代: the decade in the century named, else the last century
        if g("century_n"):
            first = (_int(g("century_n")) - 1) * 100
        else:
            first = int(ctx.vocab.date.century[g("century")]) if g("century") else 1900
        return first + (_int(g("decade_han")) if g("decade_han") else int(g("year2d")))
    if g("year2d") and not g("decade") and int(g("year2d")) > 0 and _taiwan(ctx) and _before_nian(c, ctx):
        return ERAS["roc"] + int(g("year2d"))  # 78年6月30日 in a Taiwan article: 1989
    if g("year2d") or g("year2dh"):
        yy = int(g("year2d")) if g("year2d") else _int(g("year2dh"))
        pivot = (pub.year if pub else 2030) % 100 + 1
        return (2000 if yy <= pivot else 1900) + yy
    if g("rel_year"):
        key = ctx.vocab.date.rel_year[g("rel_year")]
        if key == "next" and ctx.last_year is None:
            raise NotADate("次年 with no year named before it")  # the second year of what?
        if key in ("same", "next"):
            base = ctx.last_year if ctx.last_year is not None else (pub.year if pub else None)
            if base is None:
                raise Unresolved
            return base + (key == "next")
        if pub is None:
            raise Unresolved
        return pub.year + int(key)
    # A day or part of a month alone: _period_of takes its month and year
    # from the text before (3月5日……7日), else `published`.
    if ctx.last_year is not None:
        return ctx.last_year
    if pub is not None:
        return pub.year
    raise Unresolved


#: The eras of the dates lexicon (its `era` keys) and the year before each
#: one's first: Taiwan's Republic of China calendar starts in 1912.
ERAS = {"roc": 1911}


def _before_nian(c: Candidate, ctx: Context) -> bool:
    """Whether the two-digit year is written with its year word (78年, not 1Q25 or FY23)."""
    span = c.span_of("year2d")
    return span is not None and ctx.text[span[1]:span[1] + 2].lstrip(" ").startswith(_YEAR_WORD)


def _taiwan(ctx: Context) -> bool:
    """Whether the article is Taiwan's (its bare 元 is TWD): its years in
    dates are counted from 1912 (113年 is 2024)."""
    return ctx.local_currency == "TWD"


def _period_of(c: Candidate, ctx: Context, year: int) -> Period:
    g = c.group
    t = ctx.vocab.date
    month = int(t.month_word[g("month")]) if g("month") in t.month_word else _int(g("month"))
    day = _int(g("day"))
    if day is not None and month is None:
        # A day alone: the month of the text before, else of `published`, else
        # of the next date that writes a year and a month.
        if ctx.last_month is not None:
            year, month = ctx.last_year, ctx.last_month
        elif ctx.published is not None:
            year, month = ctx.published.year, ctx.published.month
        else:
            raise Unresolved
    if month is None and day is None and g("month_part") and not (g("year") or g("rel_year")):
        # 月初, 月中, 月底 alone: the month of the text before, else of `published`
        if ctx.last_month is not None:
            year, month = ctx.last_year, ctx.last_month
        elif ctx.published is not None:
            year, month = ctx.published.year, ctx.published.month
        else:
            raise Unresolved
    if g("year_part") and t.year_part[g("year_part")] == "mid_year":
        return _months(f"{year}-06/{year}-07", year, 6, 7, "span")  # 年中: June and July
    if g("year_part"):
        month = 1 if t.year_part[g("year_part")] == "first_month" else 12
    if g("report"):
        key = t.report[g("report")]
        if key == "year":
            return _whole_year(year)
        if key == "Q1/Q3":
            return _months(f"{year}-Q1/{year}-Q3", year, 1, 9, "span")
        first, last = (1, 3) if key == "Q1" else _HALF[key]
        return _months(f"{year}-{key}", year, first, last, "half" if key[0] == "H" else "quarter")
    if g("half"):
        # 上半 (财年) is short for the lexicon's 上半年.
        key = t.half.get(g("half")) or next((k for w, k in t.half.items() if w.startswith(g("half"))), None)
        if key is None:
            raise ValueError(f"no half-year word begins with {g('half')!r}")  # a user's rule: no date
        first, last = _HALF[key]
        return _months(f"{year}-{key}", year, first, last, "half")
    if g("quarter") or g("first_quarter"):
        q = 1 if g("first_quarter") else _int(g("quarter"))
        if g("quarter_end"):
            return _months(f"{year}-{3 * q:02d}", year, 3 * q, 3 * q, "month")  # 一季度末: the point, as 年底 is
        return _months(f"{year}-Q{q}", year, 3 * q - 2, 3 * q, "quarter")
    if g("months_upto"):
        n = _int(g("months_upto"))
        return _months(f"{year}-01/{year}-{n:02d}", year, 1, n, "span")
    if g("quarters_upto"):
        n = _int(g("quarters_upto"))
        return _months(f"{year}-Q1/{year}-Q{n}", year, 1, 3 * n, "span")
    if day is not None:
        d = dt.date(year, month, day)
        return Period(d.isoformat(), d, d, year, month, "day")
    if month is not None and (third := _third(ctx, g("month_part"), year, month)) is not None:
        return third
    if month is not None:
        return _months(f"{year}-{month:02d}", year, month, month, "month")
    return _whole_year(year)


def _third(ctx: Context, word: str | None, year: int, month: int) -> Period | None:
    """上旬, 中旬, 下旬: the days the month_part lexicon gives (1-10, 11-20, 21-);
    None for the other month parts (初, 底), which stand for the month."""
    part = ctx.vocab.date.month_part.get(word or "", "")
    if "-" not in part:
        return None
    first, _, last = part.partition("-")
    start = dt.date(year, month, int(first))
    end = dt.date(year, month, int(last) if last else calendar.monthrange(year, month)[1])
    return Period(f"{start.isoformat()}/{end.isoformat()}", start, end, year, month, "span")


def _months(as_of: str, year: int, first: int, last: int, kind: str) -> Period:
    start = dt.date(year, first, 1)
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(as_of, start, end, year, first if first == last else None, kind)


def _whole_year(year: int) -> Period:
    return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), year, None, "year")


def _span(a: Period, b: Period) -> Period:
    if b.end < a.start:
        raise ValueError(f"a period that ends before it starts: {a.as_of}/{b.as_of}")
    return Period(f"{a.as_of}/{b.as_of}", a.start, b.end, b.year, b.month, "span")


def _relative_month(c: Candidate, ctx: Context) -> Period:
    key = ctx.vocab.date.rel_month[c.group("rel_month")]
    if key in ("same", "next"):
        if ctx.last_year is None or ctx.last_month is None:
            raise Unresolved
        year, month, shift = ctx.last_year, ctx.last_month, int(key == "next")
    else:
        if ctx.published is None:
            raise Unresolved
        year, month, shift = ctx.published.year, ctx.published.month, int(key[1:])
    year, month = divmod(year * 12 + month - 1 + shift, 12)
    if c.group("day"):  # 上个月15号
        return _day(dt.date(year, month + 1, _int(c.group("day"))))
    third = _third(ctx, c.group("month_part"), year, month + 1)  # 本月中旬
    if third is not None:
        return third
    return _months(f"{year}-{month + 1:02d}", year, month + 1, month + 1, "month")


def _relative_quarter(c: Candidate, ctx: Context) -> Period:
    """上一季度, 本季, 下季度: from the quarter just named in the sentence
    (四季度……较上一季度 is the third), else from the publication date's."""
    shift = int(ctx.vocab.date.rel_quarter[c.group("rel_quarter")][1:])
    last = ctx.last_period if ctx.sentence_dates else None
    if last is not None and last.kind == "quarter":
        year, q = last.year, (last.start.month - 1) // 3
    elif ctx.published is not None:
        year, q = ctx.published.year, (ctx.published.month - 1) // 3
    else:
        raise Unresolved
    year, q = divmod(year * 4 + q + shift, 4)
    p = _months(f"{year}-Q{q + 1}", year, 3 * q + 1, 3 * q + 3, "quarter")
    p.relative_base = True
    return p


def _trading_day(c: Candidate, ctx: Context) -> Period:
    """上一交易日, 上日: the weekday before the day just named, else before
    the publication date (a Monday's is the Friday before; holidays are not known)."""
    d = _day_just_named(ctx) - dt.timedelta(days=1)
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    p = _day(d)
    p.relative_base = True
    return p


def _vague(c: Candidate, ctx: Context) -> Period:
    """近日, 日前, 近期 (the days before publication), 晚间, 盘后 (the
    publication day): a window ending at the publication date, as long as the
    dates lexicon says, flagged vague_date."""
    if ctx.published is None:
        raise Unresolved
    end = ctx.published
    start = end - dt.timedelta(days=int(ctx.vocab.date.vague[c.group("vague")]))
    p = _day(end) if start == end else Period(f"{start.isoformat()}/{end.isoformat()}", start, end, end.year,
                                               None, "span")
    p.vague, p.governs = True, False
    return p


def _year_to_date(c: Candidate, ctx: Context) -> Period:
    """年内 (the publication year) and 年初至今 (from its first day to the
    publication date)."""
    if ctx.published is None:
        raise Unresolved
    pub = ctx.published
    if not c.group("year_part"):
        p = _whole_year(pub.year)
        p.governs, p.clause_only = c.group("rank_scope") is None, True
        return p
    start = dt.date(pub.year, 1, 1)
    return Period(f"{start.isoformat()}/{pub.isoformat()}", start, pub, pub.year, None, "span")


def _relative_week(c: Candidate, ctx: Context) -> Period:
    if ctx.published is None:
        raise Unresolved
    shift = int(ctx.vocab.date.rel_week[c.group("rel_week")][1:])
    monday = ctx.published - dt.timedelta(days=ctx.published.weekday()) + dt.timedelta(weeks=shift)
    iso = monday.isocalendar()
    return Period(f"{iso.year}-W{iso.week:02d}", monday, monday + dt.timedelta(days=6),
                  monday.year, monday.month, "week")


def _relative_day(c: Candidate, ctx: Context) -> Period:
    key = ctx.vocab.date.rel_day[c.group("rel_day")]
    if key == "first":
        # 首日: the day of the event just named in this sentence or the one before, else no date
        last = ctx.last_period
        if last is None or last.kind != "day" or ctx.sentence - ctx.last_date_sentence > 1:
            raise NotADate("首日 of no event named with its day")
        return _day(last.start)
    if key in ("same", "next", "prev"):
        base = _day_just_named(ctx)
        d = base + dt.timedelta(days={"same": 0, "next": 1, "prev": -1}[key])
    else:
        if ctx.published is None:
            raise Unresolved
        d = ctx.published + dt.timedelta(days=int(key[1:]))
    return _day(d)


#: How far the day in 今（10）日 may stand from the publication date and still be that day's:
#: a page dated the next morning still says 今（10）日.
NOTED_DAY_WINDOW = dt.timedelta(days=3)


def _same_alone(c: Candidate, ctx: Context) -> Period:
    """同期 opening a clause: the period its own or the previous sentence named
    (自GLM-4.5发布至今……。同期: a span no date fact holds, so unresolved)."""
    last = ctx.last_period
    if last is None or ctx.sentence - ctx.last_date_sentence > 1:
        raise Unresolved
    return replace(last, same_period=False, clause_only=False, governs=True)


def _noted_day(c: Candidate, ctx: Context) -> Period:
    """今（10）日: the day the publication date gives, moved to the day in the
    brackets when the page was dated a day or two off; with no publication
    date, unresolved (the month is unknown)."""
    if ctx.published is None:
        raise Unresolved
    d = ctx.published + dt.timedelta(days=int(ctx.vocab.date.rel_day_noted[c.group("rel_day_noted")][1:]))
    noted = d.replace(day=1) + dt.timedelta(days=int(c.group("day")) - 1)
    return _day(noted if abs(noted - d) <= NOTED_DAY_WINDOW else d)


def _day_just_named(ctx: Context) -> dt.date:
    """The day an event-relative date (次日, 当日, 三天后) counts from: the date
    just named, when it is a day; with no date named yet, the publication date."""
    last = ctx.last_period
    if last is not None:
        if last.kind != "day":
            raise Unresolved  # 2024年……次日: no day to count from
        return last.start
    if ctx.published is None:
        raise Unresolved
    return ctx.published


def _day(d: dt.date) -> Period:
    return Period(d.isoformat(), d, d, d.year, d.month, "day")


def _weekday(c: Candidate, ctx: Context) -> Period:
    """上周五: that weekday of the week relative to `published`; 周五 alone: the
    latest Friday on or before it (past-tense news)."""
    if ctx.published is None:
        raise Unresolved
    t = ctx.vocab.date
    day = int(t.weekday[c.group("weekday")]) - 1  # Monday 0
    pub = ctx.published
    if c.group("week_shift"):
        shift = int(t.week_shift[c.group("week_shift")][1:])
        return _day(pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=shift, days=day))
    return _day(pub - dt.timedelta(days=(pub.weekday() - day) % 7))


def _same_period(c: Candidate, ctx: Context) -> Period:
    """去年同期: the period last named in the sentence, moved by the year offset."""
    p = _same_period_of(c, ctx)
    p.same_period = True
    return p


def _same_period_of(c: Candidate, ctx: Context) -> Period:
    """The period last named in the sentence, or in the few before it (公司一季度
    实现营收……。基本每股收益0.37元,上年同期为0.33元: 2024-Q1), a year back."""
    key = ctx.vocab.date.rel_year[c.group("rel_year")]
    # a period of the sentences before only when it is part of a year (一季度, 前三季度): a
    # year there may itself be the base year (上年同期业绩情况 after 2024年度), and the
    # publication's year is then the safer reading
    last = ctx.last_period
    near = ctx.sentence_dates or (ctx.sentence - ctx.last_date_sentence <= STORY_SENTENCES
                                  and last is not None and last.kind in ("quarter", "half", "month", "span"))
    last = last if near else None
    if last is None or key in ("same", "next"):
        return _whole_year(_year(c, ctx))
    # a second 上年同期 after the first is the same base, not a year further back
    year = last.year + (0 if last.same_period else int(key))
    if last.kind == "span" and last.start.year == last.end.year == last.year:
        # 今年首6个月 (2025-01/2025-06): the same months a year back
        return _months(last.as_of.replace(str(last.year), str(year)), year, last.start.month, last.end.month, "span")
    if last.kind == "half":
        half = last.as_of[-2:]
        first, end = _HALF[half]
        return _months(f"{year}-{half}", year, first, end, "half")
    if last.kind == "quarter":
        q = int(last.as_of[-1])
        return _months(f"{year}-Q{q}", year, 3 * q - 2, 3 * q, "quarter")
    if last.kind == "month":
        return _months(f"{year}-{last.start.month:02d}", year, last.start.month, last.start.month, "month")
    return _whole_year(year)


def _offset(c: Candidate, ctx: Context) -> Period:
    """N年前 / N年后 count from the previous date in the text (the narrative's
    time: 2002年……四年后 is 2006), else from `published`; N天后 and N周前 from
    the day just named, else from `published`."""
    n = _int(c.group("offset"))
    t = ctx.vocab.date
    sign = -1 if t.offset_dir[c.group("offset_dir")] == "before" else 1
    unit = t.offset_unit[c.group("offset_unit")]
    if unit in ("day", "week"):
        return _day(_day_just_named(ctx) + dt.timedelta(days=sign * n * (7 if unit == "week" else 1)))
    if ctx.last_year is not None:
        year, month = ctx.last_year, ctx.last_month
    elif ctx.published:
        year, month = ctx.published.year, ctx.published.month
    else:
        raise Unresolved
    if unit == "year":
        return _whole_year(year + sign * n)
    if month is None:
        raise Unresolved
    year, month = divmod(year * 12 + month - 1 + sign * n, 12)
    return _months(f"{year}-{month + 1:02d}", year, month + 1, month + 1, "month")


#: Dates counted from another date, in order: the group a rule sets, and the
#: resolver of that kind of date (ytd matches an empty string: 年初至今).
_RELATIVE = (
    ("offset", _offset), ("rel_month", _relative_month), ("rel_week", _relative_week),
    ("same_alone", _same_alone), ("rel_day_noted", _noted_day), ("rel_day", _relative_day), ("rel_quarter", _relative_quarter), ("rel_trading_day", _trading_day),
    ("vague", _vague), ("ytd", _year_to_date), ("weekday", _weekday), ("same_period", _same_period),
)


KIND = Kind(
    name="date",
    normalize=normalize_date,
    required=(("year", "year2d", "year2dh", "decade_han", "report", "holiday", "month", "day", "rel_year", "rel_month", "rel_week", "rel_day", "weekday", "quarter",
               "quarters_upto", "months_upto", "half", "year_part", "full", "offset", "month_part", "year3d",
               "rel_quarter", "rel_trading_day", "vague", "ytd", "rel_day_noted", "same_alone"),),
    groups=frozenset({"year", "year2", "year2d", "month", "month2", "day", "day2", "decade", "week",
                      "rel_year", "rel_month", "rel_week", "rel_day", "weekday", "week_shift", "century", "decade_han",
                      "century_n", "year2dh", "fiscal", "report", "holiday", "months_upto", "same_period", "quarter", "quarter_end", "first_quarter", "quarters_upto", "half",
                      "year_part", "full", "offset", "offset_unit", "offset_dir",
                      "year3d", "era", "rel_quarter", "rel_trading_day", "vague", "ytd", "decade_part",
                      "rank_scope", "estimate", "rel_day_noted", "same_alone",
                      # Read by no code: 月初/中旬/月底 resolve to their month, and a
                      # separator group lets a pattern require the same one twice.
                      "month_part", "sep"}),
    remember=remember,
    measured=False,
    words=(WORDS,),
    governs_periods=True,
)
