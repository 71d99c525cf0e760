"""Long texts are scanned piece by piece (engine/pieces.py); the facts are
the same as with one scan, whatever the piece size."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

import zhipu_facts as zf
from zhipu_facts.engine import pieces as pieces_module
from zhipu_facts.engine.pieces import groups_within, pieces


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="公司营收3亿元。,\n12", max_size=400), st.integers(5, 60))
def test_pieces_cover_the_text_within_the_size(text, size):
    spans = pieces(text, size=size)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b or len(text) == 0 for a, b in spans)
    assert all(x[1] == y[0] for x, y in pairwise(spans))
    assert all(b - a <= size for a, b in spans)


def test_pieces_end_after_a_line_break_else_a_sentence_else_a_clause_else_outside_a_numeral():
    assert pieces("甲乙\n丙丁\n戊己", size=4) == [(0, 3), (3, 6), (6, 8)]
    assert pieces("甲。乙丙丁戊", size=4) == [(0, 2), (2, 6)]
    assert pieces("甲乙,丙丁戊己", size=4) == [(0, 3), (3, 7)]
    text = "营收为12345亿元增长"
    spans = pieces(text, size=8)
    # before the number, never inside it nor between it and 元
    assert any("12345亿元" in text[a:b] for a, b in spans)


def test_groups_within_keep_order_and_size():
    spans = [(0, 3), (10, 14), (20, 21), (30, 40)]
    assert groups_within(spans, size=10) == [[(0, 3), (10, 14)], [(20, 21)], [(30, 40)]]


def _rows(text, **kw):
    return [f.row() for f in zf.extract_text(text, published="2025-07-29", **kw)]


@pytest.mark.parametrize("size", [1_000, 7_919])
def test_the_same_facts_whatever_the_piece_size(monkeypatch, size):
    bodies = [re.sub(r"\A---\n.*?\n---\n", "", p.read_text(encoding="utf-8"), flags=re.DOTALL)
              for p in sorted(SEEDS.glob("00[34]_*.txt"))]
    long_article = "\n".join(bodies * 4)
    dense_line = "公司营收30亿元,净利润增长5%,同比下降3个百分点," * 300  # one sentence, longer than a piece
    whole = [_rows(long_article), _rows(dense_line)]
    monkeypatch.setattr(pieces_module, "PIECE", size)
    assert [_rows(long_article), _rows(dense_line)] == whole
