"""Percentages: %, ‰, 百分之/千分之, N成, N折, ranges, and 个百分点 (percentage points)."""

from __future__ import annotations

from decimal import Decimal

from ..fact import Candidate, Value
from . import Kind
from .context import Context
from .numbers import NumberError, parse_number
from .qualify import bounds, change_of, is_negative, negate, qualifier_of


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
    unit = "percentage_point" if c.group("point") else "percent"
    if second is not None:
        low, high = sorted((value, second * scale))
        v = Value("percent", None, low, high, "range", unit)
    else:
        qualifier = qualifier_of(c, t)
        low, high = bounds(value, qualifier)
        v = Value("percent", value, low, high, qualifier, unit)
    direction, basis = change_of(c, t)
    if direction or basis:
        # 同比增长18.3% is a relative change; 下降2.1个百分点 a change in a rate
        v.change, v.basis = ("points" if unit == "percentage_point" else "relative"), basis
    if direction == "down" or is_negative(c, t):  # 同比下滑-15% restates the fall
        negate(v)
    return v


KIND = Kind(
    name="percent",
    normalize=normalize_percent,
    required=(("num",),),
    groups=frozenset({"num", "num2", "sign", "pct", "base", "cheng", "zhe", "half", "point", "change", "basis"}),
)
