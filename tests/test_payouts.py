"""A payout per a count of shares is per that count: never a total, never
compared with one (issue: every number right or flagged)."""

from __future__ import annotations

import zhipu_facts as zf

ANNOUNCEMENT = ("2024年度权益分派实施公告。商汤科技本次利润分配以方案实施前的公司总股本4亿股为基数,"
                "每10股派发现金红利3.974元(含税),共计派发现金红利1.5896亿元。")


def _money(text):
    return [f for f in zf.extract_text(text, published="2025-06-20") if f.kind == "money"]


def test_a_payout_per_ten_shares_is_per_ten_shares_and_the_count_is_no_fact():
    facts = zf.extract_text(ANNOUNCEMENT, published="2025-06-20")
    per10 = next(f for f in facts if f.text == "3.974元")
    assert (float(per10.value), per10.unit, per10.per, per10.metric) == (3.974, "CNY", "10 share", "dividend")
    assert not [f for f in facts if f.text == "10股"]


def test_the_payout_per_ten_shares_never_shares_a_key_with_the_total():
    per10, total = (f for f in _money(ANNOUNCEMENT) if f.metric == "dividend")
    assert per10.subject == total.subject and per10.as_of == total.as_of
    assert per10.per == "10 share" and total.per is None
    assert per10.fact_key != total.fact_key
