"""Percentages: %, ‰, 百分之/千分之, N成, N折, ranges, and 个百分点 (percentage points)."""

from __future__ import annotations

from decimal import Decimal

from ..fact import Candidate, Resolved
from .context import DocContext
from .numbers import NumberError, parse_number
from .qualify import bounds, qualifier_of


def normalize_percent(c: Candidate, ctx: DocContext) -> Resolved | None:
    try:
        value = parse_number(c.group("num"))
        second = parse_number(c.group("num2")) if c.group("num2") else None
    except NumberError:
        return None
    scale = Decimal(1)
    if c.group("base") == "千分之" or c.group("pct") == "‰":
        scale = Decimal("0.1")
    elif c.group("cheng"):
        scale = Decimal(10)
    elif c.group("zhe"):
        # 五折 = 50, 七五折 = 75, 8.5折 = 85: tenths, two Chinese digits are tenths and hundredths
        digits = c.group("num")
        scale = Decimal(1) if (len(digits) == 2 and "." not in digits) else Decimal(10)
    value *= scale
    if c.group("half"):
        value += Decimal(5)
    if c.group("sign") in ("-", "负"):
        value = -value
    unit = "percentage_point" if c.group("point") else "percent"
    if second is not None:
        low, high = sorted((value, second * scale))
        return Resolved("percent", None, low, high, "range", unit)
    qualifier = qualifier_of(c, ctx.tables)
    low, high = bounds(value, qualifier)
    return Resolved("percent", value, low, high, qualifier, unit)
