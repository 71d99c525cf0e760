"""The kind registry and the load-time checks it drives: folders, groups, lexicons."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from zhipu_facts.engine.rules import RuleError, load_rules
from zhipu_facts.kinds import COMMON_GROUPS, KINDS, Kind

RULE = """rules:
  - id: {kind}.mine.a
    kind: {kind}
    pattern: '{pattern}'
    examples: [{{text: 估值已达200亿元以上, span: 200亿元以上}}]
"""


def _user_rules(tmp_path, kind: str, pattern: str, folder: str | None = None):
    d = tmp_path / "user" / (folder or kind)
    d.mkdir(parents=True)
    (d / "mine.yaml").write_text(RULE.format(kind=kind, pattern=pattern), encoding="utf-8")
    return tmp_path / "user"


def _problems(excinfo) -> str:
    return "\n".join(str(p) for p in excinfo.value.problems)


def test_every_rule_folder_is_a_registered_kind_or_clean():
    folders = {p.name for p in (ROOT / "rules").iterdir() if p.is_dir()} - {"lexicon", "clean"}
    assert folders == set(KINDS)


def test_unknown_rule_folder_is_an_error_not_skipped(tmp_path):
    user = _user_rules(tmp_path, "count", r"(?P<num>\d+)个", folder="count")
    with pytest.raises(RuleError) as e:
        load_rules([user])
    assert "unknown rule folder 'count'" in _problems(e)
    assert "count" in _problems(e) and ", ".join(KINDS) in _problems(e)


def test_misspelled_group_is_an_error_naming_file_line_and_rule(tmp_path):
    # qaul_post instead of qual_post would silently make 200亿元以上 exact.
    user = _user_rules(tmp_path, "money", r"(?P<amount>{AMOUNT})(?P<cur>{CUR})(?P<qaul_post>{QUAL_POST})")
    with pytest.raises(RuleError) as e:
        load_rules([user])
    text = _problems(e)
    assert "mine.yaml:2 [money.mine.a]: unknown groups ['qaul_post']" in text
    assert "qual_post" in text  # the message lists what the normalizer reads


def test_missing_required_group_is_an_error(tmp_path):
    user = _user_rules(tmp_path, "percent", r"\d+%")
    with pytest.raises(RuleError) as e:
        load_rules([user])
    assert "[percent.mine.a]: the percent normalizer needs a named group among ['num', 'word', 'share']" in _problems(e)


def test_clean_rules_are_checked_by_action(tmp_path):
    d = tmp_path / "user" / "clean"
    d.mkdir(parents=True)
    (d / "mine.yaml").write_text(
        "rules:\n"
        "  - id: clean.mine.by\n    kind: clean\n    action: byline\n"
        "    pattern: '(?P<year>\\d{4})年(?P<month>\\d+)月'\n    examples: [{text: x}]\n"
        "  - id: clean.mine.cut\n    kind: clean\n    action: delete\n"
        "    pattern: '(?P<keep>x)(?P<cut>y)'\n    examples: [{text: x}]\n", encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules([tmp_path / "user"])
    text = _problems(e)
    assert "[clean.mine.by]: a byline rule needs the group day, and month with year" in text
    assert "[clean.mine.cut]: unknown groups ['keep']" in text


def _shipped_copy(tmp_path):
    base = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", base)
    return base


def test_missing_lexicon_is_a_load_time_error(tmp_path):
    base = _shipped_copy(tmp_path)
    (base / "lexicon" / "grammar.yaml").unlink()
    with pytest.raises(RuleError) as e:
        load_rules(base=base)
    assert "missing lexicon 'grammar'" in _problems(e)


def test_missing_lexicon_field_is_a_load_time_error(tmp_path):
    base = _shipped_copy(tmp_path)
    path = base / "lexicon" / "grammar.yaml"
    text = path.read_text(encoding="utf-8").replace("respectively: [分别, 各自]", "other: [分别]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules(base=base)
    assert f"{path}: lexicon 'grammar' has no entry with the field 'respectively'" in _problems(e)


def test_metric_of_an_unknown_kind_is_an_error(tmp_path):
    d = tmp_path / "user" / "lexicon"
    d.mkdir(parents=True)
    (d / "metrics.yaml").write_text(
        "lexicon: metrics\nentries:\n  - key: headcount\n    kinds: [people]\n    words: [员工]\n",
        encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules([tmp_path / "user"])
    assert "metric 'headcount' names unknown kinds ['people']" in _problems(e)


def test_every_group_of_the_shipped_rules_is_known_to_its_kind(rules):
    for rule in rules.fact_rules:
        assert set(rule.compiled.groupindex) <= KINDS[rule.kind].known_groups, rule.id


def test_registry_traits():
    assert {"qual_post", "core"} <= COMMON_GROUPS
    for kind in KINDS.values():
        assert kind.required and all(set(need) <= kind.known_groups for need in kind.required)


def test_a_trait_that_refines_the_metric_needs_a_measured_kind():
    date = KINDS["date"]
    with pytest.raises(ValueError, match="only a measured kind"):
        Kind(date.name, date.normalize, date.required, date.groups, measured=False, counts=True)


def test_a_user_fragment_that_does_not_compile_is_named_with_its_file(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "fragments.yaml").write_text("fragments:\n  PCT_LIST_LEFT: '(?:\\d+[%]))+'\n",
                                                         encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules([tmp_path])
    text = str(e.value)
    assert f"{tmp_path / 'lexicon' / 'fragments.yaml'}" in text and "fragment PCT_LIST_LEFT does not compile" in text
