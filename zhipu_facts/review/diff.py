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

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..table.read import plain
from ..table.schema import COLUMNS, format_float

IDENTITY = ["source_sha256", "start", "end"]
_ORDINAL = "_nth"  # which copy of the same article and span
_POS = "_at"  # the row's position in its own table
_KEY = ["_article", "start", "end"]  # IDENTITY, with the hash as a number
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


def _keys(df: pd.DataFrame, article: np.ndarray) -> pd.DataFrame:
    """The identity of every row (`article` is its bytes hash as a number), its
    copy number and its position in `df`. The table itself is never copied or
    sorted: at 10 M rows that is gigabytes."""
    order = df[["source", "start", "end"]].reset_index(drop=True).sort_values(
        ["source", "start", "end"], kind="stable").index.to_numpy()
    keys = pd.DataFrame({"_article": article[order], "start": df["start"].to_numpy()[order],
                         "end": df["end"].to_numpy()[order]})
    return keys.assign(**{_ORDINAL: keys.groupby(_KEY, dropna=False).cumcount().to_numpy(), _POS: order})


def diff_tables(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, DiffSummary]:
    pairs = _pairs(old, new)
    both = (pairs["_merge"] == "both").to_numpy()
    at_old = pairs[f"{_POS}_old"].to_numpy(dtype=float)
    at_new = pairs[f"{_POS}_new"].to_numpy(dtype=float)
    # Where each pair is listed: by source, start and end of its newer row (of the older when removed).
    source = _pick(new["source"], at_new, old["source"], at_old)
    text = _pick(new["text"], at_new, old["text"], at_old)
    rank = np.empty(len(pairs), dtype=np.int64)
    rank[pd.DataFrame({"s": source, "a": pairs["start"].to_numpy(), "b": pairs["end"].to_numpy()})
         .sort_values(["s", "a", "b"], kind="stable").index.to_numpy()] = np.arange(len(pairs))
    lonely = np.flatnonzero(~both)
    parts = [pd.DataFrame({
        "_rank": rank[lonely], "_col": -1,
        "change": np.where(pairs["_merge"].to_numpy()[lonely] == "left_only", "removed", "added"),
        "column": None, "old": None, "new": None}, index=lonely)]
    changed, differs = _changed_cells(old, new, np.flatnonzero(both), at_old, at_new, rank)
    out = pd.concat([*parts, *changed]).sort_values(["_rank", "_col"], kind="stable")
    rows = out.index.to_numpy()
    out = pd.DataFrame({
        "change": out["change"].to_numpy(), "source": source[rows],
        "start": pairs["start"].to_numpy()[rows].astype(int), "end": pairs["end"].to_numpy()[rows].astype(int),
        "text": text[rows], "column": out["column"].to_numpy(), "old": out["old"].to_numpy(),
        "new": out["new"].to_numpy()}, columns=DIFF_COLUMNS)
    merge = pairs["_merge"]
    summary = DiffSummary(added=int((merge == "right_only").sum()), removed=int((merge == "left_only").sum()),
                          changed=differs)
    return out, summary


def _pairs(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Rows of both tables paired by identity and copy number: positions _at_old, _at_new."""
    # One number per article hash (shared by both tables): a join on 64-character strings costs gigabytes.
    article = pd.factorize(pd.concat([old["source_sha256"], new["source_sha256"]], ignore_index=True))[0]
    return _keys(old, article[:len(old)]).merge(_keys(new, article[len(old):]), on=[*_KEY, _ORDINAL],
                                                how="outer", suffixes=("_old", "_new"), indicator=True)


def _changed_cells(old: pd.DataFrame, new: pd.DataFrame, paired: np.ndarray, at_old: np.ndarray,
                   at_new: np.ndarray, rank: np.ndarray) -> tuple[list[pd.DataFrame], int]:
    """One frame per compared column of the cells that differ, and how many pairs differ at all.
    A column at a time: only that column of the paired rows is ever copied."""
    oi, ni = at_old[paired].astype(np.int64), at_new[paired].astype(np.int64)
    differs = np.zeros(len(paired), dtype=bool)
    parts = []
    for n, col in enumerate(c for c in COLUMNS if c not in NOT_COMPARED):
        a = old[col].iloc[oi].reset_index(drop=True)
        b = new[col].iloc[ni].reset_index(drop=True)
        d = _differ(a, b)
        if not d.any():
            continue
        differs |= d
        rows = paired[d]
        parts.append(pd.DataFrame({"_rank": rank[rows], "_col": n, "change": "changed", "column": col,
                                   "old": _texts(a[d]), "new": _texts(b[d])}, index=rows))
    return parts, int(differs.sum())


def _pick(first: pd.Series, at_first: np.ndarray, second: pd.Series, at_second: np.ndarray) -> np.ndarray:
    """Per pair, first's value at its position, else second's (NaN: no such row)."""
    out = np.empty(len(at_first), dtype=object)
    have = ~np.isnan(at_first)
    out[have] = _objects(first.iloc[at_first[have].astype(np.int64)])
    out[~have] = _objects(second.iloc[at_second[~have].astype(np.int64)])
    return out


def _objects(s: pd.Series) -> np.ndarray:
    """Cells as Python objects, None when missing; a categorical's rows share its category strings."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return np.append(s.cat.categories.to_numpy(dtype=object), None)[s.cat.codes.to_numpy()]
    return s.astype(object).where(s.notna(), None).to_numpy()


def _differ(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Cell by cell: not both missing and not equal (floats as the numbers they are)."""
    if isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype, pd.CategoricalDtype):
        # Two tables' categories differ: b's codes in a's categories, -2 where a has no such category.
        where = a.cat.categories.get_indexer(b.cat.categories)
        where[where == -1] = -2
        mapped = np.append(where, -1)[b.cat.codes.to_numpy()]  # code -1 (missing) stays -1
        return a.cat.codes.to_numpy() != mapped
    a, b = plain(a), plain(b)
    na_a, na_b = a.isna().to_numpy(), b.isna().to_numpy()
    equal = (a == b).fillna(False).to_numpy(dtype=bool)
    return ~((na_a & na_b) | (~na_a & ~na_b & equal))


def _texts(s: pd.Series) -> np.ndarray:
    """Cells as the text a reader compares: whole floats without .0, missing as None."""
    if pd.api.types.is_float_dtype(s):
        return np.array([None if math.isnan(x) else format_float(x) for x in s.tolist()], dtype=object)
    return s.astype(object).where(s.notna(), None).map(lambda v: v if v is None else str(v)).to_numpy()
