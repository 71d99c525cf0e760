"""Read numbers as Chinese news writes them, exactly, as Decimal.

Handles Arabic numbers (``1,234.5``), Chinese numerals in simplified form
(``二十五``, ``一万五千``, ``十五点五``, ``两``, ``〇``, ``廿``, financial capitals
such as ``叁``), and mixtures with magnitudes (``1.2万亿``, ``5千亿``, ``1亿1595万``,
``3万4000``). Traditional forms are converted to simplified before rules run,
so only simplified characters are needed here.

All arithmetic is Decimal: ``1.1亿`` is exactly 110000000.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .shipped import shipped_rules_dir

#: The fields of the numeral lexicon (rules/lexicon/numerals.yaml, which says what each holds).
NUMERAL_FIELDS = ("digit", "unit", "magnitude", "tens", "point")
_ENTRY = re.compile(r"- key: *\"?([^\"\s]+)\"?")
_FIELD = re.compile(r"([a-z_]+): *\[([^\]]*)\]")


class NumeralTableError(ValueError):
    """The numeral lexicon is missing or not in the shape core/numbers.py reads."""


def read_numerals(path: Path) -> dict[str, dict[str, int]]:
    """field -> {character: value} from the numeral lexicon.

    Read without PyYAML, by a reader of this one file's shape (`- key: "V"`
    then `field: [a, b]`): numbers are read at import time and everywhere
    (display units, dates, normalizers), without a rule set, and a run whose
    rules come from the cache imports no PyYAML. The rule loader reads the
    same file as an ordinary lexicon and checks the two agree.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise NumeralTableError(f"{path}: the numeral lexicon cannot be read ({e.strerror}); "
                                "it ships with zfacts' rules") from None
    table: dict[str, dict[str, int]] = {f: {} for f in NUMERAL_FIELDS}
    key = None
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#") or line in ("lexicon: numerals", "entries:"):
            continue
        entry, field = _ENTRY.fullmatch(line), _FIELD.fullmatch(line)
        if entry:
            key = entry[1]
        elif field and key is not None and field[1] in NUMERAL_FIELDS:
            value = 0 if field[1] == "point" else _value(key, path, n)
            for ch in (w.strip().strip("\"'") for w in field[2].split(",")):
                if len(ch) != 1 or any(ch in t for t in table.values()):
                    raise NumeralTableError(f"{path}:{n}: {ch!r} must be one character, listed once")
                table[field[1]][ch] = value
        else:
            raise NumeralTableError(f"{path}:{n}: not a line of the numeral lexicon's shape "
                                    f"(`- key: \"VALUE\"`, then one of {', '.join(NUMERAL_FIELDS)}: [...]): {line!r}")
    if sorted(set(table["digit"].values())) != list(range(10)) or not all(table.values()):
        raise NumeralTableError(f"{path}: the numeral lexicon needs the digits 0 to 9 and at least one "
                                f"character of each field {', '.join(NUMERAL_FIELDS)}")
    return table


def _value(key: str, path: Path, n: int) -> int:
    if not key.isdigit():
        raise NumeralTableError(f"{path}:{n}: the key of a numeral is its value, a whole number: {key!r}")
    return int(key)


NUMERALS = read_numerals(shipped_rules_dir() / "lexicon" / "numerals.yaml")
DIGITS = NUMERALS["digit"]
ZEROS = frozenset(ch for ch, v in DIGITS.items() if v == 0)
#: 廿 and 卅: whole numbers (20, 30) that behave like a digit group.
TENS = NUMERALS["tens"]
SMALL_UNITS = NUMERALS["unit"]
BIG_UNITS = NUMERALS["magnitude"]
POINTS = frozenset(NUMERALS["point"])
#: The one table of Chinese magnitudes: every character that scales a number.
MAGNITUDE_CHARS = frozenset(SMALL_UNITS) | frozenset(BIG_UNITS)
BIG_MAGNITUDES = frozenset(BIG_UNITS)
#: What one magnitude character is worth alone (百 100, 万 10^4).
MAGNITUDES = {ch: Decimal(v) for ch, v in {**SMALL_UNITS, **BIG_UNITS}.items()}

_ARABIC_CHARS = set("0123456789.")
_PLAIN_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?").fullmatch
_TWO_DIGITS = re.compile("[" + "".join(sorted(DIGITS)) + "]{2}").search
OVERFLOW = Decimal(10) ** 100  # what a numeral beyond Decimal's range reads as


class NumberError(ValueError):
    """The string is not a number this module can read."""


