"""A view of a text with characters deleted, that maps every position back.

Rules match the cleaned view; facts must report offsets in the decoded source.
The view is stored as segments: each kept run of the source starts at a view
offset and a source offset, and within a run the two advance together.
Length-preserving changes (traditional -> simplified, full-width -> half-width)
never touch the map; only deletions do. `Spans` holds spans of a view (its
sentences) compactly.

Invisible characters are deleted from every view (`invisible_spans`):
format characters (Unicode Cf: zero-width spaces and joiners, LRM, RLM,
bidi embeddings, overrides and isolates, the soft hyphen, the BOM) anywhere,
and combining marks where they sit on a number. A reader does not see
them, so `3<LRM>0亿元` is 30亿元 to the rules; a fact over one reports the
source as it is (`source_text[start:end] == text` holds, the character in
`text`). A visible space inside a number (`1,<NBSP>234`, `3 0`) is not
deleted: `broken_numbers` finds such numbers so the view can hide them
(no fact rather than 234万 or 0亿).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
import re
from collections.abc import Iterator, Sequence

import regex

from .numbers import MAGNITUDE_CHARS

#: Characters no reader sees: format characters anywhere (and the emoji
#: presentation selector and keycap mark a clean rule deletes too: 1️⃣),
#: combining marks on a digit, a sign, a currency sign or a number's separator (3́0).
INVISIBLE = regex.compile(r"[\p{Cf}\ufe0f\u20e3]+|(?<=[0-9.,+\-%$¥€£][\p{Cf}\p{M}]*)\p{M}+")
_SPACE = r"[\p{Zs}\t\u2028\u2029]+"
_MAGNITUDES = regex.escape("".join(sorted(MAGNITUDE_CHARS)))
#: A number with a space inside it: digits, then a space (maybe with a
#: separator: `1 ,234`, `12. 5`, `1, 234` before a group of three), then
#: digits. Not the tail of a word (Q1 2025, H1 2024), nor a date and its
#: time (2025-12-24 13:38:59).
BROKEN_NUMBER = regex.compile(
    rf"""(?<![A-Za-z0-9\-/:])(?<![0-9][.,])[0-9](?:[.,]?[0-9])*  # digits, maybe with separators
         (?:(?:{_SPACE}[.,]?|\.{_SPACE}|,{_SPACE}(?=[0-9]{{3}}(?![0-9])))  # the space inside
            [0-9](?:[.,]?[0-9])*)+
         (?![A-Za-z0-9:/\-]|[.,][0-9])
         [{_MAGNITUDES}]*                   # a magnitude after it: alone it would read as a number
         """, regex.VERBOSE)
#: What a broken number's characters read as in the view: no rule takes it for a digit.
UNREADABLE = "\ufffd"


def _maybe_invisible() -> tuple:
    """Two quick searches (the `re` module's, a bitmap per character) that
    find every text INVISIBLE could match: one of a format character or mark
    of the BMP, or any character beyond it. A news article has neither, and
    then INVISIBLE (the `regex` module's Unicode properties, 10 times slower)
    never runs over it."""
    import re
    import sys
    import unicodedata

    ranges: list[list[int]] = []
    for c in range(0x10000):
        if unicodedata.category(chr(c)) in ("Cf", "Mn", "Me", "Mc"):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    bmp = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
    return re.compile(f"[{bmp}]").search, re.compile(f"[\U00010000-{re.escape(chr(sys.maxunicode))}]").search


_MAYBE: tuple | None = None


def invisible_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `text` that views delete as invisible."""
    global _MAYBE
    if _MAYBE is None:
        _MAYBE = _maybe_invisible()
    if text.isascii() or not (_MAYBE[0](text) or _MAYBE[1](text)):
        return []
    return [m.span() for m in INVISIBLE.finditer(text)]


def invisible_in(text: str) -> int:
    """How many characters of `text` are invisible (a fact's span may hold them)."""
    return sum(b - a for a, b in invisible_spans(text))


#: Where a broken number may be (a digit, a space, a digit): a quick search,
#: so BROKEN_NUMBER runs only over the lines that have one.
_BREAK_HINT = re.compile(r"[0-9][.,]?[^\S\n]+[.,]?[0-9]")


def hide_broken_numbers(text: str) -> str:
    """`text` (same length) with every number that has a space inside it made
    unreadable, its spaces kept: such a number is no fact, never a part of it.
    No number spans a line break, so only the lines with a hint are looked at."""
    out: list[str] = []
    done = 0
    for m in _BREAK_HINT.finditer(text):
        a = text.rfind("\n", 0, m.start()) + 1
        if a < done:
            continue  # a line already done
        b = text.find("\n", m.end())
        b = len(text) if b < 0 else b
        out += [text[done:a], BROKEN_NUMBER.sub(_unreadable, text[a:b])]
        done = b
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def _unreadable(m: regex.Match) -> str:
    return regex.sub(r"[^\s\p{Zs}\u2028\u2029]", UNREADABLE, m.group())


class TextView:
    __slots__ = ("text", "_vstarts", "_sstarts")

    def __init__(self, text: str, vstarts: list[int] | None = None, sstarts: list[int] | None = None):
        self.text = text
        self._vstarts = vstarts if vstarts is not None else [0]
        self._sstarts = sstarts if sstarts is not None else [0]

    def with_text(self, text: str) -> TextView:
        """The same map over another text of the same length (characters replaced, none deleted)."""
        assert len(text) == len(self.text), "a view's text keeps its length"
        return TextView(text, self._vstarts, self._sstarts)

    def to_source(self, i: int) -> int:
        """Source offset of the character at view offset ``i`` (a start position)."""
        k = bisect_right(self._vstarts, i) - 1
        return self._sstarts[k] + (i - self._vstarts[k])

    def to_source_end(self, i: int) -> int:
        """Source offset just after view character ``i - 1`` (an end position)."""
        if i <= 0:
            return self.to_source(0)
        return self.to_source(i - 1) + 1

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        return self.to_source(start), self.to_source_end(end)

    def source_spans(self) -> list[tuple[int, int]]:
        """The source spans the view keeps, in order (what the rules saw)."""
        ends = [*self._vstarts[1:], len(self.text)]
        return [(s, s + e - v) for v, s, e in zip(self._vstarts, self._sstarts, ends) if e > v]

    def _runs(self, a: int, b: int):
        """(view offset, end of its run, source offset) of each unbroken run of view[a:b]."""
        k = bisect_right(self._vstarts, a) - 1
        i = a
        while i < b:
            seg_end = self._vstarts[k + 1] if k + 1 < len(self._vstarts) else len(self.text)
            run_end = min(b, seg_end)
            yield i, run_end, self._sstarts[k] + (i - self._vstarts[k])
            i = run_end
            k += 1

    def visible(self, start: int, end: int, chars: str) -> str:
        """view[start:end] taken from ``chars`` (a text as long as the source)
        instead of the view's own, normalized characters."""
        return "".join(chars[src:src + run_end - i] for i, run_end, src in self._runs(start, end))

    def is_contiguous(self, start: int, end: int) -> bool:
        """True when view[start:end] is one unbroken run of the source."""
        s, e = self.span_to_source(start, end)
        return e - s == end - start

    def without(self, spans: list[tuple[int, int]]) -> "TextView":
        """A new view with the given view spans deleted (they may overlap)."""
        if not spans:
            return self
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if e <= s:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        pieces: list[str] = []
        vstarts: list[int] = []
        sstarts: list[int] = []
        pos = 0
        out_len = 0
        if len(self._vstarts) == 1 and self._sstarts[0] == 0:
            # An identity view (the usual first cut): each kept piece is its own segment.
            for s, e in merged + [[len(self.text), len(self.text)]]:
                if s > pos:
                    vstarts.append(out_len)
                    sstarts.append(pos)
                    pieces.append(self.text[pos:s])
                    out_len += s - pos
                pos = max(pos, e)
            if not vstarts:
                vstarts, sstarts = [0], [len(self.text)]
            return TextView("".join(pieces), vstarts, sstarts)
        for s, e in merged + [[len(self.text), len(self.text)]]:
            if s > pos:
                self._emit(pos, s, out_len, vstarts, sstarts)
                pieces.append(self.text[pos:s])
                out_len += s - pos
            pos = max(pos, e)
        if not vstarts:
            vstarts, sstarts = [0], [self.to_source(len(self.text)) if self.text else 0]
        return TextView("".join(pieces), vstarts, sstarts)

    def _emit(self, a: int, b: int, out_at: int, vstarts: list[int], sstarts: list[int]) -> None:
        """Record the segments of view[a:b], which lands at new offset ``out_at``."""
        for i, _, src in self._runs(a, b):
            new_v = out_at + (i - a)
            # A new segment unless the source continues the previous one unbroken.
            if not vstarts or sstarts[-1] + (new_v - vstarts[-1]) != src:
                vstarts.append(new_v)
                sstarts.append(src)


class Spans(Sequence):
    """(start, end) spans in two arrays of integers: 16 bytes a span, where a
    list of tuples costs about 120 (a 50 MB article has a million sentences).
    Indexing gives a tuple, slicing a Spans; `starts` is for bisect."""

    __slots__ = ("ends", "starts")

    def __init__(self, starts: array | None = None, ends: array | None = None):
        self.starts = array("q") if starts is None else starts
        self.ends = array("q") if ends is None else ends

    @classmethod
    def of(cls, spans: Sequence[tuple[int, int]]) -> Spans:
        """`spans` as a Spans (itself when it is one)."""
        if isinstance(spans, Spans):
            return spans
        return cls(array("q", [a for a, _ in spans]), array("q", [b for _, b in spans]))

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Spans(self.starts[i], self.ends[i])
        return self.starts[i], self.ends[i]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"
