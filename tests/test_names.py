"""Subjects are names an analyst would write down (issue: whose number):
not a column label, not a legal name where the article gives the short one,
not a fragment opening with a measure word or a descriptor."""

from __future__ import annotations

import zhipu_facts as zf


def _subjects(text: str, published: str = "2025-05-08") -> dict[str, str | None]:
    return {f.text: f.subject for f in zf.extract_text(text, published=published) if f.kind != "date"}


def test_a_column_label_before_a_colon_is_no_company():
    wrap = ("港股收评：恒指跌去218点 科指微挫0.6%\n\n"
            "5月8日，港股三大指数低开低走，恒生科技指数微挫0.6%，大市成交额2,168.7亿港元。")
    assert "港股收评" not in _subjects(wrap).values()
    weekly = "基金周報：偏股基金近六成上漲\n\n本週偏股型基金平均上漲1.2%。"
    assert "基金周报" not in _subjects(weekly).values()


def test_a_legal_name_before_its_code_gives_way_to_the_short_name_it_begins_with():
    flash = ("长江汽车一季度营收847亿元 归母净利润同比增长11.4%\n\n"
             "4月29日晚间，长江汽车集团股份有限公司（601977.SH）发布2025年第一季度报告。"
             "公司一季度实现营业收入847.05亿元，同比增长6.18%。")
    subjects = _subjects(flash, "2025-04-29")
    assert subjects["847.05亿元"] == "长江汽车"
    assert subjects["847亿元"] == "长江汽车"


def test_a_descriptor_or_a_measure_word_is_not_part_of_a_name():
    text = ("宏碩電子3月營收創新高\n\nPCB大廠宏碩電子今日公布3月營收新台幣52億元，月增12%。"
            "宏碩電子表示，第2季營運可望持續成長。")
    assert _subjects(text, "2025-04-10")["新台幣52億元"] == "宏硕电子"
    fund = "本周新成立9只新基金,其中7只新基金为偏股型,合计募集42亿元。"
    assert "只新基金" not in _subjects(fund, "2025-06-13").values()


def test_a_hong_kong_share_class_mark_names_a_company():
    wrap = ("港股收评：恒指跌去218点\n\n盘面上，大型科技股多数走低，阿里巴巴-W跌近2%，美团-W回吐3.1%，"
            "京东集团-SW微挫0.4%。")
    subjects = _subjects(wrap)
    assert (subjects["近2%"], subjects["3.1%"], subjects["0.4%"]) == ("阿里巴巴", "美团", "京东集团")


def test_a_brokers_target_price_is_about_the_company_it_rates():
    note = "大摩首予比亚迪“增持”评级，目标价为420港元，较现价有约15%上行空间。"
    assert _subjects(note)["420港元"] == "比亚迪"
    wrap = "小米集团-W逆市上扬2.55%，股价再创新高。高盛今日发布研报，将其目标价由52港元上调至58港元。"
    subjects = _subjects(wrap)
    assert subjects["58港元"] == subjects["52港元"] == "小米集团"
