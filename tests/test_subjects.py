"""Whose number it is, for companies no list knows, and which trigger decided a metric."""

from __future__ import annotations

import textwrap

from typer.testing import CliRunner

import zhipu_facts as zf
from zhipu_facts.api import shipped_rules
from zhipu_facts.cli import app
from zhipu_facts.engine.rules import load_rules
from zhipu_facts.enrich.entities import find_entities, lead_of

runner = CliRunner()


def entities(text: str) -> dict[str, set[str]]:
    vocab = shipped_rules().vocab
    return {e.key: e.aliases for e in find_entities(text, vocab.entities)}


def subjects(text: str, **kw) -> dict[str, str | None]:
    return {f.text: f.subject for f in zf.extract_text(text, published="2025-04-30", **kw) if f.kind != "date"}


def test_full_names_short_names_and_stock_codes_make_one_entity_table():
    table = entities("上交所官网显示，苏州华锐精密机床股份有限公司（以下简称“华锐精机”）科创板IPO申请获受理。"
                     "同日，晶圆代工厂联电（2303）公布营收。")
    assert table == {"华锐精机": {"华锐精机", "苏州华锐精密机床", "苏州华锐精密机床股份有限公司"},
                     "联电": {"联电", "2303"}}


def test_names_are_never_function_words_years_or_pieces_of_other_names():
    assert entities("公司主体改制为股份公司，年报（2024）显示营收增长。") == {}
    assert "和记" in entities("据悉，和记黄埔有限公司（以下简称“和记”）去年营收增长5%。")
    # a full name that holds a known company's name is that company
    assert set(entities("公告显示，深圳市腾讯计算机系统有限公司拟出资3亿元。")) == {"腾讯"}


def test_the_lead_entity_is_the_headline_then_the_first_full_name():
    vocab = shipped_rules().vocab
    text = "宁德时代：一季度净利润同比增长32.85%\n公司与上海某某材料有限公司签约，金额为2亿元。"
    assert lead_of(find_entities(text, vocab.entities)) == "宁德时代"
    text = "关于回购股份的公告\n海天味业股份有限公司董事会保证本公告内容真实。回购资金总额不超过10亿元。"
    assert lead_of(find_entities(text, vocab.entities)) == "海天味业"


def test_a_bank_results_article_in_traditional_script():
    article = textwrap.dedent("""\
        滙豐控股(00005.HK)公布全年業績
        滙豐控股昨日公布，2024年除稅前利潤為324億美元，按年增長6.5%。
        該集團董事會宣派第四次股息每股0.36美元，並宣布進行最多20億美元的股份回購。
        作為對比，香港銀行業平均水平的成本收入比約為45%。
        """)
    got = subjects(article)
    assert got["324億美元"] == "汇丰控股" and got["每股0.36美元"] == "汇丰控股" and got["最多20億美元"] == "汇丰控股"
    assert got["約為45%"] is None


def test_a_manufacturer_ipo_and_an_investor_in_one_sentence():
    article = ("江苏恒达精密制造股份有限公司（以下简称“恒达精密”）今日披露招股书，拟募集资金18亿元。"
               "此前，某产业基金宣布战略投资恒达精密，金额为3亿元。"
               "公司2024年营业收入为26.5亿元，同比增长12.4%。")
    got = subjects(article)
    assert got == {"18亿元": "恒达精密", "3亿元": "恒达精密", "26.5亿元": "恒达精密", "12.4%": "恒达精密"}


def test_compare_finds_groups_for_companies_in_no_list(tmp_path):
    a = tmp_path / "2025-04-29-a.txt"
    b = tmp_path / "2025-04-30-b.txt"
    a.write_text("恒达精密（301288）公布年报\n恒达精密2024年营业收入为26.5亿元，净利润为3.1亿元。\n", encoding="utf-8")
    b.write_text("恒達精密(301288)年報：\n2024年營業收入26.5億元，淨利潤3.07億元。\n", encoding="utf-8")
    table = tmp_path / "facts.csv"
    assert runner.invoke(app, ["extract", str(a), str(b), "-o", str(table)]).exit_code == 0
    out = tmp_path / "cmp.csv"
    assert runner.invoke(app, ["compare", str(table), "-o", str(out)]).exit_code == 0
    import pandas as pd

    cmp = pd.read_csv(out, dtype=str)
    agree = cmp[cmp["status"] == "agree"]
    assert set(agree["subject"]) == {"恒达精密"} and set(agree["metric"]) == {"revenue", "net_profit"}


def test_a_user_lexicon_remaps_a_trigger_and_explain_names_its_file(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "metrics.yaml").write_text(textwrap.dedent("""\
        lexicon: metrics
        entries:
          - key: contract_value
            kinds: [money]
            words: [新签订单]
        """), encoding="utf-8")
    sentence = "公司一季度新签订单5.2亿元"
    assert [f.metric for f in zf.extract_text(sentence) if f.kind == "money"] == ["order_backlog"]
    mine = load_rules([tmp_path])
    assert [f.metric for f in zf.extract_text(sentence, rules=mine) if f.kind == "money"] == ["contract_value"]
    shown = runner.invoke(app, ["explain", sentence, "--rules", str(tmp_path)]).output
    assert "metric: trigger '新签订单'" in shown and str(tmp_path / "lexicon" / "metrics.yaml") in shown


def test_explain_says_where_the_subject_came_from():
    shown = runner.invoke(app, ["explain", "比亚迪（002594.SZ）发布年报。公司全年营业收入7771亿元"]).output
    assert "subject: the article's main entity (its headline or first full name)" in shown
    shown = runner.invoke(app, ["explain", "智谱去年营收3亿元"]).output
    assert "subject: '智谱' from the entity list" in shown


def test_metric_and_subject_accuracy_on_companies_in_no_list():
    from meaning_eval import scores

    tally, misses = scores()
    for name, (right, total) in tally.items():
        assert total >= 120 and right / total >= 0.95, (name, right, total, misses)
