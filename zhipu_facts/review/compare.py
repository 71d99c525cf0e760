"""zfacts compare: where sources agree on a fact and where they contradict.

Facts are grouped by (subject, metric, period) by default (--by), and within a
group also by kind, percent unit and `per`, so a price per 1000 tokens is never
held against one per million. Each fact becomes the interval of values its
wording allows, in a common unit (CNY through the fact's own fx_rate for
money; percent as is):

- exact: the value plus or minus half a unit of the last digit written
  (3亿元 is 2.5亿..3.5亿; 3.1 億元 is 3.05亿..3.15亿), so figures that agree at
  the precision they were stated in agree;
- approx (约, 近, 左右): the value plus or minus APPROX_BAND (10%);
- over / under: a half-line from the bound; range: its two ends;
- --tolerance widens every interval by a fraction of its value: one number for
  all metrics (0.05), or per metric (valuation=0.1,revenue=0.02,*=0.01).

A group is `single` when one source states it, `agree` when one value
satisfies every source (the intervals overlap), `conflict` when none does;
each row's `conflicts_with` names the sources whose facts it cannot agree with.
Facts whose money cannot be put in CNY (no rate known) are `incomparable`.

`period` is the fact's as_of, or, for a fact stated as current (as_of null),
the month its article was published (docs/schema.md: `published` says when such a fact
was true); group by `as_of` instead to keep those apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import regex

from ..kinds import MEASURED

APPROX_BAND = 0.10
DEFAULT_BY = ("subject", "metric", "period")
STATUS_ORDER = {"conflict": 0, "agree": 1, "incomparable": 2, "single": 3}
_NUMBER = regex.compile(r"\d+(?:,\d{3})*(?:\.(\d+))?")

COMPARE_COLUMNS = [
    "group", "status", "subject", "metric", "change", "basis", "period", "as_of", "kind", "per", "source", "text", "value", "low", "high",
    "qualifier", "unit", "value_cny", "cmp_low", "cmp_high", "cmp_unit", "conflicts_with", "note", "quote",
    "fact_id", "fact_key",
]


@dataclass
class Interval:
    low: float
    high: float


def rounding(text: str, value: float) -> float:
    """Half a unit of the last digit written, in the value's own scale."""
    m = _NUMBER.search(text or "")
    if not m or pd.isna(value):
        return 0.0
    number = float(m.group().replace(",", ""))
    if number == 0:
        return 0.0
    decimals = len(m.group(1) or "")
    scale = value / number
    return abs(0.5 * 10 ** -decimals * scale)


def interval(row: pd.Series, tolerance: float) -> tuple[Interval | None, str]:
    """The values the fact allows, in CNY (money) or its own unit; None if not convertible."""
    if row["kind"] == "money":
        if row["unit"] == "CNY":
            rate, unit = 1.0, "CNY"
        elif _num(row["fx_rate"]) is not None:
            rate, unit = float(row["fx_rate"]), "CNY"
        else:
            return None, str(row["unit"])
    else:
        rate, unit = 1.0, str(row["unit"])
    q = row["qualifier"]
    v, lo, hi = _num(row["value"]), _num(row["low"]), _num(row["high"])
    if q == "range" or (v is None and (lo is not None or hi is not None)):
        low = lo if lo is not None else -math.inf
        high = hi if hi is not None else math.inf
        pad = 0.0
    else:
        if v is None:
            return None, unit
        pad = rounding(row["text"], v)
        if q == "approx":
            pad = max(pad, abs(v) * APPROX_BAND)
        low = v - pad if q in ("exact", "approx", "under") else v
        high = v + pad if q in ("exact", "approx", "over") else v
        if q == "over":
            high = math.inf
        if q == "under":
            low = -math.inf
    low -= abs(low) * tolerance if math.isfinite(low) else 0
    high += abs(high) * tolerance if math.isfinite(high) else 0
    return Interval(low * rate, high * rate), unit


def _num(x) -> float | None:
    return None if pd.isna(x) else float(x)


def parse_tolerance(spec: str | float | None) -> dict[str, float]:
    """`0.05` -> every metric; `valuation=0.1,*=0.01` -> per metric, `*` the rest."""
    if spec is None or spec == "":
        return {"*": 0.0}
    if isinstance(spec, (int, float)):
        return {"*": float(spec)}
    out: dict[str, float] = {"*": 0.0}
    for part in str(spec).split(","):
        name, sep, value = part.strip().rpartition("=")
        number = float(value)  # ValueError names a bad number
        if number < 0:
            raise ValueError(f"tolerance must not be negative: {part!r}")
        out[name.strip() if sep else "*"] = number
    return out


