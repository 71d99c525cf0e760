"""Counted quantities: shares, people, users, customers, devices, tokens,
parameters, times, multiples, items (lexicon/quantities.yaml).

The value machinery is money's (kinds/amounts.py): exact Decimals,
magnitudes, qualifiers, ranges, vague magnitudes, approximate numerals, and
the change words before the number (员工减少100余人 is a change of -100 or
more people). The unit is the canonical name of the counter (股: shares) or,
more precisely, of the counted noun (15万名开发者: developers).
"""

from __future__ import annotations

from ..core.numbers import BIG_MAGNITUDES
from ..vocabulary import Lexicons, Words
from ..fact import Candidate, Value
from .kind import Kind
from .amounts import WORDS as AMOUNT_WORDS, amount_value
from .context import Context
from .qualify import WORDS as QUALIFY_WORDS, apply_change


class QuantityWords:
    """Counters (股: shares), counted nouns (开发者: developers), the nouns that
    end the phrase after an open counter (只…基金: funds), and counters that
    name another unit after 万 or 亿 (103.16亿份: fund units)."""

    def __init__(self, lex: Lexicons):
        q = lex["quantities"]
        self.quantity_counter = q.lookup("counters")  # 股 -> shares
        self.quantity_noun = q.lookup("nouns")  # 开发者 -> developers
        self.open_counter = q.lookup("open_counters")  # 只 -> items, unless a tail says more
        self.tail = q.lookup("tails")  # 基金 -> funds
        self.big_counter = q.lookup("big_counters")  # 份 after 亿 -> fund_units


WORDS = Words("quantity", {"quantities": ("counters", "nouns", "open_counters", "tails", "big_counters")},
              QuantityWords)


def normalize_quantity(c: Candidate, ctx: Context) -> Value | None:
    t = ctx.vocab.quantity
    unit = t.quantity_noun.get(c.group("noun") or "") or _counter_unit(c, ctx, t)
    if unit is None:
        return None
    v = amount_value(c, ctx.vocab, "quantity")
    if v is None:
        return None
    v.unit = unit
    apply_change(v, c, ctx, "absolute")
    return v


def _counter_unit(c: Candidate, ctx: Context, t: QuantityWords) -> str | None:
    counter = c.group("counter") or ""
    if counter in t.open_counter:
        # 304只偏股型基金: the phrase's last noun; 其中170多只: what the last 只 counted
        return t.tail.get(c.group("tail") or "") or ctx.open_counted.get(counter) or t.open_counter[counter]
    if counter in t.big_counter and not BIG_MAGNITUDES.isdisjoint(c.group("amount") or ""):
        return t.big_counter[counter]
    return t.quantity_counter.get(counter)


def remember(ctx: Context, v: Value, c: Candidate) -> None:
    """An open counter alone later in the article counts what this one did."""
    counter = c.group("counter") or ""
    if counter in ctx.vocab.quantity.open_counter and c.group("tail"):
        ctx.open_counted[counter] = v.unit


KIND = Kind(
    name="quantity",
    normalize=normalize_quantity,
    required=(("amount", "mag"), ("counter", "noun")),
    groups=frozenset({"amount", "amount2", "mag", "vague", "tens", "counter", "noun", "tail", "sign"}),
    words=(WORDS, AMOUNT_WORDS, QUALIFY_WORDS),
    counts=True,
    remember=remember,
)
