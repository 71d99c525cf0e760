"""A bounded run of the inserted-character class of `make fuzz`: an invisible
or space character put inside a number of a seed sentence gives no number
the sentence did not state (tests/fuzz.py runs 100,000s of them)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from fuzz_news import INSERTED, check_inserted, inside_number, numbers, realistic_sentences

from zhipu_facts import shipped_rules


def test_characters_inserted_inside_numbers_never_make_another_number():
    rules = shipped_rules()
    rng = random.Random(11)
    sentences = realistic_sentences()
    assert len(sentences) > 50
    for _ in range(150):
        sentence = rng.choice(sentences)
        inside = [i for i in range(len(sentence) + 1) if inside_number(sentence, i)]
        if not inside:
            continue
        at = rng.choice(inside)
        check_inserted(sentence, at, rng.choice(INSERTED), "2025-02-11", rules,
                       numbers(sentence, "2025-02-11", rules))


def test_inside_number_means_between_a_numbers_characters():
    text = "营收1,234.5亿元,下降-3%"
    assert [text[i - 1:i + 1] for i in range(len(text) + 1) if inside_number(text, i)] == [
        "1,", ",2", "23", "34", "4.", ".5", "-3"]


def test_the_inserted_characters_fuzzing_found_stay_fixed():
    path = Path(__file__).with_name("fuzz_inserted.jsonl")
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    for case in cases:
        check_inserted(case["sentence"], case["at"], case["char"], case["published"])
