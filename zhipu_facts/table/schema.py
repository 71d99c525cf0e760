"""The fact table: SCHEMA.md's columns, in order, with their types.

A Fact becomes a row here; every writer (CSV, JSONL, Parquet) takes rows from
this one function so the formats carry the same values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pyarrow as pa

from ..fact import Fact

SCHEMA = pa.schema([
    ("source", pa.string()),
    ("fact_id", pa.string()),
    ("kind", pa.string()),
    ("metric", pa.string()),
    ("subject", pa.string()),
    ("text", pa.string()),
    ("value", pa.float64()),
    ("low", pa.float64()),
    ("high", pa.float64()),
    ("qualifier", pa.string()),
    ("unit", pa.string()),
    ("per", pa.string()),
    ("value_cny", pa.float64()),
    ("fx_rate", pa.float64()),
    ("fx_date", pa.date32()),
    ("as_of", pa.string()),
    ("date_start", pa.date32()),
    ("date_end", pa.date32()),
    ("published", pa.date32()),
    ("published_from", pa.string()),
    ("quote", pa.string()),
    ("start", pa.int64()),
    ("end", pa.int64()),
    ("line", pa.int64()),
    ("rule", pa.string()),
    ("flags", pa.string()),
    ("source_sha256", pa.string()),
    ("fact_key", pa.string()),
])
COLUMNS = SCHEMA.names
#: Added after the SCHEMA columns when `--money-unit` asks for display values.
DISPLAY_SCHEMA = SCHEMA.append(pa.field("value_display", pa.float64())).append(pa.field("unit_display", pa.string()))
FLOAT_COLUMNS = {f.name for f in SCHEMA if pa.types.is_floating(f.type)}
DATE_COLUMNS = {f.name for f in SCHEMA if pa.types.is_date(f.type)}
INT_COLUMNS = {f.name for f in SCHEMA if pa.types.is_integer(f.type)}


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def fact_id(f: Fact) -> str:
    """Stable across runs and machines: the same bytes and rules give the same id."""
    return _hash(f.source, f.source_sha256, f.start, f.end, f.rule)


def fact_key(f: Fact) -> str | None:
    """Shared by facts that should agree across sources (same subject, metric, period, kind)."""
    if not f.subject or not f.metric:
        return None
    return _hash(f.subject, f.metric, f.resolved.as_of, f.kind)


def _f(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def to_row(f: Fact) -> dict[str, Any]:
    r = f.resolved
    return {
        "source": f.source,
        "fact_id": fact_id(f),
        "kind": f.kind,
        "metric": f.metric,
        "subject": f.subject,
        "text": f.text,
        "value": _f(r.value),
        "low": _f(r.low),
        "high": _f(r.high),
        "qualifier": r.qualifier,
        "unit": r.unit,
        "per": r.per,
        "value_cny": _f(f.value_cny),
        "fx_rate": f.fx_rate,
        "fx_date": f.fx_date,
        "as_of": r.as_of,
        "date_start": r.date_start,
        "date_end": r.date_end,
        "published": f.published,
        "published_from": f.published_from,
        "quote": f.quote,
        "start": f.start,
        "end": f.end,
        "line": f.line,
        "rule": f.rule,
        "flags": ";".join(sorted(r.flags)) or None,
        "source_sha256": f.source_sha256,
        "fact_key": fact_key(f),
    }


def format_float(x: float) -> str:
    """Plain digits for whole numbers (3000000000, not 3000000000.0 or 3e9)."""
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


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
