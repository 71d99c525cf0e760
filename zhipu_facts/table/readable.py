"""Numbers and counts as a person reads them: the terminal views, the report, display units.

Never scientific notation (`6e+06`, `4.8e-06`): an analyst reads 600万元, 0.0000048
or 1,234,567. The table's own columns keep their exact values; these are for showing.
"""

from __future__ import annotations

import math
from decimal import Decimal

from ..core.numbers import BIG_UNITS

#: The magnitudes a large figure is shown in, largest first: the numeral lexicon's characters for 10^8 and 10^4.
MAGNITUDES = tuple((int(v), ch) for ch, v in sorted(BIG_UNITS.items(), key=lambda x: -x[1]) if v in (10**8, 10**4))


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 article`, `2 articles`, `1,024 facts`: a count as English reads it.

    >>> count(1, "group"), count(0, "fact"), count(1200, "entry", "entries")
    ('1 group', '0 facts', '1,200 entries')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def plain_number(x: float, digits: int = 4) -> str:
    """Thousands separators, `digits` significant digits after the whole part's, never an exponent.

    >>> plain_number(6602570.0), plain_number(1.0657330316), plain_number(4.819796867987812e-06)
    ('6,602,570', '1.066', '0.00000482')
    >>> plain_number(90454155486.39774), plain_number(-0.5), plain_number(3e9)
    ('90,454,155,486', '-0.5', '3,000,000,000')
    """
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    whole = len(str(int(abs(x)))) if abs(x) >= 1 else 0
    if whole:
        text = f"{x:,.{max(digits - whole, 0)}f}"
    else:  # below 1: `digits` significant digits, written out ("f" never switches to an exponent)
        text = format(Decimal(f"{x:.{digits}g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def magnitude_number(x: float, digits: int = 4) -> str:
    """A figure in 亿 or 万 once it reaches them: 1.25e10 is 125亿, 6602570 is 660.3万.

    >>> magnitude_number(1.25e10), magnitude_number(6602570), magnitude_number(6.6e13), magnitude_number(950)
    ('125亿', '660.3万', '660,000亿', '950')
    """
    if math.isfinite(x):
        for size, word in MAGNITUDES:
            if abs(x) >= size:
                return plain_number(x / size, digits) + word
    return plain_number(x, digits)
