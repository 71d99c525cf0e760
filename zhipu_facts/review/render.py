"""How compare and diff results look: output schemas and terminal views."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from ..table.schema import format_float
from .compare import COMPARE_COLUMNS
from .diff import DIFF_COLUMNS

_FLOATS = {"value", "low", "high", "value_cny", "cmp_low", "cmp_high"}
COMPARE_SCHEMA = pa.schema([
    (c, pa.int64() if c in ("group", "conflicts") else pa.float64() if c in _FLOATS else pa.string()) for c in COMPARE_COLUMNS
])
DIFF_SCHEMA = pa.schema([(c, pa.int64() if c in ("start", "end") else pa.string()) for c in DIFF_COLUMNS])


def _cell(v) -> str:
    if pd.isna(v):
        return ""
    return format_float(v) if isinstance(v, float) else str(v)


def show_comparison(result: pd.DataFrame, timeline: pd.DataFrame, out: Console) -> None:
    """Conflicts first, each with every source's quote; then agreements; then timelines."""
    if result.empty:
        out.print("no facts with both a subject and a metric to compare")
        return
    for status in ("conflict", "agree", "incomparable"):
        groups = result[result["status"] == status]
        if groups.empty:
            continue
        out.print(f"\n[bold]{status.upper()}[/bold] ({groups['group'].nunique()} groups)")
        for _, g in groups.groupby("group", sort=False):
            first = g.iloc[0]
            note = f"  [dim]{first['note']}[/dim]" if isinstance(first["note"], str) else ""
            out.print(f"[bold]{first['subject']} · {_measure(first)} · {_cell(first['as_of']) or 'no period'}[/bold]{note}")
            for _, r in g.iterrows():
                out.print(f"  {r['text']}  ({r['qualifier']}, {_cell(r['unit'])})  [cyan]{r['source']}[/cyan]")
                out.print(f"    “{r['quote']}”", markup=False)
    singles = result[result["status"] == "single"]
    if not singles.empty:
        out.print(f"\n{singles['group'].nunique()} groups stated by one source only (write them with -o to see them).")
    if not timeline.empty:
        out.print("\n[bold]TIMELINES[/bold] (a change over periods, not a conflict)")
        for _, g in timeline.groupby(["subject", "metric", "change", "basis", "unit_of_series"], sort=True, dropna=False):
            subject = g.iloc[0]["subject"]
            metric = _measure(g.iloc[0])
            path = "  →  ".join(f"{r['period']}: {r['text']}" for _, r in g.iterrows())
            out.print(f"{subject} · {metric}: {path}", markup=False)


def _measure(row) -> str:
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
    table = Table(*DIFF_COLUMNS)
    for _, r in changes.iterrows():
        table.add_row(*(_cell(r[c]) for c in DIFF_COLUMNS))
    out.print(table)
