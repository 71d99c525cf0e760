"""Money: exact amounts, ranges, vague magnitudes, unit prices, implied currency."""

from __future__ import annotations

from decimal import Decimal

from ..engine.vocabulary import Vocabulary
from ..fact import Candidate, Value
from . import Kind
from .context import Context
from .numbers import BIG_MAGNITUDES, DIGITS, MAGNITUDE_CHARS, NumberError, numeral_range, parse_number
from .qualify import bounds, change_of, is_negative, negate, qualifier_of


def normalize_money(c: Candidate, ctx: Context) -> Value | None:
    t = ctx.vocab
    try:
        if c.group("amount2"):
            r = _range(c)
        elif c.group("vague"):
            r = _vague(c, t)
        elif c.group("level"):
            r = _level(c)
        else:
            r = _amount(c, t)
    except NumberError:
        return None
    if r is None:
        return None

    currency, factor = _currency(c, t)
    if currency is not None and not c.group("cur_pre") and (c.group("sub") or c.group("cur")) in t.local_unit:
        # bare 元 is the local unit: TWD in Taiwan news (ingest/locale.py)
        if ctx.local_currency != currency:
            currency = ctx.local_currency
            r.flags.add("implied_currency")
    if currency is None:
        currency = _implied_currency(c, ctx)
        if currency is None:
            return None
        r.flags.add("implied_currency")
    if factor != 1:
        r.value, r.low, r.high = (None if x is None else x * factor for x in (r.value, r.low, r.high))
    r.unit = currency
    r.per = _per(c, t)
    direction, basis = change_of(c, ctx)
    if direction or basis:
        r.change, r.basis = "absolute", basis  # 营收减少2亿元: an amount of change
    if direction == "down" or is_negative(c, t):  # 同比下滑-15% restates the fall
        negate(r)
    return r


def remember(ctx: Context, v: Value) -> None:
    """A bare amount later in the sentence takes this amount's currency."""
    ctx.sentence_currency = v.unit


def _amount(c: Candidate, t: Vocabulary) -> Value:
    approx = numeral_range(c.group("amount") or "")
    if approx is not None:
        # 七八亿元: 7亿 to 8亿, a range the words only suggest
        return Value("money", None, *approx, "range", flags={"vague_magnitude"})
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
    qualifier = qualifier_of(c, t)
    low, high = bounds(value, qualifier)
    return Value("money", value, low, high, qualifier)


def _range(c: Candidate) -> Value:
    first, second = c.group("amount"), c.group("amount2")
    low, high = parse_number(first), parse_number(second)
    if not set(first) & BIG_MAGNITUDES:
        # 10至15亿元, 二十至三十万元, 八到九百亿: the magnitude written once, on
        # the second number, applies to both when that keeps them in order
        # (not in 从6000到2万元, where 6000万 would exceed 2万).
        mag = _shared_magnitude(first, second)
        if mag is not None and low * mag <= high:
            low *= mag
    if low > high:
        low, high = high, low
    return Value("money", None, low, high, "range")


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


def _vague(c: Candidate, t: Vocabulary) -> Value:
    base = parse_number(c.group("mag")) if c.group("mag") else Decimal(1)  # 十几块钱: ones
    if c.group("tens"):
        # 十几万: 11万 to 19万; 二十几亿: 21亿 to 29亿
        tens = parse_number(c.group("tens"))
        return Value("money", None, (tens + 1) * base, (tens + 9) * base, "range", flags={"vague_magnitude"})
    if t.vague[c.group("vague")] == "range":
        # 数亿, 几千万: some multiple of the magnitude, below the next power of ten
        return Value("money", None, base, base * 10, "range", flags={"vague_magnitude"})
    # 上亿, 破亿, 过亿, 超亿: more than the magnitude
    return Value("money", base, base, None, "over")


def _level(c: Candidate) -> Value:
    base = parse_number(c.group("mag"))
    return Value("money", None, base, base * 10, "range", flags={"vague_magnitude"})


def _currency(c: Candidate, t: Vocabulary) -> tuple[str | None, Decimal]:
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


def _implied_currency(c: Candidate, ctx: Context) -> str | None:
    """Currency of a bare amount from its sentence, per the rule's option."""
    how = c.rule.options.get("implied_currency")
    if how == "previous":
        return ctx.sentence_currency
    if how == "cue" and c.group("cue"):
        return ctx.sentence_currency or c.rule.options.get("default_currency") or ctx.local_currency
    return None


def _per(c: Candidate, t: Vocabulary) -> str | None:
    unit_word = c.group("per_unit")
    if not unit_word:
        return None
    unit = t.per_unit.get(unit_word, unit_word)
    amount = c.group("per_amount")
    count = parse_number(amount) if amount else Decimal(1)
    return f"{count.normalize():f} {unit}"


KIND = Kind(
    name="money",
    normalize=normalize_money,
    required=(("amount", "num", "mag"),),
    groups=frozenset({"amount", "amount2", "num", "mag", "mag_en", "cur", "cur_pre", "sub", "vague", "level",
                      "per_amount", "per_unit", "cue", "sign", "tens",
                      "jiao", "fen"}),
    remember=remember,
)
