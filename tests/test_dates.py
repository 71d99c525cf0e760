"""Table-driven: date expressions with a publication date and the expected period.

Each case: text, span, published, expected as_of. date_start/date_end are
checked against the range the as_of form names (computed here from the
SCHEMA's forms, independently of the code under test).
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

import zhipu_facts as zf
from zhipu_facts import extract_text
from zhipu_facts.engine.rules import load_rules

R = load_rules()
P1 = "2025-02-11"
P2 = "2025-07-29"
P3 = "2025-12-24"

# fmt: off
CASES = [
    # absolute years, months, days
    ("2019年成立的智谱AI", "2019年", P1, "2019"),
    ("智譜於2019年成立", "2019年", P1, "2019"),
    ("2019年6月,唐杰团队注册了智谱", "2019年6月", P2, "2019-06"),
    ("2019年6月,唐傑團隊註冊了智譜", "2019年6月", P2, "2019-06"),
    ("财报截至2024年12月31日", "2024年12月31日", P1, "2024-12-31"),
    ("財報截至2024年12月31日", "2024年12月31日", P1, "2024-12-31"),
    ("公告日期2024-03-14,公司发布", "2024-03-14", P1, "2024-03-14"),
    ("数据截至2024/03/14", "2024/03/14", P1, "2024-03-14"),
    ("数据截至2024.03.14", "2024.03.14", P1, "2024-03-14"),
    ("此外,2025 年 11 月,日均消耗", "2025 年 11 月", P3, "2025-11"),
    ("此外,2025 年 11 月,日均消耗", "2025 年 11 月", None, "2025-11"),
    ("2025 年 9 月 30 日止", "2025 年 9 月 30 日", P3, "2025-09-30"),
    ("二〇二三年十月,公司完成融资", "二〇二三年十月", P1, "2023-10"),
    ("二零二三年,公司成立", "二零二三年", P1, "2023"),
    ("一九九九年公司成立", "一九九九年", P1, "1999"),
    ("2024年3月14日,智谱举办发布会", "2024年3月14日", P1, "2024-03-14"),
    ("2024年3月14號,智譜舉辦發布會", "2024年3月14號", P1, "2024-03-14"),
    ("2025年3月份的数据", "2025年3月份", P1, "2025-03"),
    # month and day without a year: from the text before, else published
    ("3月,连跑三地签下18亿元国资", "3月", P2, "2025-03"),
    ("3月28日,公司宣布", "3月28日", P2, "2025-03-28"),
    ("3月28日,公司宣佈", "3月28日", P2, "2025-03-28"),
    ("2022年,公司发布模型。11月底,ChatGPT亮相", "11月底", P2, "2022-11"),
    ("2021年3月发布1.0。7月2日又发布2.0", "7月2日", P2, "2021-07-02"),
    ("243.77 亿元,17 日通过港交所聆讯", "17 日", P3, "2025-12-17"),
    ("2025年5月公布结果,17日正式上线", "17日", P2, "2025-05-17"),
    ("3月底的OpenDay上", "3月底", P2, "2025-03"),
    ("1月初开始上涨", "1月初", P1, "2025-01"),
    ("12月中旬发布", "12月中旬", P1, "2025-12-11/2025-12-20"),
    ("5月上旬完成交割", "5月上旬", P1, "2025-05-01/2025-05-10"),
    ("6月下旬上市", "6月下旬", P1, "2025-06-21/2025-06-30"),
    ("7月份发布", "7月份", P2, "2025-07"),
    ("3月", "3月", None, None),
    # years with parts, halves, quarters, full years
    ("北京明确到2025年底", "2025年底", P1, "2025-12"),
    ("2025年末完成", "2025年末", P1, "2025-12"),
    ("2024年初发布", "2024年初", P1, "2024-01"),
    ("2023年上半年营收0.4亿元", "2023年上半年", P1, "2023-H1"),
    ("2023年下半年", "2023年下半年", P1, "2023-H2"),
    ("2023年下半年", "2023年下半年", None, "2023-H2"),
    ("2024H1 和 2025H1 的收入", "2024H1", P3, "2024-H1"),
    ("2025H2收入预计翻倍", "2025H2", P3, "2025-H2"),
    ("截至 2025Q3,公司的模型", "2025Q3", P3, "2025-Q3"),
    ("2024Q3营收", "2024Q3", P3, "2024-Q3"),
    ("而 2024 全年的机构客户", "2024 全年", P3, "2024"),
    ("2024年全年营收", "2024年全年", P3, "2024"),
    ("公司2024年第四季度营收", "2024年第四季度", P1, "2024-Q4"),
    ("公司2024年第四季度營收", "2024年第四季度", P1, "2024-Q4"),
    ("2024年三季度", "2024年三季度", P1, "2024-Q3"),
    ("2025年前三季度", "2025年前三季度", P3, "2025-Q1/2025-Q3"),
    ("进入2025年,一季度同比下降", "一季度", P2, "2025-Q1"),
    ("第四季度营收创新高", "第四季度", P1, "2025-Q4"),
    ("三季度净利润", "三季度", P1, "2025-Q3"),
    ("上半年,国内外公司内卷", "上半年", "2024-03-14", "2024-H1"),
    ("到了下半年的发布会上", "下半年", "2024-03-14", "2024-H2"),
    ("2023年,公司成立。年底完成融资", "年底", P1, "2023-12"),
    ("年初,公司调整策略", "年初", P1, "2025-01"),
    # relative years
    ("今年1月初开始", "今年1月初", P1, "2025-01"),
    ("今年以来的国资投资", "今年", P2, "2025"),
    ("今年以來的國資投資", "今年", P2, "2025"),
    ("今年", "今年", None, None),
    ("去年年底,智谱完成融资", "去年年底", P1, "2024-12"),
    ("去年年底,智譜完成融資", "去年年底", P1, "2024-12"),
    ("去年年末", "去年年末", P1, "2024-12"),
    ("去年年初公司发布的GLM-4", "去年年初", P1, "2024-01"),
    ("去年4月,公司签下项目", "去年4月", P1, "2024-04"),
    ("去年三季度净利润", "去年三季度", P1, "2024-Q3"),
    ("去年第三季度", "去年第三季度", P1, "2024-Q3"),
    ("去年上半年", "去年上半年", P1, "2024-H1"),
    ("去年全年", "去年全年", P1, "2024"),
    ("前年年底", "前年年底", P1, "2023-12"),
    ("前年", "前年", P1, "2023"),
    ("明年上市", "明年", P1, "2026"),
    ("明年3月", "明年3月", P1, "2026-03"),
    ("来年", "来年", P1, "2026"),
    ("今年上半年,5位高管离职", "今年上半年", P2, "2025-H1"),
    ("今年下半年", "今年下半年", P3, "2025-H2"),
    ("今年前三季度营收", "今年前三季度", "2025-11-01", "2025-Q1/2025-Q3"),
    ("今年 7 月份发布", "今年 7 月份", P3, "2025-07"),
    ("今年十月", "今年十月", P1, "2025-10"),
    ("今年3月,其单月业绩破亿", "今年3月", P2, "2025-03"),
    ("今年3月28日", "今年3月28日", P2, "2025-03-28"),
    ("去年同期", "去年同期", P1, "2024"),
    ("2025H1收入1.9亿元,去年同期为0.4亿元", "去年同期", P3, "2024-H1"),
    ("2025年三季度营收3亿元,去年同期为2亿元", "去年同期", P3, "2024-Q3"),
    ("本年度", "本年", P1, "2025"),
    ("上年同期", "上年同期", P1, "2024"),
    # anaphoric years
    ("2021年3月发布1.0。同年6月发布2.0", "同年6月", P2, "2021-06"),
    ("2021年3月发布1.0。同年6月發布2.0", "同年6月", P2, "2021-06"),
    ("2019年成立。次年完成A轮融资", "次年", P2, "2020"),
    ("2019年成立,翌年获得投资", "翌年", P2, "2020"),
    ("2019年成立,当年即获得投资", "当年", P2, "2019"),
    ("同年", "同年", P2, "2025"),
    # relative months and weeks
    ("就在上个月,美国商务部宣布", "上个月", P1, "2025-01"),
    ("就在上個月,美國商務部宣布", "上個月", P1, "2025-01"),
    ("上月营收", "上月", P1, "2025-01"),
    ("本月发布", "本月", P1, "2025-02"),
    ("下个月上市", "下个月", P1, "2025-03"),
    ("下個月上市", "下個月", P1, "2025-03"),
    ("下月", "下月", "2025-12-24", "2026-01"),
    ("上个月", "上个月", "2025-01-15", "2024-12"),
    ("上个月", "上个月", None, None),
    ("2021年3月发布,当月即获得关注", "当月", P2, "2021-03"),
    ("2021年3月发布,次月上线", "次月", P2, "2021-04"),
    ("2021年12月发布,次月上线", "次月", P2, "2022-01"),
    ("上周,智谱发布了新模型", "上周", P1, "2025-W06"),
    ("上週,智譜發布了新模型", "上週", P1, "2025-W06"),
    ("本周发布", "本周", P1, "2025-W07"),
    ("下周上线", "下周", P1, "2025-W08"),
    ("上周", "上周", "2025-01-01", "2024-W52"),
    ("上星期", "上星期", P1, "2025-W06"),
    # offsets
    ("4年前,商汤科技上市", "4年前", P2, "2021"),
    ("2002年,唐杰进入清华。四年后,唐杰博士毕业", "四年后", P2, "2006"),
    ("2002年,唐傑進入清華。四年後,唐傑博士畢業", "四年後", P2, "2006"),
    ("2021年12月开会,对标一年前的OpenAI", "一年前", P2, "2020"),
    ("三年前", "三年前", P2, "2022"),
    ("两年后", "两年后", P2, "2027"),
    ("3个月前", "3个月前", P2, "2025-04"),
    ("2024年12月上线,两个月后", "两个月后", P2, "2025-02"),
    ("10年前", "10年前", P2, "2015"),
    ("十年以前", "十年以前", P2, "2015"),
    # ranges
    ("从 2022 年至 2024 年,智谱的收入", "2022 年至 2024 年", P3, "2022/2024"),
    ("從 2022 年至 2024 年,智譜的收入", "2022 年至 2024 年", P3, "2022/2024"),
    ("2022-2024年营收", "2022-2024年", P3, "2022/2024"),
    ("2022年到2024年", "2022年到2024年", P3, "2022/2024"),
    ("12月31日至1月1日门票政策有变", "12月31日至1月1日", P3, "2025-12-31/2026-01-01"),
    ("展会将于3月5日至8日举行", "3月5日至8日", P1, "2025-03-05/2025-03-08"),
    ("展會將於3月5日至8日舉行", "3月5日至8日", P1, "2025-03-05/2025-03-08"),
    ("3月5日-3月8日", "3月5日-3月8日", P1, "2025-03-05/2025-03-08"),
    # weeks of a month
    ("12 月的第二周,智谱连续五天开源", "12 月的第二周", P3, "2025-12-08/2025-12-14"),
    ("12 月的第二週,智譜連續五天開源", "12 月的第二週", P3, "2025-12-08/2025-12-14"),
    ("3月第一周", "3月第一周", P1, "2025-03-01/2025-03-07"),
    ("2月第四周", "2月第四周", P1, "2025-02-22/2025-02-28"),
    ("2024年2月第五周", "2024年2月第五周", P1, "2024-02-29/2024-02-29"),
    # two-digit years
    ("与 00 年前后的互联网泡沫不同", "00 年", P3, "2000"),
    ("90年代的互联网", "90年代", P3, "1990/1999"),
    ("08年底的金融危机", "08年", P3, "2008"),
    # more sentences as the seeds write them
    ("2019年,智谱刚创立时,唐杰给公司拉过一个进度条", "2019年", P2, "2019"),
    ("2015年起,美国技术封锁中国科技自主创新", "2015年", P2, "2015"),
    ("2018年,OpenAI发布了第一代GPT", "2018年", P2, "2018"),
    ("进入2025年,整个AI领域的格局正发生颠覆性变化", "2025年", P2, "2025"),
    ("而2025年1月美國商務部的一紙實體清單", "2025年1月", None, "2025-01"),
    ("就在2025年3月初,智譜剛宣布完成超10億元融資", "2025年3月初", None, "2025-03"),
    ("依据 2025 年 7 月进行的 12 项基准测试", "2025 年 7 月", P3, "2025-07"),
    ("于 2025 年 9 月,根据幻觉排行榜", "2025 年 9 月", P3, "2025-09"),
    ("3 月 14 日,智谱 AI 在北京举办了发布会", "3 月 14 日", "2024-03-14", "2024-03-14"),
    ("在今年年初,智谱 AI 最新发布的 GLM-4", "今年年初", "2024-03-14", "2024-01"),
    ("智谱将在10月完成辅导并冲刺2025年底上市", "10月", P2, "2025-10"),
    ("2023年12月,公司完成B轮", "2023年12月", P1, "2023-12"),
    ("2023年12月,公司完成B輪", "2023年12月", P1, "2023-12"),
    ("去年12月", "去年12月", P1, "2024-12"),
    ("前年4月", "前年4月", P1, "2023-04"),
    ("明年年底前上市", "明年年底", P1, "2026-12"),
    ("明年上半年", "明年上半年", P1, "2026-H1"),
    ("今年二季度", "今年二季度", P2, "2025-Q2"),
    ("今年Q2", "今年", P2, "2025"),
]
# fmt: on

# Spans the table expects to be unresolved but still found (as_of None).
NOT_DATES = [
    "智谱已经有三年历史", "它也只有不到 6 年历史", "半年时间,智谱集齐了国资", "在为期八周的时间内",
    "GLM 4.5/4.6 开源基座模型", "推出惊人的 V5 版本", "力争形成3-5个基础大模型", "DeepSeek用1/10训练成本",
    "会议于14:30开始", "十多年的研究积累", "以4年3亿美元的天价", "上线 2 个月付费开发者超过 15 万",
    "每月更新一次", "每年投入大量研发", "过去几年里大模型发展迅速", "前往日本参加展会", "日活用户数区间为10万-40万",
    "分别为 95 家和 3061 家", "共有2019个样本", "近三年来营收持续增长",
]


def _range(as_of: str) -> tuple[dt.date, dt.date]:
    """The first and last day an as_of names (SCHEMA forms, and a/b intervals)."""
    if "/" in as_of:
        a, b = as_of.split("/")
        return _range(a)[0], _range(b)[1]
    if "-W" in as_of:
        year, week = as_of.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
        return monday, monday + dt.timedelta(days=6)
    parts = as_of.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if parts[1] in ("H1", "H2"):
        first = 1 if parts[1] == "H1" else 7
        return dt.date(year, first, 1), dt.date(year, first + 5, calendar.monthrange(year, first + 5)[1])
    if parts[1].startswith("Q"):
        q = int(parts[1][1:])
        return dt.date(year, 3 * q - 2, 1), dt.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
    month = int(parts[1])
    if len(parts) == 2:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date(year, month, int(parts[2]))
    return day, day


@pytest.mark.parametrize("text,span,published,as_of", CASES, ids=[f"{c[0]}@{c[2]}" for c in CASES])
def test_date(text, span, published, as_of):
    pub = dt.date.fromisoformat(published) if published else None
    facts = [f for f in extract_text(text, rules=R, published=pub) if f.kind == "date"]
    at = text.find(span)
    hits = [f for f in facts if f.start == at and f.end == at + len(span)]
    assert hits, f"no date at {span!r}; got {[(f.text, f.rule) for f in facts]}"
    r = hits[0]
    assert r.as_of == as_of
    if as_of is None:
        assert "unresolved_date" in r.flags
    else:
        assert (r.date_start, r.date_end) == _range(as_of)


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text):
    assert [f.text for f in extract_text(text, rules=R, published=dt.date(2025, 7, 29)) if f.kind == "date"] == []


def test_the_table_is_large_enough():
    assert len(CASES) >= 150


def test_a_date_in_the_path_is_the_publication_date(tmp_path):
    import zhipu_facts as zf

    for rel in ("2024-10-04-news.txt", "20241004/a.txt", "2024/10/04/b.md"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("去年,公司营收为3亿元。", encoding="utf-8")
    articles = list(zf.extract([tmp_path]))
    assert {(a.published.isoformat(), a.published_from) for a in articles} == {("2024-10-04", "path")}
    assert all(f.as_of == "2023" for a in articles for f in a.facts)


def test_own_date_beats_the_path_and_the_option(tmp_path):
    import zhipu_facts as zf

    path = tmp_path / "2020-01-01-x.md"
    path.write_text("---\ndate: 2025-02-11\n---\n去年营收3亿元。", encoding="utf-8")
    article = zf.extract_file(path, published="2019-05-05")
    assert (article.published.isoformat(), article.published_from) == ("2025-02-11", "front_matter")


def test_the_run_says_how_many_articles_had_no_date(tmp_path):
    from typer.testing import CliRunner

    from zhipu_facts.cli import app

    (tmp_path / "a.txt").write_text("去年营收3亿元。", encoding="utf-8")
    (tmp_path / "2024-10-04-b.txt").write_text("去年营收3亿元。", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "f.csv")])
    assert result.exit_code == 0 and "1 of them had no publication date" in result.output


@pytest.mark.parametrize("text", [
    "GLM 4.5/4.6 相继发布", "每家企业招聘3-5个岗位", "占比约1/10的份额", "公司成立36年来首次亏损",
    "![](https://s3.ifanr.com/wp-content/uploads/2024/03/10-3.png)", "智譜的2000億參數模型", "订单号20210615",
    "此前公司估值为100亿元", "目前公司估值为100亿元",
])
def test_numbers_and_vague_words_that_are_no_dates(text):
    assert [f.text for f in zf.extract_text(text, published=P1) if f.kind == "date"] == []


@pytest.mark.parametrize("text, span, as_of", [
    ("近日,公司完成3亿元融资", "近日", "2025-01-12/2025-02-11"),
    ("日前,公司獲得新一輪投資", "日前", "2025-01-12/2025-02-11"),
    ("近期股价上涨", "近期", "2025-01-12/2025-02-11"),
    ("公司晚间公告称拟回购股份", "晚间", "2025-02-11"),
    ("該公司盤後公告董事會決議", "盤後", "2025-02-11"),
])
def test_recent_time_words_are_a_flagged_window_up_to_publication(text, span, as_of):
    dates = [f for f in zf.extract_text(text, published=P1) if f.kind == "date"]
    assert [(f.text, f.as_of, sorted(f.flags)) for f in dates] == [(span, as_of, ["vague_date"])]


def test_recent_time_words_without_a_publication_date_are_unresolved():
    dates = [f for f in zf.extract_text("近日,公司完成3亿元融资") if f.kind == "date"]
    assert [(f.text, f.as_of, sorted(f.flags)) for f in dates] == [("近日", None, ["unresolved_date", "vague_date"])]


def test_a_recent_time_word_dates_nothing_and_lets_no_earlier_date_stand_in():
    facts = zf.extract_text("公司2019年成立,近日完成3亿元融资。", published=P1)
    assert [(f.text, f.as_of) for f in facts if f.kind == "money"] == [("3亿元", None)]


def test_vague_recency_leaves_an_amount_undated():
    facts = zf.extract_text("近日,公司完成3亿元融资。", published=P1)
    assert [(f.text, f.as_of) for f in facts if f.kind == "money"] == [("3亿元", None)]


def test_a_narrative_shift_moves_the_year_of_what_follows():
    """回到一年前 / 时间倒回2023年: a bare 上半年 after them is that year's, not the publication year's."""
    for text, year in (("回到一年前,上半年公司营收仅2亿元。", "2024"), ("时间倒回2023年,上半年公司营收仅2亿元。", "2023")):
        facts = {f.text: f.as_of for f in zf.extract_text(text, published="2025-06-30")}
        assert facts["上半年"] == facts["2亿元"] == f"{year}-H1"


def test_a_timestamp_in_a_sentence_gives_its_day():
    facts = zf.extract_text("公司于2021-03-15 08:20:11发布公告,拟回购不超过2亿元。", published=P1)
    assert [(f.text, f.as_of) for f in facts if f.kind == "date"] == [("2021-03-15", "2021-03-15")]


def test_a_comparison_base_counted_from_another_date_is_its_own_date_and_dates_nothing():
    facts = zf.extract_text("2024年四季度收入较上一季度增长8%。", published=P1)
    assert [(f.text, f.as_of) for f in facts] == [("2024年四季度", "2024-Q4"), ("上一季度", "2024-Q3"), ("8%", "2024-Q4")]
    facts = zf.extract_text("两市成交额1.32万亿元,较上日放量约900亿元。", published="2025-05-12")
    assert [(f.text, f.as_of) for f in facts] == [("1.32万亿元", None), ("上日", "2025-05-09"), ("约900亿元", None)]


def test_the_scope_of_a_rank_dates_no_fact_after_it():
    facts = zf.extract_text("该基金首发规模为60亿份,为年内第二大债基,有效认购户数为2.4万户。", published="2025-06-13")
    assert [(f.text, f.as_of) for f in facts if f.kind == "date"] == [("年内", "2025")]
    assert [(f.text, f.as_of) for f in facts if f.kind == "quantity"] == [("60亿份", None), ("2.4万户", None)]
    facts = zf.extract_text("年内该股累计上涨30%。", published="2025-06-13")
    assert [(f.text, f.as_of) for f in facts] == [("年内", "2025"), ("30%", "2025")]


@pytest.mark.parametrize("text, locale, want", [
    ("公司成立於民國78年6月30日", None, [("民國78年6月30日", "1989-06-30")]),
    ("该厂于民国37年迁往上海", None, [("民国37年", "1948")]),
    ("公司78年6月30日成立", None, [("78年6月30日", "1978-06-30")]),
    ("公司78年6月30日成立", "zh-TW", [("78年6月30日", "1989-06-30")]),
    ("該公司113年度營收創新高", "zh-TW", [("113年度", "2024")]),
    ("該公司112年第3季獲利成長", "zh-TW", [("112年第3季", "2023-Q3")]),
    ("该公司113年5月完成重组", None, []),
    ("該公司1Q25營收成長", "zh-TW", [("1Q25", "2025-Q1")]),
])
def test_taiwan_years(text, locale, want):
    facts = zf.extract_text(text, published="2025-03-10", locale=locale)
    assert [(f.text, f.as_of) for f in facts if f.kind == "date"] == want


@pytest.mark.parametrize("text, want", [
    ("第一年收益233美元,第二年收益932美元", []),
    ("公司次年营收增长8%", []),
    ("公司2020年上市,次年营收增长8%", [("2020年", "2020"), ("次年", "2021")]),
    ("上市首日该股上涨30%", []),
    ("公司于2025年3月3日上市,首日股价上涨30%", [("2025年3月3日", "2025-03-03"), ("首日", "2025-03-03")]),
])
def test_plan_years_and_first_days_are_dates_only_after_the_date_they_count_from(text, want):
    facts = zf.extract_text(text, published="2025-05-20")
    assert [(f.text, f.as_of) for f in facts if f.kind == "date"] == want


def test_nian_nei_scopes_its_own_clause_only():
    facts = zf.extract_text("截至4月18日收盘,该股报88.5港元,年内累计上涨约35%,总市值约960亿港元。", published="2025-04-20")
    assert [(f.text, f.as_of) for f in facts if f.kind != "date"] == [
        ("88.5港元", "2025-04-18"), ("约35%", "2025"), ("约960亿港元", "2025-04-18")]
