"""Sentence splitting: the spans the rules, periods and meaning stages share."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhipu_facts.ingest.clean import split_sentences


def reference(text: str) -> list[tuple[int, int]]:
    """The rule in plain steps: cut after 。!?; and at line breaks, trim
    spaces and line breaks at both ends, skip what is left empty."""
    spans, start = [], 0
    for i, ch in enumerate(text + "\n"):
        if ch in "。!?;\n":
            a, b = start, (i + 1 if ch != "\n" else i)
            while a < b and text[a] in " \n":
                a += 1
            while b > a and text[b - 1] in " \n":
                b -= 1
            if b > a:
                spans.append((a, b))
            start = i + 1
    return spans


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="智谱3.5亿元 。!?;\n", max_size=40))
def test_split_matches_the_plain_rule(text):
    assert split_sentences(text) == reference(text)


def test_split_news_text():
    text = "智谱估值达243.77亿元。 投后估值超过400亿元!\n  营收约3亿元 \n\n同比增长100%;毛利率50%"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "智谱估值达243.77亿元。", "投后估值超过400亿元!", "营收约3亿元", "同比增长100%;", "毛利率50%"]
