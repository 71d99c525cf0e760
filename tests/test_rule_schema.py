"""Rule and lexicon files against their declared schema (engine/rule_schema.py):
every wrong type or unknown key is one message of one form, with the file
and the line of the key, all of them at once, and no traceback."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.engine.rule_schema import ENTRY_FIELDS, RuleSpec, lexicon_model, problems_of
from zhipu_facts.engine.rules import RuleError, load_rules

from conftest import ROOT

runner = CliRunner()


def _write(folder, relative: str, body: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body), encoding="utf-8")


def _problems(folder) -> list[str]:
    with pytest.raises(RuleError) as e:
        load_rules([folder])
    return [str(p) for p in e.value.problems]


def test_every_shipped_file_fits_the_schema_and_every_shipped_lexicon_is_declared():
    for path in sorted((ROOT / "rules").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.parent.name == "lexicon":
            if "lexicon" in data:
                assert data["lexicon"] in ENTRY_FIELDS, f"declare the fields of {path.name} in ENTRY_FIELDS"
                assert problems_of(lexicon_model(data["lexicon"]), data) == [], path
        else:
            for rule in data["rules"]:
                assert problems_of(RuleSpec, rule) == [], rule["id"]


def test_a_rule_file_gets_one_message_per_problem_at_the_line_of_its_key(tmp_path):
    _write(tmp_path, "money/baht.yaml", """\
        rules:
          - id: money.baht.a
            kind: money
            pattern: '(?P<amount>{AMOUNT})(?P<cur>泰铢)'
            priority: high
            examples:
              - text: 该项目总投资达5亿泰铢
                span: 5亿泰铢
                vaule: 500000000
            negatives: [泰铢汇率近期波动较大]
          - id: money.baht.b
            kind: money
            pattern: '(?P<amount>{AMOUNT})(?P<cur>泰铢)'
            max_line: 0
            examples:
              - {text: 他花了5泰铢, span: 5泰铢, published: 2月30日}
            negatives:
              - allow: [5泰铢]
        """)
    file = tmp_path / "money" / "baht.yaml"
    assert _problems(tmp_path) == [
        f"{file}:5 [money.baht.a]: priority must be a whole number (higher wins among matches of one length), "
        "got 'high'",
        f"{file}:9 [money.baht.a]: unknown key `examples[0].vaule`; allowed: text, span, published, clean, flags, "
        "value, low, high, qualifier, unit, per, change, basis, as_of, metric, subject",
        f"{file}:14 [money.baht.b]: max_line must be a whole number of lines, 1 or more, got 0",
        f"{file}:16 [money.baht.b]: examples[0].published must be a date YYYY-MM-DD, got '2月30日'",
        f"{file}:18 [money.baht.b]: negatives[0] needs `text`: a sentence that must give no fact of the rule's kind",
    ]


def test_a_lexicon_gets_the_same_messages_for_its_entries_and_examples(tmp_path):
    _write(tmp_path, "lexicon/metrics.yaml", """\
        lexicon: metrics
        entries:
          - key: labor_cost
            kinds: money
            words: [人力成本]
          - words: [人工成本]
          - key: rd_headcount
            rated: yes please
          - key: staff_cost
            words: 员工成本
            of_issuer: true
        examples:
          - text: 公司去年人力成本为5亿元
            metric: labor_cost
        """)
    _write(tmp_path, "lexicon/fragments.yaml", """\
        fragments:
          baht: 泰铢
        """)
    file, fragments = tmp_path / "lexicon" / "metrics.yaml", tmp_path / "lexicon" / "fragments.yaml"
    assert _problems(tmp_path) == [
        f"{fragments}:2: fragments: the name 'baht' must be UPPER_CASE (A-Z, 0-9 and _, a letter first)",
        f"{file}:4: entries[0].kinds must be a list, got 'money'",
        f"{file}:6: entries[1] needs `key`: what the entry's words map to",
        f"{file}:8: entries[2].rated must be true or false, got 'yes please'",
        # a word where a list belongs would be read letter by letter; a flag is fine
        f"{file}:10: entries[3].words must be a list of words, or true or false for a flag (a shipped lexicon's "
        "field of another shape is declared in ENTRY_FIELDS, zhipu_facts/engine/rule_schema.py), got '员工成本'",
        f"{file}:13: examples[0] needs `span`: the exact text of the money or percent fact in `text`",
    ]


def test_a_plug_ins_own_lexicon_may_hold_single_values_and_mappings(tmp_path):
    _write(tmp_path, "lexicon/animals.yaml", """\
        lexicon: animals
        entries:
          - key: cattle
            words: [头牛, 牛]
            plural: true
            weights: {头: 1}
          - key: sheep
            words: [[只羊]]
        """)
    assert _problems(tmp_path) == [
        f"{tmp_path / 'lexicon' / 'animals.yaml'}:8: entries[1].words must be a list of words, a single value, "
        "or a mapping word: value, got [['只羊']]"]


def test_rules_check_prints_schema_problems_and_exits_2(tmp_path):
    _write(tmp_path, "quantity/stores.yaml", """\
        rules:
          - id: quantity.stores.a
            kind: quantity
            pattern: '(?P<amount>\\d+)(?P<counter>家)门店'
            trigger: ''
            examples: [{text: 新开50家门店, span: 50家}]
            negatives: [门店]
        """)
    result = runner.invoke(app, ["rules", "check", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"stores.yaml:5 [quantity.stores.a]: trigger must be a non-empty pattern (fact rules only), got ''" \
        in result.output
