"""Each table format's reader: a file to a DataFrame of its rows as
written (table/read.py conforms them to the schema). pandas and pyarrow
are imported when a table is read, so `extract` never loads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


class TableError(Exception):
    """The file is not a fact table; the message names it and what is wrong."""


def read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return _dates_as_text(pq.read_table(path)).to_pandas()


def _dates_as_text(table: pa.Table) -> pa.Table:
    """Arrow casts date32 to ISO text in C; pandas would make a Python date per cell."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_date(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
    return table


def read_jsonl(path: Path) -> pd.DataFrame:
    import pandas as pd

    # json, not pandas.read_json: that one rounds floats (0.0003 came
    # back as 0.00030000000000000003), so CSV and JSONL of one run differed.
    with open(path, encoding="utf-8") as fh:
        return pd.DataFrame([json.loads(line) for line in fh if line.strip()], columns=None)


def read_json(path: Path) -> pd.DataFrame:
    import pandas as pd

    with open(path, encoding="utf-8") as fh:
        records = json.load(fh)
    if not isinstance(records, list):
        raise TableError(f"{path}: a .json fact table is an array of rows")
    return pd.DataFrame(records)


def read_csv(path: Path) -> pd.DataFrame:
    import pandas as pd

    return _unguard(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"))


def _unguard(df: pd.DataFrame) -> pd.DataFrame:
    """Undo the CSV writer's formula guard: one leading `'` comes off every text cell."""
    for col in df.columns:
        s = df[col]
        df[col] = s.where(~s.str.startswith("'", na=False), s.str.slice(1))
    return df
