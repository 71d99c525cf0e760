"""Stage 3: the cleaned view the rules see, with every position mapped back.

1. Characters are normalized without changing length: traditional -> simplified
   (OpenCC t2s), full-width -> half-width, CR and odd spaces -> space.
2. Front matter and the byline are cut, invisible characters deleted, and a
   number with a space inside it made unreadable (core/textview.py).
3. Clean rules (rules/clean/*.yaml) delete inline markup (images, link targets,
   emphasis, pinyin artifacts such as 网(wǎng)), then drop boilerplate lines
   (spam, navigation, disclaimers) and whole tails (related-news lists).
4. The view is split into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import opencc
import regex

from ..core.numbers import MAGNITUDE_CHARS
from ..core.pieces import pieces
from ..core.rule import MATCH_TIMEOUT, Rule, timeout_warning
from ..core.textview import Spans, TextView, hide_broken_numbers, invisible_spans

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII; ideographic and odd spaces -> space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x0D: 0x20, 0x09: 0x20, 0x1680: 0x20, 0x202F: 0x20, 0x205F: 0x20,
               0xFFE5: 0xA5, 0xFFE0: 0xA2, 0xFFE1: 0xA3})
_WIDTH.update({cp: 0x20 for cp in range(0x2000, 0x200B)})  # every width of space (Unicode Zs)
_WIDTH.update({0x2028: 0x20, 0x2029: 0x20})  # line and paragraph separators: spaces, so a number they split is seen split

# str.translate walks every character; Chinese text has few full-width ones,
# so translating only their runs is about three times faster.
_WIDE_RUN = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH)) + "]+")

# A sentence: from a character that is neither space nor boundary, to the
# last such character before the next boundary, plus the end mark if one
# follows; or an end mark standing alone.
# Clauses end at commas and stronger marks; brackets stay inside a clause
# (年度经常性收入(ARR)已超过1亿元). The enrichment stages read clauses with it.
CLAUSE_BREAK = regex.compile(r"[,;:!?。\n]")
#: The same, searched backwards: the break nearest before a position costs the
#: clause's length, not the sentence's (a 300,000-character line was quadratic).
CLAUSE_BREAK_BACK = regex.compile(CLAUSE_BREAK.pattern, regex.REVERSE)
_SENTENCE = regex.compile(r"[^。!?;\n ](?:[^。!?;\n]*[^。!?;\n ])?(?:[ ]*[。!?;])?|[。!?;]")


@dataclass
class Cleaned:
    view: TextView
    sentences: Spans  # view spans, in order
    warnings: list[str] = field(default_factory=list)  # clean rules that timed out on this text
    #: What an enrichment stage works out once per article, not per section
    #: (meaning.py: the article's entities and its main one), by stage name.
    per_article: dict = field(default_factory=dict, repr=False, compare=False)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """OpenCC t2s, guaranteed to keep the length (offsets depend on it)."""
    out = _t2s().convert(text)
    if len(out) != len(text):
        # A phrase conversion changed the length: convert char by char instead.
        out = "".join(_t2s_char(ch) for ch in text)
    assert len(out) == len(text), "t2s must preserve length"
    return out


# A full-width comma between digits is a thousands separator only before a
# group of three digits (余额为82，225.00元); otherwise it separates list
# items. After a currency sign it is one only where the group ends the
# amount or a multiplier follows (¥7，967万, US$7，967万): before a currency
# word the sign and the word are two amounts ($20，300美圆). List commas become
# 、, so that the half-width pass does not turn 20，300 into 20,300.
_LIST_COMMA = regex.compile(r"""(?<=\d)，(?=\d)(?!\d{3}(?!\d))
                              |(?<=[$¥€£₩＄￥]\d{1,3})，(?=\d)(?!\d{3}(?:，\d{3})*(?:[MAGNITUDES]|[^\d\p{Han}]|$))"""
                            .replace("MAGNITUDES", regex.escape("".join(sorted(MAGNITUDE_CHARS)))), regex.VERBOSE)


#: Characters normalized at a time: each step copies its input (OpenCC
#: twice, as UTF-8 in and out), so a long article is done a run of lines at
#: a time, and its copies are of one run, not of the article.
NORMALIZE_RUN = 1 << 20


def normalize_chars(text: str) -> str:
    """Same-length normalization: simplified script, half-width forms. None
    of it looks across a line break, so a long text is normalized in runs of
    whole lines."""
    if len(text) <= NORMALIZE_RUN:
        return _normalize_run(text)
    runs, at = [], 0
    while at < len(text):
        cut = text.rfind("\n", at, at + NORMALIZE_RUN) + 1 if len(text) - at > NORMALIZE_RUN else len(text)
        if cut <= at:
            cut = text.find("\n", at + NORMALIZE_RUN) + 1 or len(text)  # a line longer than a run
        runs.append(_normalize_run(text[at:cut]))
        at = cut
    return "".join(runs)


def _normalize_run(text: str) -> str:
    if "，" in text:
        text = _LIST_COMMA.sub("、", text)
    return to_simplified(_WIDE_RUN.sub(lambda m: m.group().translate(_WIDTH), text))


def clean(normalized: str, cut: list[tuple[int, int]], rules: list[Rule]) -> Cleaned:
    """The view of ``normalized`` with ``cut`` spans and boilerplate removed."""
    # Inline deletions are found on the whole normalized text (same offsets as
    # the source) and applied together with the cut spans, in one pass.
    deletions = list(cut) + invisible_spans(normalized)
    warnings: list[str] = []
    for rule in (r for r in rules if r.action == "delete"):
        groups = [g for g in rule.compiled.groupindex if g.startswith("cut")]
        found = _matches(rule, normalized, warnings, in_view=False)
        deletions.extend(s for m in found for s in ([m.span(g) for g in groups if m.start(g) >= 0] if groups
                                                     else [m.span()]))
    view = TextView(normalized).without(deletions)
    view = view.with_text(hide_broken_numbers(view.text))

    drops: list[tuple[int, int]] = []
    text = view.text
    tail_at = len(text)
    for rule in rules:
        if rule.action == "drop_line":
            drops.extend(_line_span(text, m.start(), m.end()) for m in _matches(rule, text, warnings))
        elif rule.action == "drop_to_end":
            for m in _matches(rule, text, warnings, first=True):
                tail_at = min(tail_at, _line_span(text, m.start(), m.end())[0])
    if tail_at < len(text):
        drops.append((tail_at, len(text)))
    view = view.without(drops)
    return Cleaned(view, split_sentences(view.text), warnings)


def _matches(rule: Rule, text: str, warnings: list[str], first: bool = False, in_view: bool = True) -> list:
    """The rule's matches, piece by piece (core/pieces.py); from the piece it
    times out on, none, and a warning (40,000 [ made the link rule
    backtrack): one article keeps its other clean rules, and the run goes on."""
    found: list = []
    for a, b in pieces(text):
        try:
            if first:
                m = rule.compiled.search(text, a, b, timeout=MATCH_TIMEOUT)
                if m:
                    return [m]
                continue
            found.extend(rule.finditer(text, a, b))
        except TimeoutError:
            warnings.append(timeout_warning(rule, at=a, in_view=in_view))
            return found
    return found


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", max(end - 1, start))
    return a, len(text) if b < 0 else b + 1


def split_sentences(text: str) -> Spans:
    """Sentence spans: ends at 。!?; (kept) or a line break (dropped), never at
    a decimal point; spaces at either end are trimmed, empty ones skipped."""
    out = Spans()
    start, end = out.starts.append, out.ends.append
    for m in _SENTENCE.finditer(text):
        a, b = m.span()
        start(a)
        end(b)
    return out