def compare_facts(facts: pd.DataFrame, by: tuple[str, ...] = DEFAULT_BY,
                  tolerance: str | float | dict[str, float] | None = 0.0) -> pd.DataFrame:
    """One row per fact of every group that has a subject and a metric."""
    tolerances = tolerance if isinstance(tolerance, dict) else parse_tolerance(tolerance)
    usable = facts[facts["kind"].isin(MEASURED) & facts["subject"].notna() & facts["metric"].notna()]
    usable = usable.copy()
    usable["period"] = [a if isinstance(a, str) else (p[:7] if isinstance(p, str) else None)
                        for a, p in zip(usable["as_of"], usable["published"])]
    usable["unit_family"] = usable.apply(lambda r: "money" if r["kind"] == "money" else r["unit"], axis=1)
    # A level is never held against a change, nor a yoy change against a qoq one.
    keys = [*by, "change", "basis", "kind", "unit_family", "per"]
    rows: list[dict] = []
    for n, (key, group) in enumerate(usable.groupby(keys, dropna=False, sort=True)):
        metric = group["metric"].iloc[0]
        rows.extend(_classify(group, dict(zip(keys, key)), n + 1, tolerances.get(metric, tolerances["*"])))
    out = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    if out.empty:
        return out
    out["_order"] = out["status"].map(STATUS_ORDER)
    out = out.sort_values(["_order", "group", "source", "fact_id"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def _classify(group: pd.DataFrame, key: dict, number: int, tolerance: float) -> list[dict]:
    spans = [interval(r, tolerance) for _, r in group.iterrows()]
    comparable = [iv for iv, _ in spans if iv is not None]
    comparable_sources = {src for src, (iv, _) in zip(group["source"], spans) if iv is not None}
    note = ""
    if group["source"].nunique() == 1:
        status = "single"
    elif len(comparable_sources) < 2:
        status = "incomparable"
        note = "no CNY rate for some amounts"
    else:
        low = max(iv.low for iv in comparable)
        high = min(iv.high for iv in comparable)
        status = "agree" if low <= high else "conflict"
        if status == "agree":
            exact = group["qualifier"] == "exact"
            if not exact.any():
                note = "consistent as bounds"
            elif not exact.all():
                note = "consistent with the bounds stated"
            elif len({_num(v) for v in group["value"]}) > 1:
                note = "agree within stated precision" if tolerance == 0 else "agree within tolerance"
    out = []
    for (_, r), (iv, unit) in zip(group.iterrows(), spans):
        against = sorted({src for src, (other, _) in zip(group["source"], spans)
                          if src != r["source"] and iv is not None and other is not None
                          and (other.high < iv.low or iv.high < other.low)})
        out.append({
            "group": number, "status": status,
            "subject": r["subject"], "metric": r["metric"], "change": r["change"], "basis": r["basis"],
            "period": r["period"], "as_of": r["as_of"],
            "kind": r["kind"],
            "per": r["per"], "source": r["source"], "text": r["text"], "value": _num(r["value"]),
            "low": _num(r["low"]), "high": _num(r["high"]), "qualifier": r["qualifier"], "unit": r["unit"],
            "value_cny": _num(r["value_cny"]),
            "cmp_low": None if iv is None or math.isinf(iv.low) else iv.low,
            "cmp_high": None if iv is None or math.isinf(iv.high) else iv.high,
            "cmp_unit": unit, "conflicts_with": ";".join(against) or None, "note": note or None, "quote": r["quote"], "fact_id": r["fact_id"],
            "fact_key": r["fact_key"],
        })
    return out


def timelines(result: pd.DataFrame) -> pd.DataFrame:
    """(subject, metric) paths over time, from a comparison: one row per fact,
    for pairs stated for more than one period."""
    dated = result[result["period"].notna()]
    # One line per comparable series: a multiple (近10倍) is no step in a count of parameters.
    keys = ["subject", "metric", "change", "basis", "kind", "per", "cmp_unit"]
    periods = dated.groupby(keys, dropna=False)["period"].nunique()
    keep = periods[periods > 1].index
    mask = dated.set_index(keys).index.isin(keep)
    cols = ["subject", "metric", "change", "basis", "period", "text", "value", "low", "high", "qualifier", "unit",
            "source"]
    out = dated[mask].assign(unit_of_series=dated[mask]["cmp_unit"])[[*cols, "unit_of_series"]]
    return out.sort_values(["subject", "metric", "period", "source"]).reset_index(drop=True)
