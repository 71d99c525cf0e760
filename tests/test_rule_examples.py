"""Every example, negative and known miss of every shipped rule file.

Each case is its own test, named rule-id:what#n, and fails with the rule's
file, the example and what differed (no match, wrong span, wrong value,
extra fact).
"""

from __future__ import annotations

import pytest

from zhipu_facts.authoring.examples import run_examples
from zhipu_facts.engine.rules import load_rules

_RULES = load_rules()
_RESULTS = run_examples(_RULES)


@pytest.mark.parametrize("result", _RESULTS, ids=lambda r: f"{r.owner}:{r.what}#{r.index + 1}")
def test_rule_example(result):
    assert result.ok, str(result)


def test_every_rule_has_examples_and_negatives():
    for rule in _RULES.rules:
        assert rule.examples, f"{rule.id} has no examples"
        if rule.action != "byline":
            assert rule.negatives, f"{rule.id} has no negatives"


def test_examples_cover_both_scripts():
    texts = [r.text for r in _RESULTS]
    traditional = [t for t in texts if any(ch in t for ch in "億萬業務與為這")]
    assert len(traditional) >= 15, f"only {len(traditional)} examples in traditional script"
