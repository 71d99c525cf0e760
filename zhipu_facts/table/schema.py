"""The fact table's columns, types and flags: the code side of docs/schema.md.

The columns are declared once, in zhipu_facts/columns.py. A test holds
docs/schema.md to COLUMNS (names, order, types, which may be null) and to
FLAGS, so the document and the code cannot drift apart. Every
writer (CSV, JSONL, Parquet) takes rows from `Fact.row`, so the formats
carry the same values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..columns import COLUMNS as _DECLARED, Column

if TYPE_CHECKING:
    import pyarrow as pa

    from ..fact import Fact
    from .units import DisplayUnit


@dataclass(frozen=True)
class TableSchema:
    """A table's columns in order. pyarrow is imported only when a Parquet
    file or a DataFrame needs the Arrow schema (it costs a CSV run 60 ms of
    start-up)."""

    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def of_type(self, *types: str) -> set[str]:
        return {c.name for c in self.columns if c.type in types}

    def append(self, name: str, type: str, nullable: bool = True) -> TableSchema:
        return TableSchema((*self.columns, Column(name, type, nullable)))

    @cached_property
    def arrow(self) -> pa.Schema:
        import pyarrow as pa

        types = {"string": pa.string(), "float64": pa.float64(), "int64": pa.int64(), "date": pa.date32()}
        return pa.schema([(c.name, types[c.type]) for c in self.columns])


#: The fact table's columns (declared with who fills them in columns.py).
COLUMN_SPECS = tuple(Column(c.name, c.type, c.nullable) for c in _DECLARED)

#: Every review flag the code emits, with its meaning (docs/schema.md lists the same).
FLAGS = {
    "implied_currency": "the currency was taken from context, not written with the amount",
    "implied_per": "the unit-price denominator was taken from the earlier price it changed from",
    "unresolved_date": "a relative or year-less date had nothing to resolve against",
    "inferred_year": "a year-less date (or the fact it dates) took its year from its sentence or the story it opens",
    "fiscal_year": "the date names a fiscal period (财年, FY, 财季), read as the calendar year",
    "vague_date": "a recent-time word (近日, 日前, 晚间) read as a window up to the publication date",
    "vague_magnitude": "a range made from words such as 数亿 or 千万级, not from written numbers",
    "forecast": "a word such as 预计, 有望 or 目标 before the number in its clause: a forecast or target",
    "series_mismatch": "a 分别 list had a different count of values and periods: no period was given",
    "number_too_large": "the number is 10^18 or more, no financial figure: value, low and high are null",
    "fx_no_date": "no period and no publication date to pick an exchange rate for",
    "fx_no_rate": "the shipped rate table has no rate for this currency (TWD, VND ...): value_cny is null",
    "fx_out_of_range": "the fact's date is outside the shipped rate table; the nearest rate was used",
}

# Nullability is the document's promise and the test suite's check
# (tests/test_schema_doc.py); the Parquet fields stay nullable so that a
# broken promise fails a test, not a user's run.
SCHEMA = TableSchema(COLUMN_SPECS)
COLUMNS = SCHEMA.names
#: Added after the SCHEMA columns when `--money-unit` asks for display values.
DISPLAY_SCHEMA = SCHEMA.append("value_display", "float64").append("unit_display", "string")
FLOAT_COLUMNS = SCHEMA.of_type("float64")
DATE_COLUMNS = SCHEMA.of_type("date")
INT_COLUMNS = SCHEMA.of_type("int64")


def to_rows(facts: Iterable[Fact], display: DisplayUnit | None = None) -> list[dict[str, Any]]:
    """Rows of the facts; with a display unit, also value_display and unit_display."""
    if display is None:
        return [f.row() for f in facts]
    from ..enrich.fx import RateTable
    from .units import to_display

    rates = RateTable.shipped()
    rows = []
    for f in facts:
        row = f.row()
        v = to_display(f, display, rates)
        row["value_display"] = None if v is None else float(v)
        row["unit_display"] = None if v is None else display.label
        rows.append(row)
    return rows


def format_float(x: float) -> str:
    """Plain digits for whole numbers (3000000000, not 3000000000.0 or 3e9), and never an
    exponent (0.000000005, not 5e-09: a display value of 0.5元 in 亿元); the shortest digits
    that read back as the same float."""
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    text = repr(x)
    return format(Decimal(text), "f") if "e" in text and math.isfinite(x) else text


def to_text(value: Any) -> str:
    """A cell as CSV writes it: empty for null."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is float:
        return format_float(value)
    if kind is dt.date:
        return value.isoformat()
    return str(value)
