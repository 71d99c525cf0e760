"""Read fact tables back: CSV, JSON Lines, Parquet, or a folder of Parquet files.

Whatever the format, the result is one pandas DataFrame in the schema's
column order with the schema's types (floats as float64, offsets as Int64,
dates as ISO strings, null as None/NaN), so compare and diff see the same
values whichever format an analyst kept.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .formats import format_of
from .schema import COLUMN_SPECS, COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS

NULLABLE = {c.name for c in COLUMN_SPECS if c.nullable}
REQUIRED = [c.name for c in COLUMN_SPECS if not c.nullable]


class TableError(Exception):
    """The file is not a fact table; the message names it and what is wrong."""


def read_facts(path: Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(path.rglob("*.parquet"))
        if not files:
            raise TableError(f"{path}: a folder holds no .parquet files")
        frames = [_read_one(f) for f in files]
        return pd.concat(frames, ignore_index=True)
    return _read_one(path)


def _read_one(path: Path) -> pd.DataFrame:
    fmt = format_of(path)
    try:
        if fmt == "parquet":
            df = pq.read_table(path).to_pandas()
        elif fmt == "jsonl":
            # json, not pandas.read_json: that one rounds floats (0.0003 came
            # back as 0.00030000000000000003), so CSV and JSONL of one run differed.
            with open(path, encoding="utf-8") as fh:
                df = pd.DataFrame([json.loads(line) for line in fh if line.strip()], columns=None)
        elif fmt == "json":
            with open(path, encoding="utf-8") as fh:
                records = json.load(fh)
            if not isinstance(records, list):
                raise TableError(f"{path}: a .json fact table is an array of rows")
            df = pd.DataFrame(records)
        elif fmt == "csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        else:
            raise TableError(f"{path}: unknown format (use .csv, .jsonl or .parquet)")
    except TableError:
        raise
    except Exception as e:  # parse errors of any reader: say which file
        raise TableError(f"{path}: cannot be read as a fact table ({type(e).__name__}: {e})") from None
    return _conform(df, path)


def _conform(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in df.columns]
    required = [c for c in missing if c not in NULLABLE]
    if required:
        raise TableError(f"{path}: not a fact table: missing columns {', '.join(missing)}")
    # A table written before a column was added (change, basis) reads with
    # that column null, so an old table can still be diffed against a new one.
    df = df.assign(**{c: None for c in missing})
    out = pd.DataFrame(index=df.index)
    for col in REQUIRED:
        empty = df[col].isna() | (df[col] == "")
        if empty.any():
            row = int(empty.to_numpy().nonzero()[0][0]) + 1
            raise TableError(f"{path}: column {col!r} is empty in row {row}; a fact table has it in every row")
    for col in COLUMNS:
        s = df[col]
        try:
            if col in FLOAT_COLUMNS:
                out[col] = pd.to_numeric(s, errors="raise").astype("float64")
            elif col in INT_COLUMNS:
                out[col] = pd.to_numeric(s, errors="raise").astype("Int64")
            elif col in DATE_COLUMNS:
                out[col] = s.map(_iso_date)
            else:
                out[col] = s.map(lambda v: None if pd.isna(v) else str(v))
        except (ValueError, TypeError) as e:
            raise TableError(f"{path}: column {col!r} has a value of the wrong type ({e})") from None
    return out


def _iso_date(v) -> str | None:
    if pd.isna(v):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    text = str(v)
    pd.Timestamp(text)  # raises ValueError on a non-date
    return text[:10]
