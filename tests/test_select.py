"""select(): the longest candidate wins, then the higher priority, then the
earlier start; no two chosen candidates overlap. Held to the rule stated
step by step (every pair checked), on generated candidates."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from zhipu_facts.engine.match import select
from zhipu_facts.fact import Candidate


def _plain_select(candidates):
    ranked = sorted(candidates, key=lambda c: (-c.length, -c.rule.priority, c.start, c.rule.id))
    chosen = []
    for c in ranked:
        if all(c.end <= d.start or d.end <= c.start for d in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12), st.integers(0, 3), st.sampled_from("abc")),
                 max_size=40)


@settings(max_examples=300, deadline=None)
@given(spans)
def test_select_is_the_rule_stated_plainly(raw):
    candidates = [Candidate(SimpleNamespace(priority=p, id=f"r.{name}"), s, s + n, None) for s, n, p, name in raw]
    assert [(c.start, c.end, c.rule.id) for c in select(candidates)] == \
           [(c.start, c.end, c.rule.id) for c in _plain_select(candidates)]


def test_adjacent_candidates_both_win_and_nested_ones_lose():
    rule = SimpleNamespace(priority=1, id="r.x")
    a, b, inner = Candidate(rule, 0, 4, None), Candidate(rule, 4, 6, None), Candidate(rule, 1, 3, None)
    assert select([inner, b, a]) == [a, b]
    assert select([]) == []
