"""Money: exact amounts, ranges, vague magnitudes, unit prices, implied currency."""

from __future__ import annotations

from decimal import Decimal

from ..fact import Candidate, Resolved
from .context import DocContext, Tables
from .numbers import NumberError, parse_number
from .qualify import bounds, qualifier_of

_MAGNITUDE_CHARS = set("十百千万亿")


def normalize_money(c: Candidate, ctx: DocContext) -> Resolved | None:
    t = ctx.tables
    try:
        if c.group("amount2"):
            r = _range(c)
        elif c.group("vague"):
            r = _vague(c)
        elif c.group("level"):
            r = _level(c)
        else:
            r = _amount(c, t)
    except NumberError:
        return None
    if r is None:
        return None

    currency, factor = _currency(c, t)
    if currency is None:
        currency = _implied_currency(c, ctx)
        if currency is None:
            return None
        r.flags.add("implied_currency")
    if factor != 1:
        r.value, r.low, r.high = (None if x is None else x * factor for x in (r.value, r.low, r.high))
    r.unit = currency
    r.per = _per(c, t)
    ctx.sentence_currency = currency
    return r


def _amount(c: Candidate, t: Tables) -> Resolved:
    if c.group("amount"):
        value = parse_number(c.group("amount"))
    else:
        value = parse_number(c.group("num") + c.group("mag"))
    mag_en = c.group("mag_en")
    if mag_en:
        value *= Decimal(t.mag_en[mag_en])
    qualifier = qualifier_of(c, t)
    low, high = bounds(value, qualifier)
    return Resolved("money", value, low, high, qualifier)


def _range(c: Candidate) -> Resolved:
    first, second = c.group("amount"), c.group("amount2")
    low, high = parse_number(first), parse_number(second)
    if not (set(first) & _MAGNITUDE_CHARS):
        # 10-15亿元: the magnitude written once applies to both numbers.
        mag = _trailing_magnitude(second)
        if mag:
            low *= parse_number(mag)
    if low > high:
        low, high = high, low
    return Resolved("money", None, low, high, "range")


def _trailing_magnitude(s: str) -> str:
    i = len(s)
    while i > 0 and s[i - 1] in _MAGNITUDE_CHARS:
        i -= 1
    return s[i:]


def _vague(c: Candidate) -> Resolved:
    base = parse_number(c.group("mag"))
    word = c.group("vague")
    if word in ("数", "几"):
        return Resolved("money", None, base, base * 10, "range", flags={"vague_magnitude"})
    # 上亿, 破亿, 过亿, 超亿: more than the magnitude
    return Resolved("money", base, base, None, "over")


def _level(c: Candidate) -> Resolved:
    base = parse_number(c.group("mag"))
    return Resolved("money", None, base, base * 10, "range", flags={"vague_magnitude"})


def _currency(c: Candidate, t: Tables) -> tuple[str | None, Decimal]:
    sub = c.group("sub")
    if sub:
        return t.currency_sub[sub], Decimal(t.sub_factor.get(sub, "1"))
    pre = c.group("cur_pre")
    if pre:
        return t.currency_prefix[pre], Decimal(1)
    name = c.group("cur")
    if name:
        return t.currency_name[name], Decimal(1)
    return None, Decimal(1)


def _implied_currency(c: Candidate, ctx: DocContext) -> str | None:
    """Currency of a bare amount from its sentence, per the rule's option."""
    how = c.rule.options.get("implied_currency")
    if how == "previous":
        return ctx.sentence_currency
    if how == "cue" and c.group("cue"):
        return ctx.sentence_currency or c.rule.options.get("default_currency", "CNY")
    return None


def _per(c: Candidate, t: Tables) -> str | None:
    unit_word = c.group("per_unit")
    if not unit_word:
        return None
    unit = t.per_unit.get(unit_word, unit_word)
    amount = c.group("per_amount")
    count = parse_number(amount) if amount else Decimal(1)
    return f"{count.normalize():f} {unit}"
