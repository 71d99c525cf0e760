"""Unit algebra with pint: currencies as separate dimensions, Chinese magnitudes.

Each ISO currency is its own base dimension, so adding CNY to USD is an
error rather than a silent sum. pint is used to build a conversion factor
once per distinct display unit (`--money-unit 亿元` -> 1e8 CNY); the per-fact
work is then plain arithmetic, since pint costs tens of microseconds per
conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from ..engine.rules import RuleSet

if TYPE_CHECKING:
    import pint

# Magnitude words of a display unit, as pint unit names.
_MAGNITUDES = {
    "万亿": "wanyi", "千亿": "qianyi", "百亿": "baiyi", "十亿": "shiyi", "亿": "yi",
    "千万": "qianwan", "百万": "baiwan", "十万": "shiwan", "万": "wan", "千": "qian",
    "billion": "billion", "million": "million", "thousand": "thousand",
}
_DEFINITIONS = [
    "wan = 1e4", "shiwan = 1e5", "baiwan = 1e6", "qianwan = 1e7", "yi = 1e8",
    "shiyi = 1e9", "baiyi = 1e10", "qianyi = 1e11", "wanyi = 1e12", "qian = 1e3",
    "thousand = 1e3", "million = 1e6", "billion = 1e9",
]


@lru_cache(maxsize=None)
def registry(codes: tuple[str, ...]) -> pint.UnitRegistry:
    """A registry where each currency code is a base dimension of its own."""
    import pint  # only --money-unit needs it; importing it costs a tenth of a second

    ureg = pint.UnitRegistry(non_int_type=Decimal)
    for line in _DEFINITIONS:
        ureg.define(line)
    for code in codes:
        ureg.define(f"{code} = [currency_{code}]")
    return ureg


def currency_codes(rules: RuleSet) -> tuple[str, ...]:
    return tuple(sorted(str(e["key"]) for e in rules.lexicons["currencies"].entries))


@dataclass(frozen=True)
class DisplayUnit:
    label: str  # as the user wrote it: 亿元, USD, 万美元
    currency: str  # ISO code
    factor: Decimal  # how many currency units one display unit is


class UnitError(ValueError):
    pass


def parse_display_unit(label: str, rules: RuleSet) -> DisplayUnit:
    """Read `亿元`, `万美元`, `USD`, `million USD` into a currency and a factor."""
    codes = currency_codes(rules)
    cur = rules.lexicons["currencies"]
    words = {**cur.lookup("names"), **cur.lookup("prefixes"), **{c: c for c in codes}}
    text = label.strip()
    mags = sorted(_MAGNITUDES, key=len, reverse=True)
    m = regex.fullmatch(r"(?P<mag>" + "|".join(map(regex.escape, mags)) + r")?\s*(?P<cur>.+?)", text)
    code = words.get(m["cur"]) if m else None
    if code is None:
        raise UnitError(f"unknown money unit {label!r}: write a currency (元, 美元, USD ...) "
                        f"with an optional magnitude (万, 亿, million ...)")
    ureg = registry(codes)
    unit = f"{_MAGNITUDES[m['mag']]} * {code}" if m["mag"] else code
    factor = ureg.Quantity(Decimal(1), unit).to(code).magnitude
    return DisplayUnit(label, code, Decimal(factor))


def to_display(f, unit: DisplayUnit, table) -> Decimal | None:
    """The fact's value in the display unit: directly in its own currency,
    else through CNY at the fact's own rate date."""
    r = f.resolved
    if f.kind != "money" or r.value is None or r.unit is None:
        return None
    if r.unit == unit.currency:
        return r.value / unit.factor
    if f.value_cny is None:
        return None
    if unit.currency == "CNY":
        return f.value_cny / unit.factor
    day = f.fx_date or r.date_end or f.published
    rate = table.rate(unit.currency, day) if day else None
    if rate is None:
        return None
    return f.value_cny / rate.cny_per_unit / unit.factor
