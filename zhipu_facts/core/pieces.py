"""Bounded work per scan: every regex a rule runs sees at most PIECE characters.

A regex call carries MATCH_TIMEOUT for the whole scan, so one scan over a
long article timed out by its length alone, and cost that rule all its
facts in the article, in silence but for a warning. Long text is therefore
scanned piece by piece, each piece with its own timeout. Pieces end after a
line break, else after a sentence end (。!?;), else after a clause break,
else where no numeral is cut:
fact rules match inside one sentence, and shipped clean rules inside one
line, so the pieces give the same matches as one scan. A user clean rule
that matches across line breaks may miss a match that straddles a piece end.

The pipeline reads a long article in `sections` (whole sentences, starting
at piece cuts): each section's matches are found, resolved into facts and
written before the next is read, so an article's length bounds neither the
matches nor the facts held at once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from .textview import Spans
from .numbers import NUMERAL_CHARS

#: Characters per scan. The slowest shipped rule runs at about 3 M
#: characters/s, so a piece takes ~30 ms against a 1 s timeout.
PIECE = 100_000
_SENTENCE_END = "。!?;"
_CLAUSE_BREAK = ",:、"


def pieces(text: str, a: int = 0, b: int | None = None, size: int | None = None) -> list[tuple[int, int]]:
    """[a, b) cut into spans of at most `size` characters (one span when it is short)."""
    b = len(text) if b is None else b
    size = size or PIECE
    out: list[tuple[int, int]] = []
    while b - a > size:
        out.append((a, a := _cut(text, a, a + size)))
    out.append((a, b))
    return out


def _cut(text: str, a: int, limit: int) -> int:
    """Where a piece from `a` ends, at most `limit`: after the last line break,
    else sentence end, else clause break (not a comma or colon inside a
    number: 12,345); else at a place with no numeral on either side (a
    qualifier and its number, 超30亿元, stay together)."""
    for ends in ("\n", _SENTENCE_END, _CLAUSE_BREAK):
        end = limit
        while (cut := max(text.rfind(ch, a, end) for ch in ends) + 1) > a:
            if not (ends is _CLAUSE_BREAK and _inside_numeral(text, cut - 1)):
                return cut
            end = cut - 1  # 12,345 or 10:30: a separator, not a break
    cut = limit
    while cut > a + 1 and (text[cut - 1] in NUMERAL_CHARS or text[cut] in NUMERAL_CHARS):
        cut -= 1
    return cut if cut > a + 1 else limit  # a numeral longer than a piece is no figure anyway


def _inside_numeral(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1] in NUMERAL_CHARS and text[i + 1] in NUMERAL_CHARS


def groups_within(spans: list[tuple[int, int]], size: int | None = None) -> list[list[tuple[int, int]]]:
    """Consecutive spans in groups whose total length (with one separator each) stays within `size`."""
    size = size or PIECE
    out: list[list[tuple[int, int]]] = []
    total = size + 1
    for s in spans:
        n = s[1] - s[0] + 1
        if total + n > size:
            out.append([])
            total = 0
        out[-1].append(s)
        total += n
    return out


def sections(text: str, sentences: Sequence[tuple[int, int]], size: int | None = None
             ) -> list[tuple[int, int, int, int]]:
    """A long text as runs of whole sentences, each (a, b, i, j): the
    characters [a, b), which start at one of pieces(text, size)'s cuts, and
    the sentences [i, j) within them. A cut inside a sentence (a line longer
    than a piece) is passed over: that section is longer; so is a cut inside
    a run of sentences a semicolon joins in one paragraph (2025年一季度营收…;
    归母净利润…), since a period governs across it (enrich/periods.py). One
    section when the text is short."""
    starts = Spans.of(sentences).starts
    out: list[tuple[int, int, int, int]] = []
    a = i = 0
    for _, cut in pieces(text, size=size)[:-1]:
        j = bisect_left(starts, cut)
        if j == i or sentences[j - 1][1] > cut:
            continue  # no sentence yet, or the cut is inside sentence j - 1
        end = sentences[j - 1][1]
        if text[sentences[j - 1][0]:end].rstrip(" ").endswith(";") and "\n" not in text[end:cut]:
            continue  # inside a semicolon run
        out.append((a, cut, i, j))
        a, i = cut, j
    out.append((a, len(text), i, len(sentences)))
    return out
