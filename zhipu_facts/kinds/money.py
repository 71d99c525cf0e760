"""Money: exact amounts, ranges, vague magnitudes, unit prices, implied currency."""

from __future__ import annotations

from decimal import Decimal

from ..vocabulary import Lexicons, Words
from ..fact import Candidate, Value
from .kind import Kind
from .amounts import WORDS as AMOUNT_WORDS, amount_value
from .context import Context
from ..core.numbers import NumberError, parse_number
from .qualify import WORDS as QUALIFY_WORDS, apply_change


class MoneyWords:
    """Currency names, prefixes and subunits (with their factors), and the units of a unit price."""

    def __init__(self, lex: Lexicons):
        cur = lex["currencies"]
        self.currency_name = {**cur.lookup("colloquial"), **cur.lookup("names")}
        self.currency_prefix = cur.lookup("prefixes")
        self.currency_sub = cur.lookup("subunits")
        self.currency_minor = cur.lookup("minor")
        self.sub_factor = {w: f for e in cur.entries for w, f in (e.get("factors") or {}).items()}
        self.currency_codes = tuple(sorted(str(e["key"]) for e in cur.entries if e.get("names") or e.get("prefixes")))
        self.local_unit = set(cur.words("local"))  # 元: the local currency, whatever the country
        self.per_unit = lex["per_units"].lookup("words")


WORDS = Words("money", {"currencies": ("names", "prefixes", "subunits", "minor"), "per_units": ("words",)},
              MoneyWords)


def normalize_money(c: Candidate, ctx: Context) -> Value | None:
    r = amount_value(c, ctx.vocab, "money")
    t = ctx.vocab.money
    if r is None:
        return None

    currency, factor = _currency(c, t)
    if currency is None and c.group("minor"):
        return None
    if currency is not None and not c.group("cur_pre") and (c.group("sub") or c.group("cur")) in t.local_unit:
        # bare 元 is the local unit: TWD in Taiwan news (ingest/locale.py)
        if ctx.local_currency != currency:
            currency = ctx.local_currency
            r.flags.add("implied_currency")
        elif ctx.local_guessed:
            r.flags.add("implied_currency")
    if c.rule.options.get("implied_currency") == "colloquial":
        r.flags.add("implied_currency")  # 块: a unit of money, or of things counted
    if currency is None:
        currency = _implied_currency(c, ctx)
        if currency is None:
            return None
        r.flags.add("implied_currency")
    if factor != 1:
        r.value, r.low, r.high = (None if x is None else x * factor for x in (r.value, r.low, r.high))
    r.unit = currency
    try:
        r.per = _per(c, t)
    except NumberError:
        return None  # 0.5元三四百万tokens: no single denominator, so no unit price

    apply_change(r, c, ctx, "absolute")  # 营收减少2亿元: an amount of change
    return r


def remember(ctx: Context, v: Value, c: Candidate) -> None:
    """A bare amount later in the sentence takes this amount's currency."""
    ctx.sentence_currency = v.unit


def _currency(c: Candidate, t: MoneyWords) -> tuple[str | None, Decimal]:
    sub = c.group("sub")
    if sub:
        return t.currency_sub[sub], Decimal(t.sub_factor.get(sub, "1"))
    pre = c.group("cur_pre")
    minor = c.group("minor")
    if pre and minor:
        # 人民币21.3分: a minor unit of the currency written before; of another (港元21.3分), no reading
        currency = t.currency_prefix[pre]
        return (currency, Decimal(t.sub_factor[minor])) if t.currency_minor.get(minor) == currency else (None, Decimal(1))
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


def _per(c: Candidate, t: MoneyWords) -> str | None:
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
    groups=frozenset({"amount", "amount2", "num", "mag", "mag_en", "cur", "cur_pre", "sub", "minor", "vague", "level",
                      "per_amount", "per_unit", "cue", "sign", "sign2", "tens",
                      "jiao", "fen"}),
    remember=remember,
    words=(WORDS, AMOUNT_WORDS, QUALIFY_WORDS),
    monetary=True,
)
