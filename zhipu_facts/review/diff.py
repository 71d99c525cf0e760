"""zfacts diff: what changed between two fact tables of the same sources.

Rows are matched by (source, start, end): the same span of the same article.
A span only in NEW is `added`, only in OLD `removed`; a span in both with any
other column different is `changed`, one row per column with old and new.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..table.schema import COLUMNS, format_float

KEY = ["source", "start", "end"]
DIFF_COLUMNS = ["change", "source", "start", "end", "text", "column", "old", "new"]


@dataclass
class DiffSummary:
    added: int
    removed: int
    changed: int  # facts with at least one changed column

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_tables(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, DiffSummary]:
    merged = old.merge(new, on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    rows: list[dict] = []
    changed_facts = 0
    for _, r in merged.sort_values(KEY, kind="stable").iterrows():
        key = {k: (int(r[k]) if k != "source" else r[k]) for k in KEY}
        if r["_merge"] == "left_only":
            rows.append({"change": "removed", **key, "text": r["text_old"], "column": None, "old": None, "new": None})
            continue
        if r["_merge"] == "right_only":
            rows.append({"change": "added", **key, "text": r["text_new"], "column": None, "old": None, "new": None})
            continue
        differs = False
        for col in COLUMNS:
            if col in KEY:
                continue
            a, b = r[f"{col}_old"], r[f"{col}_new"]
            if not _same(a, b):
                differs = True
                rows.append({"change": "changed", **key, "text": r["text_new"], "column": col,
                             "old": _text(a), "new": _text(b)})
        changed_facts += differs
    out = pd.DataFrame(rows, columns=DIFF_COLUMNS)
    summary = DiffSummary(
        added=int((merged["_merge"] == "right_only").sum()),
        removed=int((merged["_merge"] == "left_only").sum()),
        changed=changed_facts,
    )
    return out, summary


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _same(a, b) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == float(b)
    return a == b


def _text(x) -> str | None:
    if _missing(x):
        return None
    if isinstance(x, float):
        return format_float(x)
    return str(x)
