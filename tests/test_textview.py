"""The offset map behind every fact's start and end: deletions composed any
number of times must map each view character back to the same source character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhipu_facts.core.textview import UNREADABLE, TextView, hide_broken_numbers, invisible_in, invisible_spans

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1])), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="智谱融资30亿元,。**()", min_size=0, max_size=60), spans, spans)
def test_every_view_character_maps_back(source, first, second):
    view = TextView(source).without(first)
    view = view.without([(min(a, len(view.text)), min(b, len(view.text))) for a, b in second])
    for i, ch in enumerate(view.text):
        assert source[view.to_source(i)] == ch
        assert view.to_source_end(i + 1) == view.to_source(i) + 1
    # A span is contiguous exactly when its source slice is the view slice.
    for a in range(len(view.text)):
        for b in range(a + 1, min(len(view.text), a + 6) + 1):
            s, e = view.span_to_source(a, b)
            assert view.is_contiguous(a, b) == (source[s:e] == view.text[a:b] and e - s == b - a)


def test_markup_split_is_not_contiguous():
    source = "增长了**100%**以上"
    view = TextView(source).without([(3, 5), (9, 11)])
    assert view.text == "增长了100%以上"
    assert view.is_contiguous(3, 7) and not view.is_contiguous(3, 9)
    assert source[slice(*view.span_to_source(3, 7))] == "100%"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="营收3.0,亿元-\u200e\u202e\u00ad\u0301\u200b ", min_size=0, max_size=40))
def test_a_view_without_invisible_characters_maps_back_and_holds_none(source):
    view = TextView(source).without(invisible_spans(source))
    assert invisible_in(view.text) == 0
    assert len(source) - len(view.text) == invisible_in(source)
    for i, ch in enumerate(view.text):
        assert source[view.to_source(i)] == ch


def test_combining_marks_are_invisible_on_numbers_only():
    assert invisible_in("3\u03010亿元") == 1 and invisible_in("-\u03013") == 1
    assert invisible_in("wa\u030cng") == 0  # pinyin written with a combining caron keeps it


def test_a_number_with_a_space_inside_is_unreadable_and_keeps_its_length():
    for text, hidden in [("营收3 0亿元", "3 0"), ("营收1, 234万元", "1, 234"), ("营收1 ,234万元", "1 ,234"),
                         ("营收12. 5亿元", "12. 5"), ("1 000 000元", "1 000 000")]:
        out = hide_broken_numbers(text)
        assert len(out) == len(text)
        at = text.index(hidden)
        assert out[at:at + len(hidden)] == "".join(" " if c == " " else UNREADABLE for c in hidden)
    for kept in ["Q1 2025营收3亿元", "2025-12-24 13:38:59", "分别为1, 2, 3亿元", "增长12%, 3亿元"]:
        assert hide_broken_numbers(kept) == kept
