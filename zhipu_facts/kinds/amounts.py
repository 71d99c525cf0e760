"""The value of an amount, for every kind that counts in magnitudes (money,
quantities): exact numbers, ranges, vague magnitudes, approximate numerals.

The kind's normalizer adds what is its own (a currency, a unit) and the
change words before it (qualify.apply_change).
"""

from __future__ import annotations

from decimal import Decimal

from ..vocabulary import Lexicons, Vocabulary, Words
from ..fact import Candidate, Value
from ..core.numbers import (
    BIG_MAGNITUDES,
    DIGITS,
    MAGNITUDE_CHARS,
    NumberError,
    numeral_range,
    parse_number,
)
from .qualify import QualifyWords, bounds, qualifier_of


class AmountWords:
    """English magnitudes (million, bn), the words of a sign and of a vague magnitude (数亿, 上亿)."""

    def __init__(self, lex: Lexicons):
        self.mag_en = lex["magnitudes"].lookup("words")
        grammar = lex["grammar"]
        self.sign = grammar.lookup("sign")
        self.vague = grammar.lookup("vague")


WORDS = Words("amounts", {"magnitudes": ("words",), "grammar": ("sign", "vague")}, AmountWords)


def amount_value(c: Candidate, vocab: Vocabulary, kind: str) -> Value | None:
    """The value the groups amount/num+mag, amount2, vague or level give;
    None when they are not a number after all. The kind reads WORDS and
    qualify.WORDS (its `Kind.words` says so)."""
    t = vocab.amounts
    try:
        if c.group("amount2"):
            return _range(c, t, kind)
        if c.group("vague"):
            return _vague(c, t, kind)
        if c.group("level"):
            return _level(c, kind)
        return _amount(c, t, vocab.qualify, kind)
    except NumberError:
        return None


def _amount(c: Candidate, t: AmountWords, q: QualifyWords, kind: str) -> Value:
    approx = numeral_range(c.group("amount") or "")
    if approx is not None:
        # 七八亿元: 7亿 to 8亿, a range the words only suggest
        return Value(kind, None, *approx, "range", flags={"vague_magnitude"})
    if c.group("amount"):
        value = parse_number(c.group("amount"))
    else:
        value = parse_number(c.group("num") + c.group("mag"))
    mag_en = c.group("mag_en")
    if mag_en:
        value *= Decimal(t.mag_en[mag_en])
    for part, scale in (("jiao", "0.1"), ("fen", "0.01")):
        if c.group(part):
            value += parse_number(c.group(part)) * Decimal(scale)  # 6元1角5分 = 6.15
    qualifier = qualifier_of(c, q)
    low, high = bounds(value, qualifier)
    return Value(kind, value, low, high, qualifier)


def _range(c: Candidate, t: AmountWords, kind: str) -> Value:
    first, second = c.group("amount"), c.group("amount2")
    low, high = parse_number(first), parse_number(second)
    if c.group("sign") or c.group("sign2"):
        # -1.2亿元至-0.8亿元: each end carries its own sign
        low = -low if t.sign.get(c.group("sign") or "") == "negative" else low
        high = -high if t.sign.get(c.group("sign2") or "") == "negative" else high
        return Value(kind, None, min(low, high), max(low, high), "range")
    if not set(first) & BIG_MAGNITUDES:
        # 10至15亿元, 二十至三十万元, 八到九百亿: the magnitude written once, on
        # the second number, applies to both when that keeps them in order
        # (not in 从6000到2万元, where 6000万 would exceed 2万).
        mag = _shared_magnitude(first, second)
        if mag is not None and low * mag <= high:
            low *= mag
    if low > high:
        low, high = high, low
    return Value(kind, None, low, high, "range")


def _shared_magnitude(first: str, second: str) -> Decimal | None:
    """The magnitude the second number of a range ends with: what follows its
    Arabic digits (3百 -> 百, 5千万 -> 千万); for a Chinese numeral, its trailing
    万/亿 (三十万 -> 万), or all its units when both ends are one digit
    (八到九百亿 -> 百亿)."""
    digits = len(second) - len(second.lstrip("0123456789.,"))
    if digits:
        suffix = second[digits:]
    elif len(first) == 1 and len(second) >= 2 and second[0] in DIGITS:
        suffix = second[1:]
    else:
        suffix = second[len(second.rstrip("".join(BIG_MAGNITUDES))):]
    if not suffix or not set(suffix) <= MAGNITUDE_CHARS:
        return None
    return parse_number(suffix)


def _vague(c: Candidate, t: AmountWords, kind: str) -> Value:
    base = parse_number(c.group("mag")) if c.group("mag") else Decimal(1)  # 十几块钱: ones
    if c.group("tens"):
        # 十几万: 11万 to 19万; 二十几亿: 21亿 to 29亿
        tens = parse_number(c.group("tens"))
        return Value(kind, None, (tens + 1) * base, (tens + 9) * base, "range", flags={"vague_magnitude"})
    how = t.vague[c.group("vague")]
    if how == "range":
        # 数亿, 几千万: some multiple of the magnitude, below the next power of ten
        return Value(kind, None, base, base * 10, "range", flags={"vague_magnitude"})
    if how == "approx":
        # 近亿, 将近千万: about the magnitude
        return Value(kind, base, None, None, "approx")
    # 上亿, 破亿, 过亿, 超亿: more than the magnitude
    return Value(kind, base, base, None, "over")


def _level(c: Candidate, kind: str) -> Value:
    base = parse_number(c.group("mag"))
    return Value(kind, None, base, base * 10, "range", flags={"vague_magnitude"})
