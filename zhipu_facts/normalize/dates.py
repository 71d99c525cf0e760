"""Dates and periods, resolved against the publication date or the text before.

Absolute dates stand alone. Relative ones (今年, 上个月) need `published`;
anaphoric ones (同年6月, a bare 3月 or 17日) take the year and month of the
previous date in the text, else of `published`. With nothing to resolve
against, the fact keeps as_of null and the flag unresolved_date.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..model import Candidate, Resolved
from ..numbers import NumberError, parse_number
from .context import DocContext

_HALF = {"H1": (1, 6), "H2": (7, 12)}


def normalize_date(c: Candidate, ctx: DocContext) -> Resolved | None:
    try:
        r = _resolve(c, ctx)
    except (NumberError, ValueError):
        return None
    return r


def _int(s: str | None) -> int | None:
    return None if s is None else int(parse_number(s))


def _resolve(c: Candidate, ctx: DocContext) -> Resolved | None:
    t = ctx.tables
    pub = ctx.published
    month = _int(c.group("month"))
    day = _int(c.group("day"))
    year: int | None = None

    if c.group("year"):
        year = _int(c.group("year"))
    elif c.group("rel_year"):
        key = t.rel_year[c.group("rel_year")]
        if key in ("same", "next"):
            base = ctx.last_year if ctx.last_year is not None else (pub.year if pub else None)
            year = None if base is None else base + (key == "next")
        elif pub:
            year = pub.year + int(key)
    elif c.group("offset"):
        return _offset(c, ctx)
    elif c.group("rel_month"):
        return _relative_month(c, ctx)
    else:
        # Month, day, quarter or half without a year: from the text before, else published.
        if ctx.last_year is not None:
            year = ctx.last_year
            if month is None and day is not None:
                month = ctx.last_month
        elif pub:
            year = pub.year
            if month is None and day is not None:
                month = pub.month
        if day is not None and month is None:
            year = None

    if year is None:
        return Resolved("date", qualifier="exact", flags={"unresolved_date"})

    part = c.group("year_part")
    if part:
        month = 1 if t.year_part[part] == "first_month" else 12
    half = c.group("half")
    quarter = c.group("quarter")
    upto = c.group("quarters_upto")
    if half:
        first, last = _HALF[t.half[half]]
        r = _period(f"{year}-{t.half[half]}", year, first, year, last)
    elif quarter:
        q = _int(quarter)
        r = _period(f"{year}-Q{q}", year, 3 * q - 2, year, 3 * q)
    elif upto:
        n = _int(upto)
        r = _period(f"{year}-Q1/{year}-Q{n}", year, 1, year, 3 * n)
    elif day is not None:
        d = dt.date(year, month, day)
        r = Resolved("date", as_of=d.isoformat(), date_start=d, date_end=d)
    elif month is not None:
        r = _period(f"{year}-{month:02d}", year, month, year, month)
    else:
        r = _period(f"{year}", year, 1, year, 12)
    _remember(ctx, year, month)
    return r


def _period(as_of: str, y1: int, m1: int, y2: int, m2: int) -> Resolved:
    start = dt.date(y1, m1, 1)
    end = dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
    return Resolved("date", as_of=as_of, date_start=start, date_end=end)


def _remember(ctx: DocContext, year: int, month: int | None) -> None:
    ctx.last_year, ctx.last_month = year, month
    ctx.sentence_dates.append((year, month))


def _relative_month(c: Candidate, ctx: DocContext) -> Resolved:
    key = ctx.tables.rel_month[c.group("rel_month")]
    if ctx.published is None:
        return Resolved("date", flags={"unresolved_date"})
    shift = int(key[1:])
    total = ctx.published.year * 12 + ctx.published.month - 1 + shift
    year, month = divmod(total, 12)
    month += 1
    _remember(ctx, year, month)
    return _period(f"{year}-{month:02d}", year, month, year, month)


def _offset(c: Candidate, ctx: DocContext) -> Resolved:
    """N年前 / N年后 count from the previous date in the text (the narrative's
    time: 2002年……四年后 is 2006), else from `published`."""
    n = _int(c.group("offset"))
    if ctx.last_year is not None:
        year, month = ctx.last_year, ctx.last_month
    elif ctx.published:
        year, month = ctx.published.year, ctx.published.month
    else:
        return Resolved("date", flags={"unresolved_date"})
    sign = -1 if c.group("offset_dir").endswith("前") else 1
    if c.group("offset_unit") == "年":
        year += sign * n
        _remember(ctx, year, None)
        return _period(f"{year}", year, 1, year, 12)
    if month is None:
        return Resolved("date", flags={"unresolved_date"})
    total = year * 12 + month - 1 + sign * n
    year, month = divmod(total, 12)
    month += 1
    _remember(ctx, year, month)
    return _period(f"{year}-{month:02d}", year, month, year, month)
