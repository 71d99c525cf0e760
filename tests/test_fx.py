"""Currency conversion with provenance, and display units."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from zhipu_facts import extract_text
from zhipu_facts.cli import app
from zhipu_facts.engine.rules import load_rules
from zhipu_facts.enrich.fx import RateTable
from zhipu_facts.table.units import (
    UnitError,
    currency_codes,
    parse_display_unit,
    registry,
)

R = load_rules()

# A small ECB-style table: units per EUR. 2024-01-06/07 are a weekend.
TABLE = RateTable.from_csv(
    "Date,USD,CNY,HKD,\n"
    "2024-01-08,1.0950,7.8000,8.5500,\n"
    "2024-01-05,1.0900,7.8100,8.5200,\n"
    "2024-01-04,1.0950,N/A,8.5500,\n"
    "2024-01-03,1.0900,7.8200,8.5000,\n"
)


def test_rate_is_cny_per_unit_on_that_day():
    rate = TABLE.rate("USD", dt.date(2024, 1, 5))
    assert rate.cny_per_unit == Decimal("7.8100") / Decimal("1.0900")
    assert rate.day == dt.date(2024, 1, 5) and not rate.out_of_range


def test_a_day_without_rate_uses_the_last_earlier_one():
    rate = TABLE.rate("USD", dt.date(2024, 1, 7))  # Sunday
    assert rate.day == dt.date(2024, 1, 5)
    # 01-04 has no CNY quote, so it cannot make a CNY cross rate
    assert TABLE.rate("HKD", dt.date(2024, 1, 4)).day == dt.date(2024, 1, 3)


def test_outside_the_table_uses_the_nearest_rate_and_says_so():
    before = TABLE.rate("USD", dt.date(2023, 6, 1))
    after = TABLE.rate("USD", dt.date(2030, 1, 1))
    assert before.day == dt.date(2024, 1, 3) and before.out_of_range
    assert after.day == dt.date(2024, 1, 8) and after.out_of_range


def test_unknown_currency_has_no_rate():
    assert TABLE.rate("TWD", dt.date(2024, 1, 5)) is None


def test_shipped_table_covers_the_seed_years():
    table = RateTable.shipped()
    for code in ("USD", "HKD", "EUR", "JPY", "GBP"):
        rate = table.rate(code, dt.date(2025, 2, 11))
        assert rate is not None and not rate.out_of_range
    assert 6.5 < float(table.rate("USD", dt.date(2025, 2, 11)).cny_per_unit) < 7.6


def _money(text, published=None):
    return [f for f in extract_text(text, rules=R, published=published) if f.kind == "money"]


def test_facts_convert_at_the_end_of_their_period():
    (f,) = _money("2023年底,OpenAI的月收入达到1亿美元。", dt.date(2025, 2, 11))
    assert f.as_of == "2023-12"
    assert f.fx_date == dt.date(2023, 12, 29)  # last ECB day of 2023
    assert float(f.value_cny) == pytest.approx(1e8 * f.fx_rate)


def test_facts_without_period_convert_at_publication():
    (f,) = _money("微软以6.5亿美元收编团队。", dt.date(2025, 7, 29))
    assert f.fx_date == dt.date(2025, 7, 29)


def test_cny_needs_no_rate_and_no_date_means_no_conversion():
    (cny,) = _money("融资30亿元。")
    assert cny.value_cny == Decimal("3000000000") and cny.fx_rate is None
    (usd,) = _money("融资3亿美元。")
    assert usd.value_cny is None and "fx_no_date" in usd.flags


def test_currencies_are_separate_dimensions():
    import pint

    ureg = registry(currency_codes(R))
    with pytest.raises(pint.DimensionalityError):
        ureg.Quantity(1, "CNY") + ureg.Quantity(1, "USD")


@pytest.mark.parametrize("label,code,factor", [("亿元", "CNY", 10**8), ("万美元", "USD", 10**4),
                                               ("USD", "USD", 1), ("million USD", "USD", 10**6),
                                               ("百万港元", "HKD", 10**6)])
def test_display_units(label, code, factor):
    unit = parse_display_unit(label, R)
    assert (unit.currency, unit.factor) == (code, factor)


def test_unknown_display_unit():
    with pytest.raises(UnitError):
        parse_display_unit("亿斤", R)


def test_money_unit_option_adds_display_columns(tmp_path):
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(app, ["extract", str(SEEDS / "001_cc1f2bab48428305.txt"), "-o", str(out),
                                      "--money-unit", "亿元"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[-2:] == ["value_display", "unit_display"]
    by_text = {r["text"]: r for r in rows}
    assert by_text["400亿元"]["value_display"] == "400" and by_text["400亿元"]["unit_display"] == "亿元"
    usd = by_text["6.5亿美元"]
    assert float(usd["value_display"]) == pytest.approx(float(usd["value_cny"]) / 1e8)
    assert by_text["400亿元"]["value"] == "40000000000"  # canonical columns untouched


def test_bad_money_unit_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(SEEDS), "--money-unit", "亿斤"])
    assert result.exit_code == 2
    assert "unknown money unit" in result.output


def test_a_users_rates_convert_what_the_ecb_does_not_quote(tmp_path, monkeypatch):
    rates = tmp_path / "rates.csv"
    rates.write_text("date,TWD\n2025-04-01,0.2210\n2025-04-11,0.2203\n", encoding="utf-8")
    text = "台中地檢署起訴一名男子,他利用假投資網站詐得1400萬元。"
    before = next(f for f in extract_text(text, published="2025-04-14") if f.kind == "money")
    assert before.unit == "TWD" and before.value_cny is None and "fx_no_rate" in before.flags
    monkeypatch.setenv("ZFACTS_FX_RATES", str(rates))
    f = next(f for f in extract_text(text, published="2025-04-14") if f.kind == "money")
    assert (f.fx_rate, f.fx_date, f.value_cny) == (0.2203, dt.date(2025, 4, 11), Decimal("3084200.0000"))
    assert "fx_no_rate" not in f.flags


def test_a_bad_rate_file_names_itself(tmp_path, monkeypatch):
    bad = tmp_path / "rates.csv"
    bad.write_text("date,TWD\nyesterday,abc\n", encoding="utf-8")
    monkeypatch.setenv("ZFACTS_FX_RATES", str(bad))
    with pytest.raises(ValueError, match="rates.csv: not a rate file"):
        extract_text("公司獲得新台幣3千萬的補助。", published="2025-04-14")
    article = tmp_path / "2025-04-14-tw.txt"
    article.write_text("公司獲得新台幣3千萬的補助。", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(article)])
    assert result.exit_code == 2 and "ZFACTS_FX_RATES" in result.output and "rates.csv" in result.output
    assert "Traceback" not in result.output
