"""A user's lexicon laid over the shipped one of the same name (--rules DIR):
an entry adds, or re-maps, only what it names, in every lexicon alike."""

from __future__ import annotations

import textwrap

import pytest
from typer.testing import CliRunner

import zhipu_facts as zf
from zhipu_facts.cli import app
from zhipu_facts.engine.rules import load_rules

runner = CliRunner()


def _user_lexicon(tmp_path, name: str, body: str):
    folder = tmp_path / "mine"
    (folder / "lexicon").mkdir(parents=True, exist_ok=True)
    (folder / "lexicon" / f"{name}.yaml").write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


def _money_metrics(sentence: str, rules=None) -> list[tuple[str, str | None]]:
    return [(f.text, f.metric) for f in zf.extract_text(sentence, rules=rules) if f.kind in ("money", "quantity")]


def _entries(ruleset, lexicon: str) -> dict[str, dict]:
    return {e["key"]: {k: v for k, v in e.items() if k != "__file__"} for e in ruleset.lexicons[lexicon].entries}


def test_a_word_for_a_shipped_metric_adds_that_word_and_changes_nothing_else(tmp_path, rules):
    folder = _user_lexicon(tmp_path, "metrics", """\
        lexicon: metrics
        entries:
          - key: revenue
            kinds: [money]
            words: [进账]
        """)
    mine = load_rules([folder])
    assert _money_metrics("公司一季度进账3亿元") == [("3亿元", None)]
    assert _money_metrics("公司一季度进账3亿元", mine) == [("3亿元", "revenue")]
    # Every other shipped metric keeps all its fields, its kinds among them.
    shipped, laid = _entries(rules, "metrics"), _entries(mine, "metrics")
    assert laid.pop("revenue") == {**shipped.pop("revenue"), "words": [*shipped_words(rules, "revenue"), "进账"]}
    assert laid == shipped
    assert _money_metrics("截至3月26日收盘,泡泡玛特股价报162.7港元", mine) == [("162.7港元", "share_price")]
    assert _money_metrics("成立以来公司已完成11轮融资", mine) == [("11轮", "financing_rounds")]


def shipped_words(ruleset, key: str) -> list[str]:
    return next(e["words"] for e in ruleset.lexicons["metrics"].entries if e["key"] == key)


def test_a_new_metric_is_appended_and_the_shipped_ones_stay(tmp_path, rules):
    folder = _user_lexicon(tmp_path, "metrics", """\
        lexicon: metrics
        entries:
          - key: labor_cost
            kinds: [money]
            words: [人力成本, 人工成本]
        """)
    mine = load_rules([folder])
    assert _money_metrics("公司去年人力成本为5.2亿元,营收30亿元", mine) == [("5.2亿元", "labor_cost"), ("30亿元", "revenue")]
    laid = _entries(mine, "metrics")
    assert laid.pop("labor_cost") == {"key": "labor_cost", "kinds": ["money"], "words": ["人力成本", "人工成本"]}
    assert laid == _entries(rules, "metrics")


def test_a_word_moved_to_a_new_metric_leaves_the_metrics_of_other_kinds(tmp_path):
    # 融资 names financing (money) and financing_rounds (counted rounds): a
    # money metric that takes it takes it from financing only.
    folder = _user_lexicon(tmp_path, "metrics", """\
        lexicon: metrics
        entries:
          - key: equity_financing
            kinds: [money]
            words: [融资]
        """)
    mine = load_rules([folder])
    assert _money_metrics("去年年底,公司完成了30亿元融资", mine) == [("30亿元", "equity_financing")]
    assert _money_metrics("成立以来公司已完成11轮融资", mine) == [("11轮", "financing_rounds")]
    financing = _entries(mine, "metrics")["financing"]
    assert "融资" not in financing["words"] and financing["kinds"] == ["money"]


def test_rules_check_blames_the_file_that_holds_each_failing_example(tmp_path):
    # Taking 估值 from valuation breaks the shipped lexicon's valuation
    # examples (blamed on the shipped file); the user's own example fails in
    # the user's file, counted from its first example.
    folder = _user_lexicon(tmp_path, "metrics", """\
        lexicon: metrics
        entries:
          - key: market_value
            kinds: [money]
            words: [估值]
        examples:
          - text: 公司去年人力成本为5亿元
            span: 5亿元
            metric: labor_cost
        """)
    result = runner.invoke(app, ["rules", "check", str(folder)])
    assert result.exit_code == 1
    failures = [line for line in result.output.splitlines() if line.startswith("fail:")]
    shipped = [f for f in failures if "rules/lexicon/metrics.yaml [lexicon:metrics]" in f]
    users = [f for f in failures if str(folder / "lexicon" / "metrics.yaml") in f]
    assert shipped and all("expected 'valuation', got 'market_value'" in f for f in shipped)
    assert len(users) == 1 and "example #1 '公司去年人力成本为5亿元'" in users[0]
    assert len(shipped) + len(users) == len(failures)


def test_an_alias_for_a_shipped_company_keeps_its_other_aliases(tmp_path, rules):
    folder = _user_lexicon(tmp_path, "entities", """\
        lexicon: entities
        entries:
          - key: 智谱
            aliases: [智谱开放平台]
          - key: 月之暗面
            aliases: [月之暗面, Kimi]
        """)
    mine = load_rules([folder])
    subjects = [f.subject for f in zf.extract_text("智谱开放平台去年营收3亿元;智谱AI今年营收5亿元;Kimi营收1亿元", rules=mine)
                if f.kind == "money"]
    assert subjects == ["智谱", "智谱", "月之暗面"]
    zhipu = _entries(mine, "entities")["智谱"]["aliases"]
    assert zhipu == [*_entries(rules, "entities")["智谱"]["aliases"], "智谱开放平台"]


def test_a_name_for_a_shipped_currency_keeps_its_other_names(tmp_path, rules):
    folder = _user_lexicon(tmp_path, "money", """\
        lexicon: currencies
        entries:
          - key: CNY
            names: [软妹币]
        """)
    mine = load_rules([folder])
    units = [(f.text, f.unit) for f in zf.extract_text("他花了500软妹币,又付了300元和人民币200", rules=mine)
             if f.kind == "money"]
    assert units == [("500软妹币", "CNY"), ("300元", "CNY"), ("人民币200", "CNY")]
    laid, shipped = _entries(mine, "currencies"), _entries(rules, "currencies")
    assert laid.pop("CNY")["names"] == [*shipped.pop("CNY")["names"], "软妹币"]
    assert laid == shipped


@pytest.mark.parametrize("lexicon,key,field,words", [
    ("locales", "zh-HK", "cues", ["高等法院", "差饷物业估价署"]),
    ("quantities", "users", "nouns", ["玩家"]),
    ("grammar", "rating", "rating_verb", ["上调至"]),
])
def test_every_lexicon_is_laid_over_by_the_same_rule(tmp_path, rules, lexicon, key, field, words):
    """The entry named gains the words it lists that it lacked; no other
    entry changes (高等法院 is a cue of Taiwan too: cues are shared, never
    re-mapped)."""
    body = f"lexicon: {lexicon}\nentries:\n  - key: {key}\n    {field}: [{', '.join(words)}]\n"
    mine = load_rules([_user_lexicon(tmp_path, lexicon, body)])
    laid, shipped = _entries(mine, lexicon), _entries(rules, lexicon)
    before = shipped.pop(key)
    assert laid.pop(key) == {**before, field: before[field] + [w for w in words if w not in before[field]]}
    assert laid == shipped
