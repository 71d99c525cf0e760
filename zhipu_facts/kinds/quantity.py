"""Counted quantities: shares, people, users, customers, devices, tokens,
parameters, times, multiples, items (lexicon/quantities.yaml).

The value machinery is money's (kinds/amounts.py): exact Decimals,
magnitudes, qualifiers, ranges, vague magnitudes, approximate numerals, and
the change words before the number (员工减少100余人 is a change of -100 or
more people). The unit is the canonical name of the counter (股: shares) or,
more precisely, of the counted noun (15万名开发者: developers).
"""

from __future__ import annotations

from ..vocabulary import Lexicons, Words
from ..fact import Candidate, Value
from .kind import Kind
from .amounts import WORDS as AMOUNT_WORDS, amount_value
from .context import Context
from .qualify import WORDS as QUALIFY_WORDS, apply_change


class QuantityWords:
    """Counters (股: shares) and counted nouns (开发者: developers)."""

    def __init__(self, lex: Lexicons):
        self.quantity_counter = lex["quantities"].lookup("counters")  # 股 -> shares
        self.quantity_noun = lex["quantities"].lookup("nouns")  # 开发者 -> developers


WORDS = Words("quantity", {"quantities": ("counters", "nouns")}, QuantityWords)


def normalize_quantity(c: Candidate, ctx: Context) -> Value | None:
    t = ctx.vocab.quantity
    unit = t.quantity_noun.get(c.group("noun") or "") or t.quantity_counter.get(c.group("counter") or "")
    if unit is None:
        return None
    v = amount_value(c, ctx.vocab, "quantity")
    if v is None:
        return None
    v.unit = unit
    apply_change(v, c, ctx, "absolute")
    return v


KIND = Kind(
    name="quantity",
    normalize=normalize_quantity,
    required=(("amount", "mag"), ("counter", "noun")),
    groups=frozenset({"amount", "amount2", "mag", "vague", "tens", "counter", "noun", "sign"}),
    words=(WORDS, AMOUNT_WORDS, QUALIFY_WORDS),
    counts=True,
)
