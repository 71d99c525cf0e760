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
from ..vocabulary import Lexicons, Words, compile_words
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
        # 張 in Taiwan's market: a lot of 1,000 shares
        self.lot = {str(w): (str(e["key"]), int(str((e.get("lot_size") or ["1"])[0])))
                    for e in q.entries for w in e.get("lot_counters") or []}
        self.lot_context_re = compile_words(q.words("lot_context"))


WORDS = Words("quantity", {"quantities": ("counters", "nouns", "open_counters", "tails", "big_counters",
                                          "lot_counters", "lot_size", "lot_context")},
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
    counter = c.group("counter") or ""
    if counter in t.lot and not c.group("noun"):
        size = t.lot[counter][1]
        v.value, v.low, v.high = (None if x is None else x * size for x in (v.value, v.low, v.high))
    apply_change(v, c, ctx, "absolute")
    return v


def _counter_unit(c: Candidate, ctx: Context, t: QuantityWords) -> str | None:
    counter = c.group("counter") or ""
    if counter in t.lot:
        # 張 of stock only in Taiwan news, after a trading word in its sentence (成交量2萬1千多張)
        taiwan = ctx.local_currency == "TWD"
        return t.lot[counter][0] if taiwan and t.lot_context_re.search(ctx.text, ctx.sentence_start, c.start) else None
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