@lru_cache(maxsize=8192)  # ~2 MB at most
def parse_number(text: str) -> Decimal:
    """Return the exact value of a written number with optional magnitudes.
    Cached: news repeats its numbers (years, days, 30亿), and a Decimal is immutable.

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
    if _PLAIN_DECIMAL(s):
        return Decimal(s)  # most numbers in news: 30, 1.5, 2025
    if all(ch in _ARABIC_CHARS for ch in s):
        return _arabic(s, text)
    if numeral_range(s) is not None:
        raise NumberError(f"an approximate numeral, a range: {text!r}")
    if all(ch in DIGITS for ch in s) and len(s) > 1:
        # A digit string such as 二〇二三: read positionally.
        return Decimal("".join(str(DIGITS[ch]) for ch in s))
    try:
        return _mixed(s, text)
    except decimal.Overflow:
        # 一亿亿亿… past Decimal's exponent limit: no figure at all, and the
        # pipeline flags anything this large number_too_large, value null.
        return OVERFLOW


#: Digit pairs that name a range though not consecutive: three to five (三五百块).
_LOOSE_PAIRS = frozenset({(3, 5)})


def numeral_range(text: str) -> tuple[Decimal, Decimal] | None:
    """The range an approximate numeral names: two consecutive digits side by
    side, as in 七八亿 (7亿 to 8亿), 三四千万, 十七八万, 两三个 (2 to 3), and the
    idiom 三五 (三五百: 300 to 500); None for any other numeral (二〇二三 is a
    year, 二五 is not consecutive).

    >>> numeral_range("十七八万")
    (Decimal('170000'), Decimal('180000'))
    """
    s = text.replace(" ", "")
    if not _TWO_DIGITS(s):
        return None  # no two Chinese digits side by side: the common case, 30亿, 2025
    pairs = [i for i in range(len(s) - 1)
             if s[i] in DIGITS and s[i + 1] in DIGITS and DIGITS[s[i]] > 0
             and (DIGITS[s[i + 1]] == DIGITS[s[i]] + 1 or (DIGITS[s[i]], DIGITS[s[i + 1]]) in _LOOSE_PAIRS)]
    if len(pairs) != 1 or any(ch in ZEROS for ch in s):
        return None
    i = pairs[0]
    try:
        return parse_number(s[:i] + s[i] + s[i + 2:]), parse_number(s[:i] + s[i + 1] + s[i + 2:])
    except NumberError:
        return None


def _arabic(s: str, original: str) -> Decimal:
    if s.count(".") > 1 or s.startswith(".") or s.endswith("."):
        raise NumberError(f"not a number: {original!r}")
    return Decimal(s)


def _mixed(s: str, original: str) -> Decimal:
    """Chinese numeral grammar in which a run of Arabic digits acts as one digit.

    ``section`` is the part built with 十/百/千 below the next big unit and
    ``current`` the last digit group not yet given a unit. ``chunks`` holds
    (value, unit) for each big unit (万, 亿, 兆) seen: a larger unit takes in
    every smaller chunk before it (一万五千亿 is 1.5万 亿), a smaller one
    starts a new chunk (四十九兆九千五百九十二亿 is 49兆 + 9592亿).
    """
    chunks: list[tuple[Decimal, int]] = []
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
        if ch in ZEROS and current is None:
            pass  # placeholder inside a numeral: 一百零五
        elif ch in DIGITS:
            if current is not None:
                raise NumberError(f"two digits in a row: {original!r}")
            current = Decimal(DIGITS[ch])
        elif ch in TENS:
            if current is not None:
                raise NumberError(f"two digits in a row: {original!r}")
            section += TENS[ch]  # a whole twenty or thirty: 廿一 is 21
        elif ch in POINTS:
            j = i + 1
            frac = ""
            while j < n and s[j] in DIGITS:
                frac += str(DIGITS[s[j]])
                j += 1
            if not frac:
                raise NumberError(f"{ch} without decimals: {original!r}")
            current = (current if current is not None else Decimal(0)) + Decimal("0." + frac)
            i = j
            continue
        elif ch in SMALL_UNITS:
            section += (current if current is not None else Decimal(1)) * SMALL_UNITS[ch]
            current = None
        elif ch in BIG_UNITS:
            unit = BIG_UNITS[ch]
            group = section + (current if current is not None else Decimal(0))
            if chunks and s[i - 1] in BIG_UNITS:
                # Units side by side multiply: 万亿 is 10^12, 亿亿 10^16.
                value, below = chunks.pop()
                chunks.append((value * unit, below * unit))
                i += 1
                continue
            if chunks and chunks[-1][1] == unit:
                # 9999万9999万: a unit twice with digits between is no numeral, not their sum.
                raise NumberError(f"{ch} twice in {original!r}")
            while chunks and chunks[-1][1] < unit:
                group += chunks.pop()[0]
            if group == 0 and current is None:
                group = Decimal(1)  # a bare unit: 亿
            chunks.append((group * unit, unit))
            section = Decimal(0)
            current = None
        else:
            raise NumberError(f"unexpected character {ch!r} in {original!r}")
        i += 1
    return sum((v for v, _ in chunks), Decimal(0)) + section + (current if current is not None else Decimal(0))


#: Every character of a numeral, Arabic or Chinese: a trigger window never starts inside one.
NUMERAL_CHARS = frozenset(_ARABIC_CHARS) | frozenset(",") | frozenset(DIGITS) | frozenset(TENS) | MAGNITUDE_CHARS | POINTS
