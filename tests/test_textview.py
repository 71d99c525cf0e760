"""The offset map behind every fact's start and end: deletions composed any
number of times must map each view character back to the same source character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhipu_facts.core.textview import TextView

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
