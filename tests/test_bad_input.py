"""Input that used to crash an article or give a silent wrong number (issue: the
bad-input catalogue). Each case: no exception, and either the right value or no fact."""

from __future__ import annotations

import datetime as dt

import pytest

import zhipu_facts as zf


def _values(text, kind="money", **kw):
    return [(f.text, None if f.value is None else float(f.value)) for f in zf.extract_text(text, **kw) if f.kind == kind]


@pytest.mark.parametrize("text", ["据悉,该模型的API价格为0.5元三四百万tokens。", "稿费为200元一两千字", "价格为2元/٣千Tokens"])
def test_an_unreadable_denominator_is_no_price_not_a_crash(text):
    for f in zf.extract_text(text):
        assert f.per is None or "三四" not in f.per


@pytest.mark.parametrize("published,word", [("9999-12-31", "下周"), ("0001-01-01", "上周")])
def test_a_relative_week_at_the_calendar_edge_is_no_date_not_a_crash(published, word):
    facts = zf.extract_text(f"公司将于{word}公布财报,预计营收3亿元。", published=published)
    assert [f.text for f in facts if f.kind == "money"] == ["3亿元"]


@pytest.mark.parametrize("text,expected", [
    ("营收3\u200b0亿元", [("3\u200b0亿元", 3e9)]),
    ("营收3\u20600亿元", [("3\u20600亿元", 3e9)]),
    ("净利3\u00a00亿元", []),  # a visible space inside a number: no fact rather than 0亿元
    ("营收3 0亿元", []),
])
def test_a_character_inside_a_number_never_makes_it_zero(text, expected):
    assert _values(text) == expected


def test_a_keycap_emoji_is_its_digit():
    assert _values("营收增长3\ufe0f\u20e30%", "percent") == [("3\ufe0f\u20e30%", 30)]


def test_a_number_longer_than_the_trigger_reach_is_read_whole():
    [(text, value)] = _values("总资产为12,345,678,901,234,567.89元")
    assert text == "12,345,678,901,234,567.89元" and value == pytest.approx(12345678901234567.89)


def test_a_period_that_ends_before_it_starts_is_no_date():
    dates = [f for f in zf.extract_text("公司在2022至2000年间完成转型") if f.kind == "date"]
    assert all(f.date_start is None or f.date_start <= f.date_end for f in dates)
    assert "2022至2000年" not in [f.text for f in dates]


def test_every_date_ends_after_it_starts(seed_texts):
    for text in seed_texts.values():
        for f in zf.extract_text(text, published=dt.date(2025, 6, 30)):
            assert f.date_start is None or f.date_start <= f.date_end, f.text
