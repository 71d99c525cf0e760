"""Adversarial lines whose cost grew faster than the text: measured by work
counted (timeouts hit, characters scanned), never by the clock."""

from __future__ import annotations

import pytest

import zhipu_facts as zf
from zhipu_facts.core.rule import RuleTimeout
from zhipu_facts.engine.rules import load_rules
from zhipu_facts.enrich import meaning


@pytest.mark.parametrize("unit", ["![", "[1](", "![a](", "[a](b", "[](", "[", "]("])
def test_a_line_of_20000_markup_openers_costs_no_timeout(unit):
    """Each try of the image and link rules scanned to the line's end: 20,000
    of them ran into the one-second timeout, and the facts after were lost."""
    (article,) = zf.extract_records([{"id": "spam", "text": unit * 20000 + "公司去年营收3亿元。\n智谱融资30亿元。"}])
    assert not [w for w in article.warnings if isinstance(w, RuleTimeout)], article.warnings
    assert [f.text for f in article.facts if f.kind == "money"] == ["3亿元", "30亿元"]


def test_markdown_images_and_links_are_still_cut(rules):
    from zhipu_facts.pipeline import analyze

    text = "![图](https://a.cn/x.png)据[界面新闻](https://j.cn/1.html)报道,公司营收3亿元"
    assert analyze(text, rules).cleaned.view.text == "据界面新闻报道,公司营收3亿元"


class _Counting:
    """A compiled pattern that adds up the characters each call may scan."""

    def __init__(self, pattern, tally: list[int]):
        self.pattern, self.tally = pattern, tally

    def _call(self, method, string, pos=0, endpos=None, **kw):
        end = len(string) if endpos is None else min(endpos, len(string))
        self.tally[0] += max(0, end - pos)
        return getattr(self.pattern, method)(string, pos, end, **kw)

    def search(self, *a, **kw):
        return self._call("search", *a, **kw)

    def match(self, *a, **kw):
        return self._call("match", *a, **kw)

    def finditer(self, *a, **kw):
        return self._call("finditer", *a, **kw)

    def __getattr__(self, name):
        return getattr(self.pattern, name)


def _is_pattern(value) -> bool:
    return hasattr(value, "finditer") and hasattr(value, "pattern") and not isinstance(value, _Counting)


@pytest.mark.parametrize("n", [500, 2000])
def test_one_sentence_of_n_amounts_is_scanned_a_bounded_number_of_times(monkeypatch, n):
    """和1亿元 x N in one sentence without a clause break: the meaning stage
    searched the sentence back from each amount to its start (clause, forecast
    words), N scans of the sentence (752 characters per character at N=500,
    3,003 at N=2,000); now each sentence's breaks are found once (5.2)."""
    rules = load_rules()
    tally = [0]
    for name, value in list(vars(rules.vocab.meaning).items()):
        if _is_pattern(value):
            monkeypatch.setattr(rules.vocab.meaning, name, _Counting(value, tally))
    for name in dir(meaning):
        if _is_pattern(getattr(meaning, name)):
            monkeypatch.setattr(meaning, name, _Counting(getattr(meaning, name), tally))
    text = "公司收入" + "和1亿元" * n + "。"
    facts = zf.extract_text(text, rules=rules)
    assert len(facts) == n and {f.metric for f in facts} == {"revenue"}
    assert tally[0] <= 20 * len(text), f"{tally[0] / len(text):.0f} characters scanned per character"


def test_the_first_forecast_word_of_a_clause_flags_only_the_figures_after_it():
    facts = zf.extract_text("公司去年营收3亿元、今年预计营收5亿元和利润1亿元;明年收入8亿元")
    assert [(f.text, "forecast" in f.flags) for f in facts if f.kind == "money"] == [
        ("3亿元", False), ("5亿元", True), ("1亿元", True), ("8亿元", False)]
