"""A bounded property test of the whole pipeline on generated news (`make fuzz` runs millions)."""

from __future__ import annotations

from fuzz_news import check, dates, news
from hypothesis import HealthCheck, given, settings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(text=news, published=dates)
def test_generated_news_keeps_every_invariant(text, published):
    check(text, published)


def _corpus():
    import json
    from pathlib import Path

    path = Path(__file__).with_name("fuzz_corpus.jsonl")
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_failures_fuzzing_found_stay_fixed():
    for case in _corpus():
        check(case["text"], case["published"])
