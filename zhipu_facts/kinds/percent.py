"""Percentages: %, ‰, 百分之/千分之, N成, N折, ranges, and 个百分点 (percentage points)."""

from __future__ import annotations

from decimal import Decimal

from ..fact import Candidate, Value
from . import Kind
from .context import Context
from .numbers import NumberError, parse_number
from .qualify import bounds, qualifier_of


def normalize_percent(c: Candidate, ctx: Context) -> Value | None:
    t = ctx.vocab
    try:
        value = parse_number(c.group("num"))
        second = parse_number(c.group("num2")) if c.group("num2") else None
    except NumberError:
        return None
    # 千分之5 and 5‰ are tenths of a percent (grammar lexicon: percent_base)
    scale = Decimal(t.percent_base.get(c.group("base") or c.group("pct") or "", "1"))
    if c.group("cheng"):
        scale = Decimal(10)
    elif c.group("zhe"):
        # 五折 = 50, 七五折 = 75, 8.5折 = 85: tenths, two Chinese digits are tenths and hundredths
        digits = c.group("num")
        scale = Decimal(1) if (len(digits) == 2 and "." not in digits) else Decimal(10)
    value *= scale
    if c.group("half"):
        value += Decimal(5)
    if t.sign.get(c.group("sign") or "") == "negative":
        value = -value
    unit = "percentage_point" if c.group("point") else "percent"
    if second is not None:
        low, high = sorted((value, second * scale))
        return Value("percent", None, low, high, "range", unit)
    qualifier = qualifier_of(c, t)
    low, high = bounds(value, qualifier)
    return Value("percent", value, low, high, qualifier, unit)


KIND = Kind(
    name="percent",
    normalize=normalize_percent,
    required=(("num",),),
    groups=frozenset({"num", "num2", "sign", "pct", "base", "cheng", "zhe", "half", "point"}),
)
