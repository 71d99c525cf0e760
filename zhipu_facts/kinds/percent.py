"""Percentages: %, ‰, 百分之/千分之, N成, N折, ranges, and 个百分点 (percentage points)."""

from __future__ import annotations

from decimal import Decimal

from ..vocabulary import Lexicons, Words
from ..fact import Candidate, Value
from .kind import Kind
from .context import Context
from ..core.numbers import MAGNITUDES, NumberError, numeral_range, parse_number
from .qualify import WORDS as QUALIFY_WORDS, apply_change, bounds, qualifier_of


class PercentWords:
    """Percent words (对折: 50) and the bases of X分之 (千分之: 0.1)."""

    def __init__(self, lex: Lexicons):
        grammar = lex["grammar"]
        self.percent_base = grammar.lookup("percent_base")
        self.percent_word = grammar.lookup("percent_word")
        self.share_word = grammar.lookup("share_word")
        self.fraction_of = tuple(grammar.words("fraction_of"))  # 分之


WORDS = Words("percent", {"grammar": ("percent_base", "percent_word", "share_word", "fraction_of")}, PercentWords)


def normalize_percent(c: Candidate, ctx: Context) -> Value | None:
    t = ctx.vocab.percent
    if c.group("word"):
        value = Decimal(t.percent_word[c.group("word")])  # 打对折: 50
        return Value("percent", value, value, value, "exact", "percent")
    if c.group("share"):
        return _qualified(Decimal(t.share_word[c.group("share")]), c, ctx)  # 过半数: over 50
    if c.group("den"):
        # 三分之二: two thirds, to four decimals (66.6667)
        try:
            value = parse_number(c.group("num")) * 100 / parse_number(c.group("den"))
        except (NumberError, ArithmeticError):
            return None
        value = value.quantize(Decimal("0.0001"))
        return _qualified(value.to_integral() if value == value.to_integral() else value.normalize(), c, ctx)
    approx = numeral_range(c.group("num"))
    try:
        if approx is not None:
            value, second = approx  # 两三个百分点: 2 to 3 points, not 23
        else:
            value = parse_number(c.group("num"))
            second = parse_number(c.group("num2")) if c.group("num2") else None
    except NumberError:
        return None
    scale = _scale(c.group("base"), c.group("pct"), t)
    if c.group("bp"):
        scale = Decimal("0.01")  # a basis point is a hundredth of a percentage point
    elif c.group("cheng"):
        scale = Decimal(10)
    elif c.group("zhe"):
        # 五折 = 50, 七五折 = 75, 8.5折 = 85: tenths, two Chinese digits are tenths and hundredths
        digits = c.group("num")
        scale = Decimal(1) if (len(digits) == 2 and "." not in digits) else Decimal(10)
    value *= scale
    if c.group("half"):
        value += Decimal(5)
    unit = "percentage_point" if (c.group("point") or c.group("bp")) else "percent"
    if second is not None:
        low, high = sorted((value, second * scale))
        v = Value("percent", None, low, high, "range", unit, flags={"vague_magnitude"} if approx else set())
    else:
        return _qualified(value, c, ctx, unit)
    # 同比增长18.3% is a relative change; 下降2.1个百分点 a change in a rate
    apply_change(v, c, ctx, "points" if unit == "percentage_point" else "relative")
    return v


def _qualified(value: Decimal, c: Candidate, ctx: Context, unit: str = "percent") -> Value:
    """A point value with the bounds its qualifier gives, and its change."""
    qualifier = qualifier_of(c, ctx.vocab.qualify)
    low, high = bounds(value, qualifier)
    v = Value("percent", value, low, high, qualifier, unit)
    # 同比增长18.3% is a relative change; 下降2.1个百分点 a change in a rate
    apply_change(v, c, ctx, "points" if unit == "percentage_point" else "relative")
    return v


KIND = Kind(
    name="percent",
    normalize=normalize_percent,
    required=(("num", "word", "share"),),
    groups=frozenset({"num", "num2", "sign", "pct", "base", "cheng", "zhe", "half", "point", "bp", "change", "word",
                      "share", "den"}),
    words=(WORDS, QUALIFY_WORDS),
    ratio=True,
)


def _scale(base: str | None, pct: str | None, t: PercentWords) -> Decimal:
    """Percent per unit of the number: 1 for % and 百分之, 0.1 for ‰ and
    千分之 (grammar lexicon: percent_base), and for any other X分之 100/X
    (百万分之五 is 0.0005%)."""
    word = base or pct or ""
    if word in t.percent_base:
        return Decimal(t.percent_base[word])
    ending = next((e for e in t.fraction_of if word.endswith(e)), None)
    if ending:
        denominator = Decimal(1)
        for ch in word[:-len(ending)]:
            denominator *= MAGNITUDES[ch]
        return Decimal(100) / denominator
    return Decimal(1)
