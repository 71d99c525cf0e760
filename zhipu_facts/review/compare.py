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
each row's `conflicts_with` names the sources whose facts it cannot agree with
(the first MAX_NAMED by name; `conflicts` counts them all).
Facts whose money cannot be put in CNY (no rate known) are `incomparable`.
An agreement states what the sources allow together (`agreed_low`,
`agreed_high`: the tightest bounds), and its note says when their bounds lie
far apart (超83億元 and 超125億元 agree, but one bound is 51% above the other);
`spread` is the group's largest figure over its smallest, minus one.

Within a group, facts are also kept apart by `scope`: the financing round or
product their clause names (B轮, Pre-IPO轮; GLM-4.5, MaaS平台), so two
rounds or two products are never one figure that sources agree on.

A syndicated copy (the same sentence, the same figure, in a later or
alphabetically later source) counts once: `repeats` names the source it
repeats, and it neither makes a group more than single nor agrees with its
original.

`period` is the fact's as_of, or, for a fact stated as current (as_of null),
the month its article was published (docs/schema.md: `published` says when such a fact
was true); group by `as_of` instead to keep those apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import regex

from ..engine.rules import load_rules
from ..ingest.clean import normalize_chars
from ..kinds import kinds_with
from ..table.read import plain
from ..table.schema import FLOAT_COLUMNS

APPROX_BAND = 0.10
DEFAULT_BY = ("subject", "metric", "period")
STATUS_ORDER = {"conflict": 0, "agree": 1, "incomparable": 2, "single": 3}
MAX_NAMED = 20  # sources named in conflicts_with; `conflicts` counts them all
FAR_APART = 1.25  # bounds of one agreement this far apart (one 25% beyond the other) get a note
PAIR_BLOCK = 4_000_000  # facts x sources compared at once in one conflict group
_NUMBER = regex.compile(r"\d+(?:,\d{3})*(?:\.(\d+))?")

COMPARE_COLUMNS = [
    "group", "status", "subject", "metric", "change", "basis", "period", "scope", "as_of", "date_start", "date_end",
    "kind", "per", "source", "published", "text", "value", "low", "high", "qualifier", "unit", "value_cny", "fx_rate",
    "cmp_low", "cmp_high", "cmp_unit", "agreed_low", "agreed_high", "spread", "conflicts_with", "conflicts",
    "repeats", "note", "quote", "fact_id", "fact_key",
]
#: Latin words that name no product: units, metrics, markets, roles.
_GENERIC = frozenset({"AI", "ARR", "IPO", "CEO", "CFO", "CTO", "GPU", "CPU", "API", "APP", "App", "AGI", "LLM",
                      "GDP", "PE", "PB", "EPS", "ROE", "H", "A", "B", "C", "Pre", "VC", "MaaS",
                      "token", "tokens", "Token", "Tokens", "CNY", "USD", "HKD", "RMB", "HK", "US", "K", "M",
                      "B2B", "SaaS", "yoy", "qoq"})
#: CAGR, COO, ROE: an all-capital abbreviation names a measure or a role, not a product.
_ABBREVIATION = regex.compile(r"[A-Z]{2,5}")
_CLAUSE_END = regex.compile(r"[,，;；。!?！？\n]")


@lru_cache(maxsize=1)
def _scope_patterns() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    """The round, region and product patterns: fragments of the shipped rules
    (lexicon/scopes.yaml, fragments.yaml), from the rule cache, compiled once."""
    fragments = load_rules().fragments
    return tuple(regex.compile(fragments[name]) for name in ("SCOPE_ROUND", "SCOPE_REGION", "SCOPE_PRODUCT"))


@dataclass
class Interval:
    low: float
    high: float


def rounding(text: str, value: float) -> float:
    """Half a unit of the last digit written, in the value's own scale."""
    return float(_roundings(pd.Series([text], dtype=object), np.array([value], dtype=float))[0])


