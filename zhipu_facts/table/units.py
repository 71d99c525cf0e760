"""Unit algebra with pint: currencies as separate dimensions, Chinese magnitudes.

Each ISO currency is its own base dimension, so adding CNY to USD is an
error rather than a silent sum. pint is used to build a conversion factor
once per distinct display unit (`--money-unit 亿元` -> 1e8 CNY); the per-fact
work is then plain arithmetic, since pint costs tens of microseconds per
conversion.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from ..engine.rules import RuleSet
from ..core.numbers import MAGNITUDE_CHARS, parse_number
from ..kinds import KINDS

if TYPE_CHECKING:
    import pint

@lru_cache(maxsize=None)
def registry(codes: tuple[str, ...]) -> pint.UnitRegistry:
    """A registry where each currency code is a base dimension of its own."""
    import pint  # only --money-unit needs it; importing it costs a tenth of a second

    ureg = pint.UnitRegistry(non_int_type=Decimal)
    for code in codes:
        ureg.define(f"{code} = [currency_{code}]")
    return ureg


def currency_codes(rules: RuleSet) -> tuple[str, ...]:
    return rules.vocab.money.currency_codes


@dataclass(frozen=True)
class DisplayUnit:
    label: str  # as the user wrote it: 亿元, USD, 万美元
    currency: str  # ISO code
    factor: Decimal  # how many currency units one display unit is


class UnitError(ValueError):
    pass


def parse_display_unit(label: str, rules: RuleSet) -> DisplayUnit:
    """Read `亿元`, `万美元`, `USD`, `million USD` into a currency and a factor.

    The magnitude is read like any number (core/numbers.py: 亿, 千万, 万亿) or
    is an English word of the magnitudes lexicon (million, billion).
    """
    v = rules.vocab.money
    codes = currency_codes(rules)
    words = {**v.currency_name, **v.currency_prefix, **{c: c for c in codes}}
    text = label.strip()
    factor, rest = _magnitude(text, rules.vocab.amounts.mag_en)
    code = words.get(text) or words.get(rest)
    if code is None:
        raise UnitError(f"unknown money unit {label!r}: write a currency (元, 美元, USD ...) "
                        f"with an optional magnitude (万, 亿, million ...)")
    if code == words.get(text):
        factor = Decimal(1)  # KRW is a currency, not K + RW
    ureg = registry(codes)
    return DisplayUnit(label, code, Decimal(ureg.Quantity(factor, code).to(code).magnitude))


def _magnitude(text: str, english: dict[str, str]) -> tuple[Decimal, str]:
    """The factor a label starts with, and the rest of the label."""
    i = 0
    while i < len(text) and text[i] in MAGNITUDE_CHARS:
        i += 1
    if i:
        return parse_number(text[:i]), text[i:].strip()
    head, _, rest = text.partition(" ")
    if head in english:
        return Decimal(english[head]), rest.strip()
    return Decimal(1), text


#: Significant digits of a value converted at an exchange rate: the rates have five or six, so
#: more would be noise (90454155486.39774); eight keep every digit the rate can vouch for.
CONVERTED_DIGITS = decimal.Context(prec=8)


def to_display(f, unit: DisplayUnit, table) -> Decimal | None:
    """The fact's value in the display unit: directly in its own currency (exactly),
    else through CNY at the fact's own rate date (to CONVERTED_DIGITS)."""
    r = f
    if not KINDS[f.kind].monetary or r.value is None or r.unit is None:
        return None
    if r.unit == unit.currency:
        return r.value / unit.factor
    if f.value_cny is None:
        return None
    if unit.currency == "CNY":
        return CONVERTED_DIGITS.create_decimal(Decimal(f.value_cny) / unit.factor)
    day = f.fx_date or r.date_end or f.published
    rate = table.rate(unit.currency, day) if day else None
    if rate is None:
        return None
    return CONVERTED_DIGITS.create_decimal(Decimal(f.value_cny) / Decimal(rate.cny_per_unit) / unit.factor)
