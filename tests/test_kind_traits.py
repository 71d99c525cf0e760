"""The stages after the normalizers decide by a kind's traits, never by its
name: flip one trait of a registered kind, or register a kind of one's own,
and the decision it names changes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from test_compare_diff import fact

import zhipu_facts as zf
from zhipu_facts import kinds
from zhipu_facts.kinds import KINDS, kinds_with
from zhipu_facts.review.compare import compare_facts
from zhipu_facts.table.schema import COLUMNS


def _field(text: str, kind: str, field: str):
    [f] = [f for f in zf.extract_text(text, published=dt.date(2025, 3, 1)) if f.kind == kind]
    return getattr(f, field)


@pytest.mark.parametrize("kind, traits, text, of, field, declared, flipped", [
    # monetary: converted to CNY
    ("money", {"monetary": False}, "智谱完成3亿元融资。", "money", "value_cny", 300000000, None),
    # monetary: with a `per`, a price
    ("money", {"monetary": False}, "调用仅需5元/百万tokens。", "money", "metric", "price", None),
    # governs_periods: a date before a figure gives it its period
    ("date", {"governs_periods": False}, "2024年营收30亿元。", "money", "as_of", "2024", None),
    # measured: a metric at all
    ("percent", {"measured": False, "ratio": False}, "毛利率为54.6%。", "percent", "metric", "gross_margin", None),
    # ratio: after 占 a share of the measure, not the measure
    ("percent", {"ratio": False}, "毛利率占比为38.9%。", "percent", "metric", None, "gross_margin"),
    # counts: a metric that lists units takes only a count in one of them
    ("quantity", {"counts": False}, "发行对象不超过35名。", "quantity", "metric", None, "shares_issued"),
    # counts: the noun counted names the metric before the word in front of it
    ("quantity", {"counts": False}, "用户数达到4500万名开发者", "quantity", "metric", "developers", "users"),
])
def test_each_trait_decides_what_it_names(monkeypatch, kind, traits, text, of, field, declared, flipped):
    assert _field(text, of, field) == declared
    monkeypatch.setitem(KINDS, kind, dataclasses.replace(KINDS[kind], **traits))
    assert _field(text, of, field) == flipped


def test_compare_reads_the_traits_of_a_kind_registered_later(monkeypatch):
    rows = [fact("a", "3亿美元", 3e8, unit="USD", fx_rate=7.0, kind="toy"),
            fact("b", "21亿元", 2.1e9, unit="CNY", kind="toy")]
    table = pd.DataFrame(rows, columns=COLUMNS)
    assert compare_facts(table).empty  # a kind the registry does not know measures nothing
    kinds.register(dataclasses.replace(KINDS["money"], name="toy"))
    try:
        assert "toy" in kinds_with("monetary")
        result = compare_facts(table)
    finally:
        kinds.unregister("toy")
    # Monetary: the dollar amount is put in CNY and the two figures are one group that agrees.
    assert set(result["cmp_unit"]) == {"CNY"} and result["group"].nunique() == 1
    assert set(result["status"]) == {"agree"}
    monkeypatch.setitem(KINDS, "toy", dataclasses.replace(KINDS["money"], name="toy", monetary=False))
    result = compare_facts(table)
    assert set(result["cmp_unit"]) == {"USD", "CNY"} and result["group"].nunique() == 2
