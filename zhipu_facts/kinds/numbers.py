"""Read numbers as Chinese news writes them, exactly, as Decimal.

Handles Arabic numbers (``1,234.5``), Chinese numerals in simplified form
(``二十五``, ``一万五千``, ``十五点五``, ``两``, ``〇``, ``廿``, financial capitals
such as ``叁``), and mixtures with magnitudes (``1.2万亿``, ``5千亿``, ``1亿1595万``,
``3万4000``). Traditional forms are converted to simplified before rules run,
so only simplified characters are needed here.

All arithmetic is Decimal: ``1.1亿`` is exactly 110000000.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
# 廿 and 卅 are whole numbers (20, 30) that behave like a digit group.
TENS = {"廿": 20, "卅": 30}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}
#: The one table of Chinese magnitudes: every character that scales a number.
MAGNITUDE_CHARS = frozenset(SMALL_UNITS) | frozenset(BIG_UNITS)
BIG_MAGNITUDES = frozenset(BIG_UNITS)

_ARABIC_CHARS = set("0123456789.")


class NumberError(ValueError):
    """The string is not a number this module can read."""


def parse_number(text: str) -> Decimal:
    """Return the exact value of a written number with optional magnitudes.

    >>> parse_number("1.1亿")
    Decimal('110000000.0')
    >>> parse_number("一万五千亿")
    Decimal('1500000000000')
    >>> parse_number("1亿1595万")
    Decimal('115950000')
    """
    s = text.replace(",", "").replace(" ", "")
    if not s:
        raise NumberError(f"empty number: {text!r}")
    if all(ch in _ARABIC_CHARS for ch in s):
        return _arabic(s, text)
    if all(ch in DIGITS for ch in s) and len(s) > 1:
        # A digit string such as 二〇二三: read positionally.
        return Decimal("".join(str(DIGITS[ch]) for ch in s))
    return _mixed(s, text)


def _arabic(s: str, original: str) -> Decimal:
    if s.count(".") > 1 or s.startswith(".") or s.endswith("."):
        raise NumberError(f"not a number: {original!r}")
    return Decimal(s)


def _mixed(s: str, original: str) -> Decimal:
    """Chinese numeral grammar in which a run of Arabic digits acts as one digit.

    ``total`` holds what is already multiplied by 亿, ``wan`` what is multiplied
    by 万 (below 亿), ``section`` the part built with 十/百/千 (below 万), and
    ``current`` the last digit group not yet given a unit.
    """
    total = Decimal(0)
    wan = Decimal(0)
    section = Decimal(0)
    current: Decimal | None = None
    i = 0
    n = len(s)
    while i < n:
        ch = s[i]
        if ch in _ARABIC_CHARS:
            j = i
            while j < n and s[j] in _ARABIC_CHARS:
                j += 1
            if current is not None:
                raise NumberError(f"two numbers in a row: {original!r}")
            current = _arabic(s[i:j], original)
            i = j
            continue
        if ch in "零〇" and current is None:
            pass  # placeholder inside a numeral: 一百零五
        elif ch in DIGITS:
            if current is not None:
                raise NumberError(f"two digits in a row: {original!r}")
            current = Decimal(DIGITS[ch])
        elif ch in TENS:
            if current is not None:
                raise NumberError(f"two digits in a row: {original!r}")
            current = Decimal(TENS[ch])
        elif ch == "点":
            j = i + 1
            frac = ""
            while j < n and s[j] in DIGITS:
                frac += str(DIGITS[s[j]])
                j += 1
            if not frac:
                raise NumberError(f"点 without decimals: {original!r}")
            current = (current if current is not None else Decimal(0)) + Decimal("0." + frac)
            i = j
            continue
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            section += (current if current is not None else Decimal(1)) * unit
            current = None
        elif ch in BIG_UNITS:
            unit = BIG_UNITS[ch]
            group = section + (current if current is not None else Decimal(0))
            if current is None and section == 0 and wan == 0 and total == 0:
                group = Decimal(1)  # a bare unit: 万亿, 亿
            if unit == 10**4:
                wan += group * unit
            else:
                total = (total + wan + group) * unit
                wan = Decimal(0)
            section = Decimal(0)
            current = None
        else:
            raise NumberError(f"unexpected character {ch!r} in {original!r}")
        i += 1
    return total + wan + section + (current if current is not None else Decimal(0))