def _roundings(texts: pd.Series, values: np.ndarray) -> np.ndarray:
    """rounding() for whole columns: the first number in each text, its decimals, its scale."""
    found = texts.astype(object).where(texts.notna(), "").map(_first_number)
    number = np.array([n for n, _ in found], dtype=float)
    decimals = np.array([d for _, d in found], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = np.abs(0.5 * 10.0 ** -decimals * (values / number))
    return np.where(np.isnan(number) | (number == 0) | np.isnan(values), 0.0, half)


@lru_cache(maxsize=65536)
def _first_number(text: str) -> tuple[float, int]:
    m = _NUMBER.search(text)
    if not m:
        return math.nan, 0
    return float(m.group().replace(",", "")), len(m.group(1) or "")


def interval(row: pd.Series, tolerance: float) -> tuple[Interval | None, str]:
    """The values one fact allows, in CNY (money) or its own unit; None if not convertible."""
    one = intervals(row.to_frame().T.reset_index(drop=True), np.array([tolerance]))
    low, high, unit = one["cmp_low"].iloc[0], one["cmp_high"].iloc[0], one["cmp_unit"].iloc[0]
    return (None if np.isnan(low) else Interval(float(low), float(high))), unit


def scope_of(quote: str, text: str) -> str | None:
    """The round (B轮) the fact's clause or the one before names, else the
    region its own clause names (海外收入, 华东地区销售额), else the
    product the sentence names last before it: a Latin name (GLM-4.5) or a
    quoted one (“智谱清言”); in simplified script, so sources in either
    script share it.

    >>> scope_of("智谱完成B+轮融资，金额为30亿元", "30亿元"), scope_of("GLM-4.5的年化收入超过1亿元", "超过1亿元")
    ('B+轮', 'GLM-4.5')
    >>> scope_of("对话产品“智譜清言”App用户超过2500万,年化收入(ARR)超千万元", "超千万元")
    '智谱清言'
    >>> scope_of("被称为“AI第一股”的公司市值超过3000亿港元，CAGR为30%", "30%") is None
    True
    >>> scope_of("中国内地收入79.7亿元，港澳台及海外收入50.7亿元", "50.7亿元")
    '港澳台及海外'

    """
    if not isinstance(quote, str) or not isinstance(text, str):
        return None
    at = quote.find(text)
    if at < 0:
        return None
    round_re, region_re, product_re = _scope_patterns()
    starts = [m.end() for m in _CLAUSE_END.finditer(quote, 0, at)]
    # The round may sit one clause back (完成B轮融资，规模为5亿元).
    rounds = round_re.findall(quote, starts[-2] if len(starts) > 1 else 0, at)
    if rounds:
        return normalize_chars(rounds[-1])
    # A region names the fact's own clause: 海外收入50.7亿元 is no figure for the whole company.
    regions = region_re.findall(normalize_chars(quote[starts[-1] if starts else 0:at]))
    if regions:
        return regions[-1]
    names = [m.group(1) or m.group(2) for m in product_re.finditer(quote, 0, at)]
    names = [n for n in names if n.split()[0] not in _GENERIC and not _ABBREVIATION.fullmatch(n)]
    return normalize_chars(names[-1]) if names else None


def intervals(facts: pd.DataFrame, tolerance: np.ndarray) -> pd.DataFrame:
    """Every fact's interval (cmp_low, cmp_high: NaN when not convertible), its
    value in that unit (cmp_value) and the unit (cmp_unit)."""
    unit, q = (facts[c].astype(object) for c in ("unit", "qualifier"))
    money = facts["kind"].isin(kinds_with("monetary")).to_numpy()
    fx = pd.to_numeric(facts["fx_rate"], errors="coerce").to_numpy(dtype=float)
    cny = (unit == "CNY").to_numpy()
    rate = np.where(money & ~cny, fx, 1.0)
    cmp_unit = np.where(money & (cny | ~np.isnan(fx)), "CNY", unit.astype(str).to_numpy())
    v, lo, hi = (pd.to_numeric(facts[c], errors="coerce").to_numpy(dtype=float) for c in ("value", "low", "high"))
    q = q.to_numpy()
    bounded = (q == "range") | (np.isnan(v) & ~(np.isnan(lo) & np.isnan(hi)))
    pad = _roundings(facts["text"], v)
    pad = np.where(q == "approx", np.maximum(pad, np.abs(v) * APPROX_BAND), pad)
    below = np.isin(q, ("exact", "approx", "under"))
    above = np.isin(q, ("exact", "approx", "over"))
    low = np.where(q == "under", -np.inf, np.where(below, v - pad, v))
    high = np.where(q == "over", np.inf, np.where(above, v + pad, v))
    low = np.where(bounded, np.where(np.isnan(lo), -np.inf, lo), low)
    high = np.where(bounded, np.where(np.isnan(hi), np.inf, hi), high)
    with np.errstate(invalid="ignore"):
        low = np.where(np.isfinite(low), low - np.abs(low) * tolerance, low) * rate
        high = np.where(np.isfinite(high), high + np.abs(high) * tolerance, high) * rate
    missing = np.isnan(low) | np.isnan(high)
    return pd.DataFrame({"cmp_low": np.where(missing, np.nan, low), "cmp_high": np.where(missing, np.nan, high),
                         "cmp_value": np.where(missing, np.nan, v * rate), "cmp_unit": cmp_unit}, index=facts.index)


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
        if not math.isfinite(number) or number < 0:  # nan and inf widen nothing to a number: no tolerance
            raise ValueError(f"tolerance must be a number from 0 up (0.05 is 5%): {part!r}")
        out[name.strip() if sep else "*"] = number
    return out


def without_infinities(facts: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The table with every infinite number (no figure zfacts writes: a table edited by hand or
    by another tool) made empty, and how many there were: a bound of inf would swallow every
    interval it meets and no chart axis can hold it."""
    floats = [c for c in FLOAT_COLUMNS if c in facts.columns]
    infinite = np.isinf(facts[floats].to_numpy(dtype=float, na_value=np.nan))
    count = int(infinite.sum())
    if not count:
        return facts, 0
    out = facts.copy()
    out[floats] = out[floats].mask(infinite)
    return out, count


def compare_facts(facts: pd.DataFrame, by: tuple[str, ...] = DEFAULT_BY,
                  tolerance: str | float | dict[str, float] | None = 0.0) -> pd.DataFrame:
    """One row per fact of every group that has a subject and a metric.

    Column-wise throughout (no Python loop over rows), so 10 M facts take
    minutes, not hours."""
    tolerances = tolerance if isinstance(tolerance, dict) else parse_tolerance(tolerance)
    facts, _ = without_infinities(facts)
    usable = facts[facts["kind"].isin(kinds_with("measured")) & facts["subject"].notna() & facts["metric"].notna()]
    usable = usable.reset_index(drop=True)
    if usable.empty:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    month = usable["published"].astype(object).where(usable["published"].notna(), None).str.slice(0, 7)
    usable["period"] = plain(usable["as_of"]).where(usable["as_of"].notna(), month)
    # Amounts of any currency are compared in CNY: one family.
    usable["unit_family"] = plain(usable["unit"]).where(~usable["kind"].isin(kinds_with("monetary")), "monetary")
    usable["scope"] = _scopes(usable, by)
    # A level is never held against a change, nor a yoy change against a qoq one; nor one round against another.
    keys = [*by, *(["scope"] if "scope" not in by else []), "change", "basis", "kind", "unit_family", "per"]
    group = usable.groupby(keys, dropna=False, sort=True).ngroup().to_numpy() + 1
    repeats = _repeats(usable, group)
    # The tolerance of a group is its first fact's metric's (groups mix metrics only without metric in --by).
    first_metric = usable["metric"].groupby(group).transform("first").astype(object)
    tol = first_metric.map(lambda m: tolerances.get(m, tolerances["*"])).to_numpy(dtype=float)
    spans = intervals(usable, tol)
    comparable = ~np.isnan(spans["cmp_low"].to_numpy())
    status, note, agreed, spread = _statuses(usable, spans, group, comparable, tol, repeats)
    named, count = _conflicts(usable["source"], spans, group, comparable, status == "conflict")
    out = pd.DataFrame({
        "group": group, "status": status,
        **{c: usable[c] for c in ("subject", "metric", "change", "basis", "period", "scope", "as_of", "date_start",
                                  "date_end", "kind", "per", "source", "published", "text", "value", "low", "high",
                                  "qualifier", "unit", "value_cny", "fx_rate")},
        "cmp_low": spans["cmp_low"].where(np.isfinite(spans["cmp_low"])),
        "cmp_high": spans["cmp_high"].where(np.isfinite(spans["cmp_high"])),
        "cmp_unit": spans["cmp_unit"], "agreed_low": agreed[0], "agreed_high": agreed[1], "spread": spread,
        "conflicts_with": named, "conflicts": count, "repeats": repeats, "note": note,
        **{c: usable[c] for c in ("quote", "fact_id", "fact_key")},
    })[COMPARE_COLUMNS]
    order = out["status"].map(STATUS_ORDER)
    out = out.assign(_order=order).sort_values(["_order", "group", "source", "fact_id"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def _scopes(usable: pd.DataFrame, by: tuple[str, ...]) -> list[str | None]:
    """scope_of() for the facts whose group (without scope) has more than
    one source, once per distinct sentence and text: a single source's
    figure is single whatever its scope, and 1 M rows of 20 µs each was
    most of compare's time."""
    keys = [*by, "change", "basis", "kind", "unit_family", "per"]
    sources = usable.groupby(keys, dropna=False, sort=False)["source"].transform("nunique").to_numpy()
    quotes, texts = plain(usable["quote"]).to_numpy(dtype=object), plain(usable["text"]).to_numpy(dtype=object)
    seen: dict[tuple, str | None] = {}
    out: list[str | None] = [None] * len(usable)
    for i in np.flatnonzero(sources > 1):
        pair = (quotes[i], texts[i])
        if pair not in seen:
            seen[pair] = scope_of(*pair)
        out[i] = seen[pair]
    return out


_NON_WORD = regex.compile(r"[\W_]+")


def _repeats(usable: pd.DataFrame, group: np.ndarray) -> np.ndarray:
    """For each fact that repeats another source's sentence with the same
    figure (a syndicated copy, in either script), that source: the earliest
    published, then the first by name; None for the rest. Works on integer
    codes of the distinct values (a column of 1 M sentences holds far fewer)."""
    # Near-identical: one script, no punctuation or spaces (a Hong Kong copy of a mainland flash is a copy).
    sentence = _codes(usable["quote"], lambda q: _NON_WORD.sub("", q), simplify=True)
    text = _codes(usable["text"], lambda t: t, simplify=True)
    published, _ = _ordered_codes(usable["published"])
    source, names = _ordered_codes(usable["source"])
    order = pd.DataFrame({"group": group, "sentence": sentence, "text": text, "published": published,
                          "source": source})
    ranked = order.sort_values(["published", "source"], kind="stable")
    first = ranked.groupby(["group", "sentence", "text"], sort=False)["source"].transform("first")
    first = first.reindex(order.index).to_numpy()
    copy = (first != source) & (sentence >= 0)
    return np.where(copy, names[np.where(copy, first, 0)], None).astype(object)


def _codes(values: pd.Series, fn, simplify: bool = False) -> np.ndarray:
    """An integer per row, equal where fn (then t2s) makes the values equal; -1 for empty or missing."""
    codes, uniques = pd.factorize(values)
    keys = [fn(str(u)) for u in uniques]
    if simplify:
        keys = _simplified(keys)
    merged, distinct = pd.factorize(pd.Series(keys, dtype=object))
    merged = np.where(np.asarray(distinct, dtype=object)[merged] == "", -1, merged) if len(distinct) else merged
    return np.where(codes >= 0, np.asarray(merged)[np.maximum(codes, 0)] if len(merged) else -1, -1)


def _ordered_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes in the values' sort order (missing last), and the values they stand for."""
    codes, uniques = pd.factorize(values, sort=True)
    names = np.asarray([str(u) for u in uniques], dtype=object)
    return np.where(codes >= 0, codes, len(names)), np.append(names, "")


def _simplified(texts: list[str]) -> list[str]:
    """The texts in simplified script, converted in batches of joined text
    (one OpenCC call per ~8 MB, not one per text: 10 M calls took minutes)."""
    from ..ingest.clean import _t2s

    out: list[str] = []
    start = size = 0
    for k, v in enumerate([*texts, None]):
        if v is None or size > 8_000_000:
            joined = "\n".join(t.replace("\n", " ") for t in texts[start:k])
            out.extend(_t2s().convert(joined).split("\n") if k > start else [])
            start, size = k, 0
        if v is not None:
            size += len(v)
    return out


def _statuses(usable: pd.DataFrame, spans: pd.DataFrame, group: np.ndarray, comparable: np.ndarray,
              tol: np.ndarray, repeats: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple, np.ndarray]:
    """Each row's group status (single, incomparable, agree, conflict), the
    group's note, what an agreement allows (low, high) and the group's spread."""
    independent = pd.isna(repeats)
    g = pd.DataFrame({"group": group, "source": usable["source"].to_numpy(),
                      "low": spans["cmp_low"].where(comparable), "high": spans["cmp_high"].where(comparable),
                      "exact": (usable["qualifier"] == "exact").to_numpy(),
                      "value": usable["value"].to_numpy(dtype=float)})
    by = g.groupby("group", sort=False)
    sources = g["source"].where(independent).groupby(group).transform("nunique").to_numpy()
    comparable_sources = g["source"].where(comparable & independent).groupby(group).transform("nunique").to_numpy()
    # Intervals on a line share a point exactly when the highest low is below the lowest high.
    low_max, high_min = by["low"].transform("max").to_numpy(), by["high"].transform("min").to_numpy()
    overlap = low_max <= high_min
    status = np.select([sources == 1, comparable_sources < 2, overlap], ["single", "incomparable", "agree"],
                       "conflict").astype(object)
    any_exact = by["exact"].transform("any").to_numpy()
    all_exact = by["exact"].transform("all").to_numpy()
    # A missing value counts as one value of its own, as a set of values would.
    distinct = g.drop_duplicates(["group", "value"]).groupby("group").size()
    values = distinct.reindex(group).to_numpy()
    agree = status == "agree"
    note = np.select(
        [status == "incomparable", agree & ~any_exact, agree & ~all_exact, agree & (values > 1) & (tol == 0),
         agree & (values > 1)],
        ["no CNY rate for some amounts", "consistent as bounds", "consistent with the bounds stated",
         "agree within stated precision", "agree within tolerance"], None).astype(object)
    # What the sources allow together, and how far apart their bounds lie.
    finite_low = g["low"].where(np.isfinite(g["low"]))
    finite_high = g["high"].where(np.isfinite(g["high"]))
    low_min = finite_low.groupby(group).transform("min").to_numpy()
    high_max = finite_high.groupby(group).transform("max").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        low_gap = np.where(low_min > 0, low_max / low_min, np.nan)
        high_gap = np.where(high_min > 0, high_max / high_min, np.nan)
    gap = np.fmax(low_gap, high_gap)
    far = agree & ~all_exact & (gap >= FAR_APART)
    note = np.where(far, [f"{n}; the tightest bound is {x - 1:.0%} beyond the loosest" for n, x in zip(note, gap)],
                    note).astype(object)
    agreed = (np.where(agree & np.isfinite(low_max), low_max, np.nan),
              np.where(agree & np.isfinite(high_min), high_min, np.nan))
    # Spread: the largest figure over the smallest (a bound counts as its figure), minus one.
    point = pd.Series(spans["cmp_value"].to_numpy(), index=g.index).where(comparable)
    point = point.fillna(finite_low).fillna(finite_high)
    p_min, p_max = point.groupby(group).transform("min").to_numpy(), point.groupby(group).transform("max").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where((sources > 1) & (p_min > 0), p_max / p_min - 1, np.nan)
    return status, note, agreed, spread


def _conflicts(source: pd.Series, spans: pd.DataFrame, group: np.ndarray, comparable: np.ndarray,
               conflict: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each fact of a conflict group, the other sources with a fact it cannot agree with:
    the first MAX_NAMED of them by name (`conflicts_with`) and how many (`conflicts`)."""
    named = np.full(len(source), None, dtype=object)
    count = pd.array([pd.NA] * len(source), dtype="Int64")
    rows = np.flatnonzero(conflict)
    if not len(rows):
        return named, count
    low, high = spans["cmp_low"].to_numpy(), spans["cmp_high"].to_numpy()
    counts = np.zeros(len(source), dtype=np.int64)
    source = source.to_numpy(dtype=object)
    for idx in pd.Series(rows).groupby(group[rows], sort=False).indices.values():
        at = rows[idx]
        names, code = np.unique(source[at].astype(str), return_inverse=True)
        ok = comparable[at]
        # Per source, its lowest high and highest low: a fact conflicts with a source
        # when that source has a fact wholly below it or wholly above it.
        min_high = np.full(len(names), np.inf)
        max_low = np.full(len(names), -np.inf)
        np.minimum.at(min_high, code[ok], high[at][ok])
        np.maximum.at(max_low, code[ok], low[at][ok])
        step = max(1, PAIR_BLOCK // len(names))
        for b in range(0, len(at), step):
            part = slice(b, b + step)
            hit = (min_high[None, :] < low[at][part, None]) | (max_low[None, :] > high[at][part, None])
            hit[np.arange(hit.shape[0]), code[part]] = False
            hit[~ok[part]] = False
            counts[at[part]] = hit.sum(axis=1)
            for i, line in zip(at[part], hit):
                which = np.flatnonzero(line)[:MAX_NAMED]
                named[i] = ";".join(names[which]) or None
    count[rows] = counts[rows]
    return named, count


#: Period lengths a timeline keeps apart, by days (an annual figure is no step in a monthly series).
_LENGTHS = ((1, 1, "day"), (28, 31, "month"), (89, 92, "quarter"), (181, 184, "half-year"), (365, 366, "year"))


def period_length(start: pd.Series, end: pd.Series) -> pd.Series:
    """day, month, quarter, half-year, year, span (any other), or current
    (no period of its own: dated by its publication), from date_start and date_end."""
    days = (pd.to_datetime(end.astype(object), errors="coerce")
            - pd.to_datetime(start.astype(object), errors="coerce")).dt.days + 1
    out = pd.Series("span", index=start.index, dtype=object)
    for lo, hi, name in _LENGTHS:
        out[(days >= lo) & (days <= hi)] = name
    return out.where(days.notna(), "current")


def timelines(result: pd.DataFrame) -> pd.DataFrame:
    """(subject, metric) paths over time, from a comparison: one point per
    source and period (syndicated copies left out), ordered by date_start, one series per period length
    (annual, half-year, quarterly and monthly figures are never one chain),
    for series stated for more than one period."""
    dated = result[result["period"].notna() & result["repeats"].isna()].copy()  # a copy is no point of its own
    if dated.empty:
        return dated.assign(length=[], unit_of_series=[])
    dated["length"] = period_length(dated["date_start"], dated["date_end"])
    dated["start"] = plain(dated["date_start"]).fillna(plain(dated["period"]))
    # One line per comparable series: a multiple (近10倍) is no step in a count of parameters.
    keys = ["subject", "metric", "scope", "change", "basis", "kind", "per", "cmp_unit", "length"]
    dated = dated.drop_duplicates([*keys, "period", "source", "text"])
    periods = dated.groupby(keys, dropna=False)["period"].transform("nunique")
    cols = ["subject", "metric", "scope", "change", "basis", "length", "period", "date_start", "text", "value",
            "low", "high", "qualifier", "unit", "value_cny", "source", "published", "fact_id"]
    out = dated[periods > 1].sort_values(["subject", "metric", "scope", "length", "start", "source"], na_position="first")
    return out.assign(unit_of_series=out["cmp_unit"])[[*cols, "unit_of_series"]].reset_index(drop=True)
