"""What a bare 元 means: the article's locale (option, front matter, cues, default)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import zhipu_facts as zf
from zhipu_facts.cli import app

TAIWAN = ("（中央社記者林大明台北4日電）金管會今天公布統計，國內壽險業前8月稅後淨利為1,200億元，"
          "年減15%。台股今日收盤上漲120點，成交金額3,500億元。")
MAINLAND_TRADITIONAL = "智譜今年上半年收入為1.9億元，同比增長超過300%，公司總部位於北京。"


def _money(facts):
    return [(f.text, f.unit, "implied_currency" in f.flags) for f in facts if f.kind == "money"]


def test_taiwan_news_bare_yuan_is_twd_and_says_so():
    facts = zf.extract_text(TAIWAN, published="2025-10-04")
    assert _money(facts) == [("1,200億元", "TWD", True), ("3,500億元", "TWD", True)]
    assert all(f.value_cny is None and "fx_no_rate" in f.flags for f in facts if f.kind == "money")


def test_traditional_script_alone_decides_nothing_but_its_bare_yuan_is_flagged_a_guess():
    # No cue of any locale: CNY, the default, but this 元 may be Taiwan's or Hong Kong's.
    assert _money(zf.extract_text(MAINLAND_TRADITIONAL)) == [("1.9億元", "CNY", True)]
    # The mainland's own cues decide it: no guess.
    decided = MAINLAND_TRADITIONAL + "該公司計劃登陸科創板，A股投資者關注。"
    assert _money(zf.extract_text(decided)) == [("1.9億元", "CNY", False)]
    # Simplified script is mainland news unless cues say otherwise.
    assert _money(zf.extract_text("智谱今年上半年收入为1.9亿元。")) == [("1.9亿元", "CNY", False)]


def test_taiwan_court_news_is_read_by_its_cities_and_prosecutors():
    facts = zf.extract_text("台中地檢署今天起訴一名男子，他利用假投資網站詐得1400萬元。", published="2025-04-14")
    assert _money(facts) == [("1400萬元", "TWD", True)]


def test_explicit_currency_is_kept_whatever_the_locale():
    facts = zf.extract_text("台積電營收新台幣2,000億元，海外子公司營收10億美元。", locale="zh-TW")
    assert _money(facts) == [("新台幣2,000億元", "TWD", False), ("10億美元", "USD", False)]
    facts = zf.extract_text("公司營收人民幣30億元。", locale="zh-TW")
    assert _money(facts) == [("人民幣30億元", "CNY", False)]


def test_the_option_wins_over_the_article():
    assert _money(zf.extract_text(TAIWAN, locale="zh-CN"))[0][1] == "CNY"
    assert _money(zf.extract_text(MAINLAND_TRADITIONAL, locale="zh_HK"))[0][1] == "HKD"


def test_front_matter_names_the_locale(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("---\nlang: zh-TW\ndate: 2025-10-04\n---\n公司營收為30億元。\n", encoding="utf-8")
    article = zf.extract_file(page)
    assert article.locale == "zh-TW" and _money(article.facts) == [("30億元", "TWD", True)]


def test_unknown_locale_is_refused():
    with pytest.raises(ValueError, match="unknown locale 'fr-FR'"):
        zf.extract_text("营收3亿元", locale="fr-FR")
    result = CliRunner().invoke(app, ["extract", "--locale", "fr-FR", "-"])
    assert result.exit_code == 2 and "unknown locale" in result.output


def test_seeds_are_mainland_news(seed_texts):
    for name, text in seed_texts.items():
        [article] = zf.extract_records([{"id": name, "text": text}])
        assert article.locale == "zh-CN", name


def test_a_mainland_flash_quoting_taiwan_sources_stays_mainland():
    text = ("【财联社11月20日电】某白酒龙头前三季度归母净利润608.3亿元，同比增长15.0%。"
            "另据中央社报道，台湾某面板厂第三季营收新台币620亿元。")
    assert _money(zf.extract_text(text)) == [("608.3亿元", "CNY", False), ("新台币620亿元", "TWD", False)]

