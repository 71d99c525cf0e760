"""A kind and an enrichment stage added from outside the package, each in
one declaration and one registration: no package file is edited. The toy
kind reads its own lexicon through its Words; the toy stage fills a column
it declares."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhipu_facts import enrich, kinds
from zhipu_facts.columns import Column
from zhipu_facts.engine.rules import RuleError, load_rules
from zhipu_facts.enrich import Stage
from zhipu_facts.fact import Candidate, Fact, Value, register_column, unregister_column
from zhipu_facts.kinds import Context, Kind
from zhipu_facts.pipeline import StageError, analyze
from zhipu_facts.table.schema import SCHEMA, to_rows
from zhipu_facts.vocabulary import Lexicons, Words

LEXICON = """lexicon: animals
fragments: {ANIMAL: words}
entries:
  - {key: panda, words: [熊猫, 大熊猫]}
  - {key: tiger, words: [老虎]}
"""
RULE = """rules:
  - id: herd.count.animals
    kind: herd
    pattern: '(?P<n>\\d+)只(?P<animal>{ANIMAL})'
    examples: [{text: 园内共有12只大熊猫, span: 12只大熊猫}]
"""


class AnimalWords:
    def __init__(self, lex: Lexicons):
        self.animal = lex["animals"].lookup("words")


def normalize_herd(c: Candidate, ctx: Context) -> Value | None:
    n = Decimal(c.group("n"))
    return Value("herd", n, n, n, unit=ctx.vocab.animals.animal[c.group("animal")])


HERD = Kind("herd", normalize_herd, required=(("n",),), groups=frozenset({"n", "animal"}), measured=False,
            words=(Words("animals", {"animals": ("words",)}, AnimalWords),))


def score_herds(facts: list[Fact], cleaned, rules) -> None:
    for f in facts:
        if f.kind == "herd":
            f.herd_size = float(f.value) * 10


SCORE = Stage("herd size", score_herds, frozenset({"herd_size"}))
HERD_SIZE = Column("herd_size", "float64", True, ("herd size",))


@pytest.fixture
def toy_rules(tmp_path, monkeypatch):
    monkeypatch.setenv("ZFACTS_CACHE", "off")
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "animals.yaml").write_text(LEXICON, encoding="utf-8")
    (tmp_path / "herd").mkdir()
    (tmp_path / "herd" / "count.yaml").write_text(RULE, encoding="utf-8")
    kinds.register(HERD)
    register_column(HERD_SIZE)
    enrich.register(SCORE)
    try:
        yield load_rules([tmp_path])
    finally:
        enrich.unregister(SCORE.name)
        unregister_column(HERD_SIZE.name)
        kinds.unregister(HERD.name)


def test_a_toy_kind_and_stage_make_facts_and_a_column(toy_rules):
    facts = analyze("动物园2024年新增3只大熊猫和2只老虎，门票收入增长20%。", toy_rules, check_stages=True).facts
    herds = [f.row() for f in facts if f.kind == "herd"]
    assert [(r["text"], r["value"], r["unit"], r["herd_size"]) for r in herds] == [
        ("3只大熊猫", 3.0, "panda", 30.0), ("2只老虎", 2.0, "tiger", 20.0)]
    other = next(f for f in facts if f.kind == "percent")
    assert other.row()["herd_size"] is None  # the column's default where the stage set nothing
    rows = to_rows(facts)
    assert list(rows[0]) == [*SCHEMA.names, "herd_size"]


def test_a_toy_kind_without_its_lexicon_is_a_rule_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ZFACTS_CACHE", "off")
    (tmp_path / "herd").mkdir()
    (tmp_path / "herd" / "count.yaml").write_text(RULE.replace("{ANIMAL}", "熊猫"), encoding="utf-8")
    kinds.register(HERD)
    try:
        with pytest.raises(RuleError) as e:
            load_rules([tmp_path])
    finally:
        kinds.unregister(HERD.name)
    assert "missing lexicon 'animals'" in str(e.value)


def test_a_stage_filling_an_undeclared_column_is_refused():
    with pytest.raises(ValueError, match="no declared column"):
        enrich.register(Stage("stray", score_herds, frozenset({"herd_size"})))


def test_a_stage_setting_a_column_it_does_not_name_fails_the_stage_check(toy_rules):
    enrich.unregister(SCORE.name)
    enrich.register(Stage("herd size", score_herds, frozenset()))
    with pytest.raises(StageError, match="herd_size"):
        analyze("园内共有12只大熊猫。", toy_rules, check_stages=True)
