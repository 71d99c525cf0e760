"""A publication date for articles without front matter: bylines, news-agency
datelines, file paths; and year-less dates resolved from the article itself.

tests/corpus/undated/ holds short articles written for this in the shapes
real flashes, agency wires, announcements and Taiwan news use."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

import zhipu_facts as zf
from zhipu_facts.ingest.header import Partial, complete_dateline

CORPUS = ROOT / "tests" / "corpus" / "undated"

EXPECTED = {
    # source: (published, published_from)
    "20241004/cls_flash.txt": ("2024-10-04", "dateline"),  # the article writes 2024年10月4日
    "xinhua_cpi.txt": (None, None),  # 新华社北京3月12日电, and no full date of 3月12日: stays unknown
    "2025-07-29-huashang.txt": ("2025-07-29", "byline"),  # the timestamp line beats the path
    "cna_tsmc.txt": ("2024-10-04", "dateline"),  # 台北4日電: a day alone, completed by 2024年10月4日
    "gelonghui_buyback.txt": (None, None),
    "2024/12/30/announcement.txt": ("2024-12-30", "path"),
    "sina_bank.txt": ("2025-03-25", "byline"),  # the outlet's byline: 新浪财经 2025年3月25日 08:12
}


@pytest.fixture(scope="module")
def articles():
    return {a.source: a for a in zf.extract([CORPUS])}


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_publication_date_of_articles_without_front_matter(articles, source):
    a = articles[source]
    published, origin = EXPECTED[source]
    assert (a.published and a.published.isoformat(), a.published_from) == (published, origin)


def test_a_dateline_is_cut_but_the_lede_after_it_keeps_its_facts(articles):
    facts = articles["20241004/cls_flash.txt"].facts
    texts = {f.text for f in facts}
    assert {"今日", "9月", "46%"} <= texts
    assert not any("10月4日电" in f.text for f in facts)
    assert next(f for f in facts if f.text == "今日").as_of == "2024-10-04"
    assert next(f for f in facts if f.text == "46%").as_of == "2024-09"


def test_year_less_dates_never_borrow_a_year_from_another_sentence(articles):
    """With no publication date, a year-less date takes a year only from its
    own sentence, or from a story it opens; else it is unresolved and says so
    (新华社北京3月12日电 names no year, and 3月12日 and 春节 stand in a sentence
    that names none)."""
    unresolved = {(s, f.text) for s, a in articles.items() for f in a.facts
                  if f.kind == "date" and f.as_of is None}
    assert unresolved == {("gelonghui_buyback.txt", "3 月 12日"), ("gelonghui_buyback.txt", "3月11日"),
                          ("gelonghui_buyback.txt", "本周一"), ("xinhua_cpi.txt", "3月12日"),
                          ("xinhua_cpi.txt", "春节")}
    assert all("unresolved_date" in f.flags for a in articles.values() for f in a.facts
               if f.kind == "date" and f.as_of is None)
    xinhua = {f.text: (f.as_of, "inferred_year" in f.flags) for f in articles["xinhua_cpi.txt"].facts
              if f.kind == "date"}
    assert xinhua["1至2月"] == ("2025-01/2025-02", True)  # opens its sentence, after 2025年2月份: a story's year


def test_a_byline_is_chrome_and_a_day_a_source_reported_is_a_date(articles):
    dates = {f.text: f.as_of for f in articles["sina_bank.txt"].facts if f.kind == "date"}
    assert (dates["今日"], dates["24日"]) == ("2025-03-25", "2025-03-24")
    assert not any("08:12" in f.quote for f in articles["sina_bank.txt"].facts)


def test_a_dateline_takes_the_year_of_the_path_or_option_nearest_to_it(tmp_path):
    flash = "【财联社12月31日电】某券商今日公告，拟发行不超过50亿元公司债。\n"
    (tmp_path / "20250102").mkdir()
    (tmp_path / "20250102" / "a.txt").write_text(flash, encoding="utf-8")
    (tmp_path / "b.txt").write_text(flash, encoding="utf-8")
    got = {a.source: a for a in zf.extract([tmp_path], published="2025-01-03")}
    for source in ("20250102/a.txt", "b.txt"):  # the path's date, then --published: both in January
        assert got[source].published == dt.date(2024, 12, 31) and got[source].published_from == "dateline"
        assert next(f for f in got[source].facts if f.text == "今日").as_of == "2024-12-31"


@pytest.mark.parametrize("part,fallback,expected", [
    (Partial(10, 4), dt.date(2024, 10, 5), dt.date(2024, 10, 4)),
    (Partial(12, 31), dt.date(2025, 1, 2), dt.date(2024, 12, 31)),
    (Partial(1, 2), dt.date(2024, 12, 30), dt.date(2025, 1, 2)),
    (Partial(None, 4), dt.date(2024, 10, 5), dt.date(2024, 10, 4)),
    (Partial(None, 30), dt.date(2024, 11, 2), dt.date(2024, 10, 30)),  # a day after the fallback's: last month
    (Partial(2, 29), dt.date(2025, 3, 1), dt.date(2024, 2, 29)),
    (Partial(10, 4), None, None),
])
def test_complete_dateline_from_a_fallback(part, fallback, expected):
    assert complete_dateline(part, "没有完整日期的正文", fallback) == expected


def test_a_full_date_that_agrees_beats_the_fallback():
    text = "【财联社10月4日电】……2023年10月4日,公司完成交割。"
    assert complete_dateline(Partial(10, 4), text, dt.date(2024, 10, 4)) == dt.date(2023, 10, 4)
    # a full date of another day does not agree, so the fallback decides
    assert complete_dateline(Partial(10, 4), "2023年10月5日", dt.date(2024, 10, 4)) == dt.date(2024, 10, 4)


def test_a_year_less_date_never_takes_the_year_of_a_later_date():
    facts = zf.extract_text("3月11日,公司回购100万股,耗资4.2亿港元。2025年3月12日,公司公告回购完成。")
    got = {f.text: (f.as_of, sorted(f.flags)) for f in facts}
    assert got["3月11日"] == (None, ["unresolved_date"])
    assert got["2025年3月12日"] == ("2025-03-12", [])
    # the publication date gives it its year, and is no inference
    facts = zf.extract_text("3月11日,公司回购。2025年3月12日公告。", published="2024-06-30")
    first = facts[0]
    assert (first.text, first.as_of, sorted(first.flags)) == ("3月11日", "2024-03-11", [])


def test_a_year_less_date_takes_the_publication_year_not_a_founding_year():
    text = "公司成立于2008年8月。截至3月6日,公司资产规模为52亿元。"
    got = {f.text: (f.as_of, sorted(f.flags)) for f in zf.extract_text(text, published="2025-04-14")}
    assert got["3月6日"] == ("2025-03-06", [])
    assert got["52亿元"][0] == "2025-03-06"


def test_its_own_sentence_or_the_story_it_opens_gives_a_year_and_says_so():
    got = {f.text: (f.as_of, "inferred_year" in f.flags)
           for f in zf.extract_text("2024年公司营收增长,其中3月营收2亿元。", published="2025-04-14")}
    assert got["3月"] == ("2024-03", True)
    got = {f.text: (f.as_of, "inferred_year" in f.flags)
           for f in zf.extract_text("2022年,公司发布了新模型。11月底,竞品亮相。", published="2025-07-29")}
    assert got["11月底"] == ("2022-11", True)


@pytest.mark.parametrize("text, published, as_of", [
    ("12月15日,公司已完成交割。", "2025-02-10", "2024-12-15"),  # the past, dated after publication: last year
    ("公司将于3月上市。", "2025-11-20", "2026-03"),  # the future, dated before publication: next year
    ("公司12月中旬发布新品。", "2025-02-11", "2025-12-11/2025-12-20"),  # no tense word: the publication's year
    ("四季度营收创新高。", "2025-02-11", "2025-Q4"),
])
def test_a_year_less_date_moves_its_year_only_when_its_tense_says_so(text, published, as_of):
    dates = [f for f in zf.extract_text(text, published=published) if f.kind == "date"]
    assert dates[0].as_of == as_of


BYLINES = {  # an article that opens with its outlet's byline: its publication date
    "新浪财经 2025年3月25日 08:12 来源：新浪财经\n\n公司今日公告，营收30亿元。": "2025-03-25",
    "证券时报网 2025-03-25 08:12\n\n公司今日公告，营收30亿元。": "2025-03-25",
    "来源：中国产经观察  2025年02月18日 09:12\n\n国家统计局今日发布数据，营收30亿元。": "2025-02-18",
    "經濟日報 2025/03/25 08:12:30 記者王明\n\n台積電今日公告，營收30億元。": "2025-03-25",
}


@pytest.mark.parametrize("article", list(BYLINES))
def test_a_byline_that_opens_with_the_outlet_dates_the_article_and_is_no_fact(article):
    a = next(zf.extract_records([{"id": "a", "text": article}]))
    assert (a.published.isoformat(), a.published_from) == (BYLINES[article], "byline")
    # its date and time are chrome: the facts are the lede's, dated by it
    assert [(f.kind, f.as_of) for f in a.facts] == [("date", BYLINES[article]), ("money", BYLINES[article])]


@pytest.mark.parametrize("line", [
    "公司于 2025年3月25日 08:12 发布公告",  # a sentence, not an outlet
    "截至 2025年3月25日 15:00 收盘",
    "會議將 2025年3月25日 09:30 召開",
])
def test_a_sentence_with_a_date_and_a_time_is_no_byline(line):
    a = next(zf.extract_records([{"id": "a", "text": f"{line}\n股价上涨2%。\n"}]))
    assert a.published is None
    assert [f.text for f in a.facts if f.kind == "date"] == [line.split()[1]]


@pytest.mark.parametrize("text, dateline, partial", [
    ("格隆汇9月2日丨某科技公告，公司今日回购100万股，昨日股价上涨3%。", "9月2日", "--09-02"),
    ("【某某讯】6月30日消息，公司当天公告，拟回购不超过5亿元。", "6月30日", "--06-30"),
    ("新华社圣地亚哥6月24日电 智利央行今日宣布降息25个基点。", "6月24日", "--06-24"),
    ("（中央社記者王明台北4日電）台積電今天公布營收為新台幣2517億元。", "4日", "---04"),
])
def test_a_dateline_whose_year_nothing_gives_is_a_date_fact_and_a_partial_date(text, dateline, partial):
    """No full date of that day, no path, record or option date: the dateline
    is kept as a date fact with its year unresolved, and its month and day as
    the article's partial publication date; the table holds no year-less day,
    so 今日, 昨日, 当天 keep as_of empty and are flagged."""
    a = next(zf.extract_records([{"id": "a", "text": text}]))
    assert (a.published, a.published_from, a.published_partial) == (None, None, partial)
    dates = [f for f in a.facts if f.kind == "date"]
    assert dates[0].text == dateline
    assert all(f.as_of is None and "unresolved_date" in f.flags for f in dates)
    # with a date to complete it, the same dateline is the publication date and no fact
    dated = next(zf.extract_records([{"id": "a", "text": text}], default_published="2025-07-01"))
    assert dated.published_from == "dateline" and dated.published_partial is None
    assert dateline not in {f.text for f in dated.facts}


def test_jiang_that_marks_an_object_is_no_future():
    facts = zf.extract_text("3月10日,公司将所持股份全部转让,作价5亿元。", published="2025-11-20")
    assert next(f for f in facts if f.text == "3月10日").as_of == "2025-03-10"


def test_a_sentences_own_year_is_no_inference_when_it_is_the_publication_year():
    facts = zf.extract_text("2025年公司的安排是:12月15日已完成交割。", published="2025-02-10")
    date = next(f for f in facts if f.text == "12月15日")
    assert (date.as_of, "inferred_year" in date.flags) == ("2025-12-15", False)


def test_a_period_governs_its_figures_across_a_semicolon_but_not_across_a_paragraph():
    flash = "2025年一季度实现营业收入847.05亿元,同比增长6.18%;归母净利润139.63亿元,同比增长32.85%。"
    got = {f.text: f.as_of for f in zf.extract_text(flash, published="2025-04-29")}
    assert got["139.63亿元"] == got["32.85%"] == "2025-Q1"
    nine = "公司2024年前三季度营收30亿元;其中第三季度营收12亿元。"
    got = {f.text: (f.as_of, "inferred_year" in f.flags) for f in zf.extract_text(nine, published="2025-06-10")}
    assert got["第三季度"] == ("2024-Q3", True) and got["12亿元"][0] == "2024-Q3"
    paragraphs = "今年上半年,公司营收增长;\n\n业务侧,产品价格从5元砍至1元。"
    got = {f.text: f.as_of for f in zf.extract_text(paragraphs, published="2025-07-29")}
    assert got["5元"] is None
