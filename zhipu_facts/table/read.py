"""Read fact tables back, in any format table/formats.py declares, or a
folder of a cluster's parts.

Whatever the format, the result is one pandas DataFrame in the schema's
column order with the schema's types (floats as float64, offsets as Int64,
dates as ISO strings, null as None/NaN), so compare and diff see the same
values whichever format an analyst kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .formats import OUTPUT_FORMATS, PARTS, readable, reader_of
from .parts import MARKER, parts_of
from .readers import TableError
from .schema import COLUMN_SPECS, COLUMNS, DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS
from .write import LIST_COLUMNS

NULLABLE = {c.name for c in COLUMN_SPECS if c.nullable}
#: Columns with few distinct values (a corpus has one source name, hash and
#: publication date per article, one quote per sentence, a few dozen rules and
#: units): read as pandas categoricals, a third of the memory of plain strings.
#: Compare and diff turn them to text where they mix them with other values.
CATEGORIES = {"source", "source_sha256", "quote", "rule", "kind", "qualifier", "unit", "per", "metric",
              "subject", "change", "basis", "as_of", "flags", "published_from", *DATE_COLUMNS}
REQUIRED = [c.name for c in COLUMN_SPECS if not c.nullable]


def read_facts(path: Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path}: no such file or folder")
    if path.is_dir():
        part = OUTPUT_FORMATS[PARTS.parts_of].extensions[0]
        files = sorted(path.rglob(f"*{part}"))
        if not files and not (path / MARKER).exists():
            raise TableError(f"{path}: a folder holds no {part} files")
        files = parts_of(path, files)
        if not files:  # a complete run whose every article was skipped: its table has no rows
            return _conform(pd.DataFrame(columns=COLUMNS), path)
        frames = [_read_one(f) for f in files]
        return pd.concat(frames, ignore_index=True)
    return _read_one(path)


def _read_one(path: Path) -> pd.DataFrame:
    reader = reader_of(path)
    if reader is None:
        raise TableError(f"{path}: unknown format (use {readable()})")
    try:
        df = reader(path)
    except TableError:
        raise
    except Exception as e:  # parse errors of any reader: say which file
        raise TableError(f"{path}: cannot be read as a fact table ({type(e).__name__}: {e})") from None
    return _conform(df, path)


def plain(s: pd.Series) -> pd.Series:
    """A CATEGORIES column as plain strings, for mixing it with values outside its
    categories or with another table's column (categoricals compare only within one)."""
    return s.astype("str") if isinstance(s.dtype, pd.CategoricalDtype) else s


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
        s = df.pop(col)  # each source column goes as soon as it is converted: half the peak memory
        if col in LIST_COLUMNS:
            s = _joined(s, LIST_COLUMNS[col])
        try:
            if col in FLOAT_COLUMNS:
                out[col] = pd.to_numeric(s, errors="raise").astype("float64")
            elif col in INT_COLUMNS:
                out[col] = pd.to_numeric(s, errors="raise").astype("Int64")
            elif col in DATE_COLUMNS:
                out[col] = _iso_dates(s).astype("category")
            elif col in CATEGORIES:
                out[col] = s.astype("str").astype("category")
            else:
                # pandas' string dtype: one Arrow buffer, not a Python object
                # per cell, so a table of 10 M rows fits in memory.
                out[col] = s.astype("str")
        except (ValueError, TypeError) as e:
            raise TableError(f"{path}: column {col!r} has a value of the wrong type ({e})") from None
    return out


def _joined(s: pd.Series, sep: str) -> pd.Series:
    """A list column (JSON and Parquet since the list form) as the joined text
    every reader works with; a table of the older text form reads unchanged."""
    if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
        return s

    def join(v):
        if isinstance(v, str) and v.startswith("[") and v.endswith("]"):
            v = _listed(v)  # our Parquet's list, written to CSV by pandas: ['forecast']
        if isinstance(v, str) or v is None:
            return v
        if hasattr(v, "__len__") and not isinstance(v, (bytes, dict)):
            return sep.join(str(w) for w in v) or None
        return v

    return s.astype(object).map(join)


#: A list of words as pandas writes a list cell to CSV: [], ['a', 'b'], or a NumPy array's ['a' 'b'].
_LISTED = re.compile(r"""\[(?:\s*(?:'[^']*'|"[^"]*")\s*,?)*\s*\]""")
_WORD = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _listed(text: str) -> list[str] | str:
    """A list of words written as text, or the text as it is."""
    if not _LISTED.fullmatch(text):
        return text
    return [a or b for a, b in _WORD.findall(text)]


def _iso_dates(s: pd.Series) -> pd.Series:
    """ISO date strings (YYYY-MM-DD) from dates or strings; ValueError on a non-date."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").astype("str")
    text = s.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v, na_action="ignore")
    text = text.astype("str").str.slice(0, 10)
    pd.to_datetime(text, format="%Y-%m-%d", errors="raise")  # raises ValueError on a non-date
    return text
