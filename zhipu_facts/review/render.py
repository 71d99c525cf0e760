"""How compare and diff results look: output schemas and terminal views."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import regex
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..core.numbers import DIGITS, MAGNITUDE_CHARS, TENS
from ..engine.rules import load_rules
from ..kinds import kinds_with
from ..table.readable import count, magnitude_number, plain_number
from ..table.schema import Column, TableSchema, format_float
from .compare import COMPARE_COLUMNS
from .diff import DIFF_COLUMNS

_FLOATS = {"value", "low", "high", "value_cny", "fx_rate", "cmp_low", "cmp_high", "agreed_low", "agreed_high", "spread"}
COMPARE_SCHEMA = TableSchema(tuple(
    Column(c, "int64" if c in ("group", "conflicts") else "float64" if c in _FLOATS else "string", True)
    for c in COMPARE_COLUMNS))
DIFF_SCHEMA = TableSchema(tuple(Column(c, "int64" if c in ("start", "end") else "string", True) for c in DIFF_COLUMNS))


def _cell(v) -> str:
    if pd.isna(v):
        return ""
    return format_float(v) if isinstance(v, float) else str(v)


def show_comparison(result: pd.DataFrame, timeline: pd.DataFrame, out: Console) -> None:
    """Conflicts first, each with every source's figure (and its CNY value),
    publication date and quote; then agreements with what they allow together;
    then timelines."""
    if result.empty:
        out.print("no facts with both a subject and a metric to compare")
        return
    monetary = kinds_with("monetary")
    for status in ("conflict", "agree", "incomparable"):
        groups = result[result["status"] == status]
        if groups.empty:
            continue
        out.print(f"\n[bold]{status.upper()}[/bold] ({count(groups['group'].nunique(), 'group')})")
        for _, g in groups.groupby("group", sort=False):
            first = g.iloc[0]
            scope = f" · {first['scope']}" if isinstance(first["scope"], str) else ""
            out.print(f"[bold]{first['subject']} · {measure_text(first)}{scope} · {_cell(first['period']) or 'no period'}"
                      f"[/bold]{_summary(first)}", markup=True)
            for _, r in g.iterrows():
                cny = f" ≈ {amount_text(r['value_cny'])}" if r["kind"] in monetary and r["unit"] != "CNY" \
                    and not pd.isna(r["value_cny"]) else ""
                copy = f", repeats {r['repeats']}" if isinstance(r["repeats"], str) else ""
                out.print(f"  {r['text']}  ({r['qualifier']}, {_cell(r['unit'])}{cny})  "
                          f"{r['source']}, published {_cell(r['published']) or 'unknown'}{copy}", markup=False)
                out.print(f"    “{r['quote']}”", markup=False)
    singles = result[result["status"] == "single"]
    if not singles.empty:
        out.print(f"\n{count(singles['group'].nunique(), 'group')} stated by one source only (write them with -o to see "
                  "them).")
    if not timeline.empty:
        out.print("\n[bold]TIMELINES[/bold] (a change over periods, not a conflict; one series per period length)")
        keys = ["subject", "metric", "scope", "change", "basis", "length", "unit_of_series"]
        for _, g in timeline.groupby(keys, sort=False, dropna=False):
            first = g.iloc[0]
            scope = f" · {first['scope']}" if isinstance(first["scope"], str) else ""
            path = "  →  ".join(f"{r['period']}: {_stated(r)}" for _, r in g.iterrows())
            out.print(f"{first['subject']} · {measure_text(first)}{scope} ({first['length']}): {path}", markup=False)


def _summary(first) -> str:
    """The group's note, what an agreement allows and the spread of its figures."""
    parts = []
    if isinstance(first["note"], str):
        parts.append(first["note"])
    if first["status"] == "agree" and (not pd.isna(first["agreed_low"]) or not pd.isna(first["agreed_high"])):
        parts.append("together: " + allowed_text(first["agreed_low"], first["agreed_high"], first["cmp_unit"]))
    if not pd.isna(first["spread"]):
        parts.append(f"spread {first['spread']:.0%}")
    return ("  [dim]" + escape("; ".join(parts)) + "[/dim]") if parts else ""


def allowed_text(low, high, unit) -> str:
    """What an agreement allows: > 125亿元, < 10亿元, 3.05亿元 .. 3.15亿元 (with the digits that tell
    the two ends apart: 4,687.8亿元 .. 4,688.3亿元, not 4,688亿元 .. 4,688亿元)."""
    if pd.isna(high):
        return f"> {amount_text(low, unit)}"
    if pd.isna(low):
        return f"< {amount_text(high, unit)}"
    digits = next((d for d in range(4, 12) if amount_text(low, unit, d) != amount_text(high, unit, d)), 4)
    return f"{amount_text(low, unit, digits)} .. {amount_text(high, unit, digits)}"


def amount_text(value, unit="CNY", digits: int = 4) -> str:
    """A figure as an analyst reads it: 1.25e10 CNY is 125亿元, 1.5e9 USD 15亿 USD, never 1.5e+09.

    >>> amount_text(1.25e10), amount_text(1.5e9, "USD"), amount_text(0.0008), amount_text(12.5, "percent")
    ('125亿元', '15亿 USD', '0.0008元', '12.5%')
    """
    if value is None or pd.isna(value):
        return ""
    if unit == "percent":
        return plain_number(value, digits) + "%"
    number = magnitude_number(float(value), digits)
    return number + _yuan() if unit == "CNY" else f"{number} {unit}" if isinstance(unit, str) and unit else number


@lru_cache(maxsize=1)
def _yuan() -> str:
    """How a CNY amount is written: the shortest of its names in the shipped currencies lexicon (元)."""
    names = next(e["names"] for e in load_rules().lexicons["currencies"].entries if e["key"] == "CNY")
    return min(names, key=len)


_QUALIFIER_SIGN = {"over": "> ", "under": "< ", "approx": "≈ "}


def _stated(r) -> str:
    """A timeline point as stated, its qualifier kept (超过200亿元 is > 200亿元, not 200亿元)."""
    text = str(r["text"])
    return (_QUALIFIER_SIGN.get(r["qualifier"], "") if _BARE.match(text) else "") + text


# A text that starts with its number: the qualifier came from around it.
_BARE = regex.compile(r"[\d" + "".join(sorted({*DIGITS, *TENS, *MAGNITUDE_CHARS})) + "]")


def measure_text(row) -> str:
    """The metric, and for a change what kind of change: revenue (relative, yoy)."""
    change = _cell(row.get("change"))
    if not change:
        return str(row["metric"])
    basis = _cell(row.get("basis"))
    return f"{row['metric']} ({change}{', ' + basis if basis else ''})"


def show_diff(changes: pd.DataFrame, out: Console) -> None:
    if changes.empty:
        out.print("no differences")
        return
    table = Table()
    for c in DIFF_COLUMNS:  # a narrow terminal wraps a cell, never cuts a value short (6602570…)
        table.add_column(c, overflow="fold")
    for _, r in changes.iterrows():
        table.add_row(*(_cell(r[c]) for c in DIFF_COLUMNS))
    out.print(table)
