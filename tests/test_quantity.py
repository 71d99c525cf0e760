"""Counted quantities as a kind: never money, the value machinery, periods, series, compare."""

from __future__ import annotations

import pandas as pd

import zhipu_facts as zf
from zhipu_facts.review.compare import compare_facts


def _facts(text, kind="quantity", **kw):
    return [f for f in zf.extract_text(text, **kw) if f.kind == kind]


def test_a_count_is_never_money():
    texts = ["公司拟回购1800万股", "平台月活用户8500万", "机构客户超3,000家", "超额认购188倍",
             "新模型拥有6710亿参数", "日均token调用量3万亿", "员工减少100余人"]
    for text in texts:
        assert not _facts(text, "money"), text
        assert len(_facts(text)) == 1, text


def test_units_and_metrics_of_an_announcement():
    text = "公司控股股东累计质押2.6亿股，占其所持股份的45%；公司总股本为40.2亿股。"
    got = [(f.text, f.unit, float(f.value), f.metric) for f in _facts(text)]
    assert got == [("2.6亿股", "shares", 2.6e8, "shares_pledged"), ("40.2亿股", "shares", 4.02e9, "shares_outstanding")]


def test_series_and_periods_apply_to_quantities():
    text = "2023年和2024年，公司的机构客户分别为95家和3061家。"
    got = [(f.text, f.as_of, f.metric) for f in _facts(text)]
    assert got == [("95家", "2023", "customers"), ("3061家", "2024", "customers")]


def test_a_fall_in_a_count_is_a_negative_change():
    [f] = _facts("截至年底，公司员工较上年减少1200人")
    assert (float(f.value), f.change, f.unit, f.metric) == (-1200, "absolute", "people", "employees")


def test_compare_never_holds_one_unit_against_another(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("2024年，智谱的付费开发者超过15万。", encoding="utf-8")
    b.write_text("2024年，智谱的开发者数量达20万名开发者。", encoding="utf-8")
    table = zf.to_dataframe(zf.extract([a, b]))
    quantities = table[table["kind"] == "quantity"].astype(object).where(lambda d: d.notna(), None)
    result = compare_facts(pd.DataFrame(quantities))
    assert set(result["unit"]) == {"developers"}
    assert set(result["status"]) == {"agree"}  # 超过15万 and 20万 are consistent


def test_a_count_in_jia_is_of_establishments_unless_it_counts_customers():
    """家 counts companies, institutions, stores and partners alike: it says
    nothing of customers, which only a customer noun (or the metric) says."""
    text = ("美国商务部宣布将25家中国实体列入实体清单；该公司已有超过2000家生态合作伙伴，"
            "门店总数达到3,200家，并服务超过300家客户。")
    got = [(f.text, f.unit, f.metric) for f in _facts(text) if f.kind == "quantity"]
    assert got == [("25家", "establishments", None), ("超过2000家", "establishments", None),
                   ("3,200家", "establishments", None), ("超过300家", "customers", "customers")]
