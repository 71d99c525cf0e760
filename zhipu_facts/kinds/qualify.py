"""Qualifiers and the bounds they imply (docs/schema.md: exact, approx, over,
under, range), and the sign and change words before a number (同比下降4.6%)."""

from __future__ import annotations

from decimal import Decimal

import regex

from ..vocabulary import Lexicons, Words
from ..fact import Candidate, Value
from .context import Context


class QualifyWords:
    """Qualifier words around a number, sign words, and the change words
    before it (DELTA_LEFT, matched backwards from a candidate's start)."""

    def __init__(self, lex: Lexicons):
        q = lex["qualifiers"]
        self.qual_prefix = {**q.lookup("word_prefix"), **q.lookup("prefix")}
        self.qual_suffix = q.lookup("suffix")
        self.qual_infix = q.lookup("infix")
        self.sign = lex["grammar"].lookup("sign")
        ch = lex["changes"]
        self.direction = {**ch.lookup("delta_after"), **ch.lookup("delta_noun"), **ch.lookup("delta")}  # -> up/down
        self.basis = {**ch.lookup("short_basis"), **ch.lookup("basis")}  # word -> yoy / qoq
        self.delta_left = regex.compile(lex.fragment("DELTA_LEFT"), regex.REVERSE | regex.V1)
        # The percentages of a list before this one (增长率分别为1.69%、1.47%、…)
        self.list_left = regex.compile(lex.fragment("PCT_LIST_LEFT"), regex.REVERSE | regex.V1)


WORDS = Words("qualify", {"qualifiers": ("prefix", "suffix", "infix"), "grammar": ("sign",),
                          "changes": ("delta", "basis")}, QualifyWords)


def qualifier_of(c: Candidate, t: QualifyWords) -> str:
    """The qualifier the words around a number give it; bounds beat approx."""
    found = []
    pre = c.group("qual_pre") or c.group("qual_ctx")
    if pre:
        found.append(t.qual_prefix.get(pre))
    mid = c.group("qual_mid")
    if mid:
        found.append(t.qual_infix.get(mid))
    post = c.group("qual_post")
    if post:
        found.append(t.qual_suffix.get(post))
    found = [f for f in found if f]
    for q in ("over", "under"):
        if q in found:
            return q
    return "approx" if "approx" in found else "exact"


def bounds(value: Decimal, qualifier: str) -> tuple[Decimal | None, Decimal | None]:
    if qualifier == "exact":
        return value, value
    if qualifier == "over":
        return value, None
    if qualifier == "under":
        return None, value
    return None, None


def change_of(c: Candidate, ctx: Context) -> tuple[str | None, str | None]:
    """The direction (`up`, `down`) and basis (`yoy`, `qoq`) of a change: the
    words right before the match (the DELTA_LEFT fragment, read backwards
    from its start), else a noun of change the rule found after it (group
    `change`: 实现30%的增长)."""
    t = ctx.vocab.qualify
    m = t.delta_left.match(ctx.text, 0, c.start)
    if m is None and not c.group("change"):
        # A later item of a list (增长率分别为1.69%、1.47%) has the words of its first.
        chain = t.list_left.match(ctx.text, 0, c.start)
        if chain is not None:
            m = t.delta_left.match(ctx.text, 0, chain.start())
    word, basis = (m.group("change"), m.group("basis")) if m else (None, None)
    word = word or c.group("change")
    return (t.direction.get(word) if word else None), (t.basis.get(basis) if basis else None)


def is_negative(c: Candidate, t: QualifyWords) -> bool:
    """A minus sign or 负 written before the number (a range signs each of its
    ends itself: kinds/amounts.py)."""
    return not c.group("amount2") and t.sign.get(c.group("sign") or "") == "negative"


def negate(v: Value) -> None:
    """Make the value negative; the bounds follow its magnitude, as the words
    do: 下降超过8% allows any fall beyond 8%, so high is -8 and there is no
    low; a range of falls 下降30%到40% is -40..-30."""
    v.value = None if v.value is None else -v.value
    v.low, v.high = (None if v.high is None else -v.high), (None if v.low is None else -v.low)


def apply_change(v: Value, c: Candidate, ctx: Context, change: str) -> None:
    """Set change and basis from the words before the number, and the sign:
    a fall (下降, 减少) or a minus sign makes the value negative (同比下滑-15%
    restates the fall: still negative)."""
    direction, basis = change_of(c, ctx)
    if direction or basis:
        v.change, v.basis = change, basis
    if direction == "down" or is_negative(c, ctx.vocab.qualify):
        negate(v)
