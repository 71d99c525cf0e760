"""zfacts diff: what changed between two fact tables of the same articles.

Rows are paired by identity, never by path: the article's bytes
(`source_sha256`) and the span (`start`, `end`). Moving or renaming a
corpus therefore changes nothing, and `source` is not compared. A span only
in NEW is `added`, only in OLD `removed`; a span in both with any other
column different is `changed`, one row per column with old and new. When
one article's bytes occur twice in a table (a copy under another name), its
rows pair in order of `source`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..table.schema import COLUMNS, format_float

IDENTITY = ["source_sha256", "start", "end"]
_ORDINAL = "_nth"  # which copy of the same article and span
#: Not compared: where the article lies, and what follows from the identity.
NOT_COMPARED = {"source", *IDENTITY}
DIFF_COLUMNS = ["change", "source", "start", "end", "text", "column", "old", "new"]


@dataclass
class DiffSummary:
    added: int
    removed: int
    changed: int  # facts with at least one changed column

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _keyed(df: pd.DataFrame) -> pd.DataFrame:
    df = df.sort_values(["source", "start", "end"], kind="stable")
    return df.assign(**{_ORDINAL: df.groupby(IDENTITY, dropna=False).cumcount()})


def diff_tables(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, DiffSummary]:
    key = [*IDENTITY, _ORDINAL]
    merged = _keyed(old).merge(_keyed(new), on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    merged["_source"] = merged["source_new"].where(merged["source_new"].notna(), merged["source_old"])
    merged["_text"] = merged["text_new"].where(merged["text_new"].notna(), merged["text_old"])
    rows: list[dict] = []
    changed_facts = 0
    for _, r in merged.sort_values(["_source", "start", "end"], kind="stable").iterrows():
        where = {"source": r["_source"], "start": int(r["start"]), "end": int(r["end"]), "text": r["_text"]}
        if r["_merge"] != "both":
            change = "removed" if r["_merge"] == "left_only" else "added"
            rows.append({"change": change, **where, "column": None, "old": None, "new": None})
            continue
        differs = False
        for col in COLUMNS:
            if col in NOT_COMPARED:
                continue
            a, b = r[f"{col}_old"], r[f"{col}_new"]
            if not _same(a, b):
                differs = True
                rows.append({"change": "changed", **where, "column": col, "old": _text(a), "new": _text(b)})
        changed_facts += differs
    out = pd.DataFrame(rows, columns=DIFF_COLUMNS)
    summary = DiffSummary(
        added=int((merged["_merge"] == "right_only").sum()),
        removed=int((merged["_merge"] == "left_only").sum()),
        changed=changed_facts,
    )
    return out, summary


def _same(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return pd.isna(a) and pd.isna(b)
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == float(b)
    return a == b


def _text(x) -> str | None:
    if pd.isna(x):
        return None
    if isinstance(x, float):
        return format_float(x)
    return str(x)
