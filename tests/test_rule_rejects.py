"""User rules that `rules check` rejects by file and line, and that `extract`
therefore never starts with: both load the rules the same way, so a rule set
check would refuse stops extract before any article is read (exit 2, the
same message, nothing written, no traceback)."""

from __future__ import annotations

import textwrap

import pytest
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.engine.rule_checks import group_language

runner = CliRunner()


def _rules(tmp_path, body: str, kind: str = "money", encoding: str = "utf-8"):
    folder = tmp_path / "mine"
    (folder / kind).mkdir(parents=True)
    (folder / kind / "extra.yaml").write_bytes(textwrap.dedent(body).encode(encoding))
    return folder


def _refused(tmp_path, folder, message: str, line: int) -> None:
    """check and extract both stop on the rule folder with the message at
    file:line; extract writes nothing."""
    article = tmp_path / "a.txt"
    article.write_text("公司以5亿缅元收购当地工厂。智谱去年营收3亿元。", encoding="utf-8")
    out = tmp_path / "f.csv"
    where = f"{folder / next(p.name for p in folder.iterdir()) / 'extra.yaml'}:{line}"
    for args in (["rules", "check", str(folder)], ["extract", str(article), "--rules", str(folder), "-o", str(out)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert where in result.output and message in result.output, result.output
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()


@pytest.mark.parametrize("pattern", [
    r"(?P<amount>\d*)(?P<cur>缅元)?",  # every part optional
    r"(?:(?P<amount>\d+)(?P<cur>缅元))?",  # the whole optional
    r"(?<=以)(?P<amount>\d*)(?:亿)?(?P<cur>缅元)?",  # empty only after 以, as in its own example
])
def test_a_pattern_that_can_match_no_text_is_refused(tmp_path, pattern):
    folder = _rules(tmp_path, f"""\
        rules:
          - id: money.extra.baht
            kind: money
            pattern: '{pattern}'
            examples: [{{text: 公司以5亿缅元收购当地工厂, span: 5亿缅元}}]
            negatives: [缅元汇率近期波动较大]
        """)
    _refused(tmp_path, folder, "[money.extra.baht]: the pattern matches no text", 2)


def test_a_currency_group_with_a_word_no_lexicon_lists_is_refused(tmp_path):
    folder = _rules(tmp_path, """\
        rules:
          - id: money.extra.baht
            kind: money
            pattern: '(?P<amount>{AMOUNT})(?P<cur>元|缅元)'
            examples: [{text: 公司以5亿缅元收购当地工厂, span: 5亿缅元}]
            negatives: [缅元汇率近期波动较大]
        """)
    _refused(tmp_path, folder, "the group cur can capture 缅元, which lexicon/currencies.yaml does not list", 2)


def test_a_currency_group_of_no_finite_list_is_judged_on_its_examples(tmp_path):
    # \p{Han}{1,2} is no list of words: its own example shows it capturing 缅元.
    folder = _rules(tmp_path, r"""
        rules:
          - id: money.extra.any
            kind: money
            pattern: '(?P<amount>\d+)(?P<cur>\p{Han}{1,2}?)(?=收购)'
            examples: [{text: 公司以5缅元收购当地工厂, span: 5缅元}]
            negatives: [缅元汇率近期波动较大]
        """)
    _refused(tmp_path, folder, "the group cur can capture 缅元", 3)


def test_the_same_group_is_accepted_once_the_lexicon_has_the_word(tmp_path):
    folder = _rules(tmp_path, """\
        rules:
          - id: money.extra.baht
            kind: money
            pattern: '(?P<amount>{AMOUNT})(?P<cur>缅元|铢)'
            examples: [{text: 公司以5亿缅元收购当地工厂, span: 5亿缅元, unit: THB}]
            negatives: [缅元汇率近期波动较大]
        """)
    (folder / "lexicon").mkdir()
    (folder / "lexicon" / "thb.yaml").write_text(
        "lexicon: currencies\nentries:\n  - key: THB\n    names: [缅元, 铢]\n", encoding="utf-8")
    out = tmp_path / "f.csv"
    article = tmp_path / "a.txt"
    article.write_text("公司以5亿缅元收购当地工厂。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--rules", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert ",5亿缅元,500000000," in out.read_text(encoding="utf-8") and "THB" in out.read_text(encoding="utf-8")


def test_a_rule_file_in_gbk_is_refused_at_its_first_chinese_line(tmp_path):
    folder = _rules(tmp_path, """\
        rules:
          - id: money.extra.baht
            kind: money
            pattern: '(?P<amount>{AMOUNT})(?P<cur>缅元)'
            examples: [{text: 公司以5亿缅元收购当地工厂, span: 5亿缅元}]
            negatives: [缅元汇率近期波动较大]
        """, encoding="gbk")
    _refused(tmp_path, folder, "it reads as GB18030: save it as UTF-8", 4)


def test_a_gbk_file_whose_bytes_happen_to_be_utf8_is_refused_too(tmp_path):
    # 元 in GBK is D4 AA, which UTF-8 reads as Ԫ: the file decodes, the rule
    # would capture Ԫ as a currency.
    folder = _rules(tmp_path, """\
        rules:
          - id: money.extra.yuan
            kind: money
            pattern: '(?P<amount>\\d+)(?P<cur>元)'
            examples: [{text: 5元, span: 5元}]
            negatives: [x]
        """, encoding="gbk")
    _refused(tmp_path, folder, "not UTF-8 but GB18030 (GBK) that happens to decode as UTF-8: 'ԪԪԪ' reads as '元元元'", 4)


@pytest.mark.parametrize("source,group,words", [
    (r"(?P<cur>元|缅元)", "cur", {"元", "缅元"}),
    (r"(?P<cur>[美港]元)(?=\d)", "cur", {"美元", "港元"}),
    (r"(?P<cur>(?=[美日])(?:美元|日元)(?<=元))", "cur", {"美元", "日元"}),
    (r"(?P<cur>元{1,2})", "cur", {"元", "元元"}),
    (r"\d+(?P<cur>\p{Han})", "cur", None),
    (r"(?P<cur>.元)", "cur", None),
    (r"(?P<cur>[^元])", "cur", None),
])
def test_the_words_a_group_can_capture(source, group, words):
    assert group_language(source, group) == words
