"""What a compiled rule must not do, checked when the rules load (so `rules
check` and `extract` refuse the same rule sets): match no text at all, or
capture into a group a word the normalizer then looks up and cannot find.

Both are judged two ways: on what the pattern can match at all, when that
is a finite list of words (`(?P<cur>元|铢)`), and on every match in the
rule's own examples and negatives, where a pattern's context (a lookbehind)
is realistic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..core.rule import MATCH_TIMEOUT

#: Per kind, the groups whose text its normalizer looks up in a lexicon
#: (lexicon, fields): a word outside them would stop the run with a KeyError.
GROUP_WORDS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "money": {"cur": ("currencies", ("names", "colloquial")), "cur_pre": ("currencies", ("prefixes",)),
              "sub": ("currencies", ("subunits",)), "vague": ("grammar", ("vague",))},
    "quantity": {"vague": ("grammar", ("vague",))},
    "percent": {"word": ("grammar", ("percent_word",)), "share": ("grammar", ("share_word",))},
    "date": {**{g: ("dates", (g,)) for g in ("rel_year", "rel_month", "rel_quarter", "rel_week", "rel_day",
                                               "weekday", "week_shift", "vague")},
             "offset_dir": ("grammar", ("offset_dir",)), "offset_unit": ("grammar", ("offset_unit",))},
}

#: A group's language is listed only up to this many words; beyond, only examples judge it.
MAX_WORDS = 5000


def empty_match(compiled, texts: Iterable[str]) -> str | None:
    """Where the pattern can match no text (a match of length 0), if
    anywhere: such a match is no fact, and normalizers read its groups as
    missing. Tried at every position of each text with nothing after it
    (the match may end there only if it is empty), so the text before, what
    a lookbehind needs, is the examples' own."""
    if compiled.match("", timeout=MATCH_TIMEOUT) is not None:
        return "on an empty text"
    for text in texts:
        try:
            for at in range(1, len(text) + 1):
                if compiled.match(text, at, at, timeout=MATCH_TIMEOUT) is not None:
                    return f"after {text[:at]!r}"
        except TimeoutError:
            continue  # too slow to judge here; `rules check` times every pattern
    return None


def unknown_group_words(compiled, source: str, kind: str, known: dict[str, set[str]],
                        texts: Iterable[str]) -> dict[str, set[str]]:
    """Per looked-up group, the words it can capture that its lexicon lacks:
    those its sub-pattern lists (when finite), and those it captures in texts."""
    groups = {g: lex for g, lex in GROUP_WORDS.get(kind, {}).items() if g in compiled.groupindex}
    out: dict[str, set[str]] = {}
    for group in groups:
        words = group_language(source, group)
        if words is not None:
            out[group] = {w for w in words if w and w not in known[group]}
    for text in texts:
        try:
            for m in compiled.finditer(text, timeout=MATCH_TIMEOUT):
                for group in groups:
                    word = m.group(group)
                    if word and word not in known[group]:
                        out.setdefault(group, set()).add(word)
        except TimeoutError:
            continue
    return {g: w for g, w in out.items() if w}


def group_language(source: str, group: str) -> set[str] | None:
    """Every text the named group of a pattern can match, when that is a
    finite list of words no longer than MAX_WORDS; None when it is not, or
    when the group uses syntax only the regex module reads. Lookarounds are
    left out: they only narrow what matches."""
    body = _group_source(source, group)
    return None if body is None else _body_language(body)


@functools.lru_cache(maxsize=256)
def _body_language(body: str) -> frozenset[str] | None:
    """(Rules share their groups' bodies: {CUR} is in a dozen.)"""
    try:
        from re import _parser  # the standard library's own parser of patterns

        parsed = _parser.parse(body, re.VERBOSE)
    except (re.error, ValueError, RecursionError, OverflowError):
        return None
    words = _language(list(parsed))
    return None if words is None else frozenset(words)


def _group_source(source: str, group: str) -> str | None:
    """The text between `(?P<group>` and its closing parenthesis."""
    start = source.find(f"(?P<{group}>")
    if start < 0:
        return None
    i = start + len(f"(?P<{group}>")
    depth, in_class, begin = 1, 0, i
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class += (ch == "[") - (ch == "]")
        elif ch == "[":
            in_class = 1
            if source[i + 1:i + 2] == "]" or source[i + 1:i + 3] == "^]":  # a ] first is a literal
                i += 2 if source[i + 1] == "]" else 3
                continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return source[begin:i]
        i += 1
    return None


def _language(items: list) -> set[str] | None:
    from re import _constants as c

    words = {""}
    for op, av in items:
        if op is c.LITERAL:
            part = {chr(av)}
        elif op is c.IN:
            part = _class(av)
        elif op is c.BRANCH:
            part = set()
            for branch in av[1]:
                sub = _language(list(branch))
                if sub is None:
                    return None
                part |= sub
        elif op is c.SUBPATTERN:
            part = _language(list(av[-1]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, sub = av
            one = _language(list(sub))
            if one is None or high is c.MAXREPEAT or high > 8:
                return None
            part, power = set(), {""}
            for k in range(high + 1):
                if k >= low:
                    part |= power
                power = {a + b for a in power for b in one}
                if len(power) > MAX_WORDS:
                    return None
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        else:
            return None  # any character, \d, a back-reference: no finite list
        if part is None:
            return None
        words = {a + b for a in words for b in part}
        if len(words) > MAX_WORDS:
            return None
    return words


def _class(items) -> set[str] | None:
    from re import _constants as c

    out: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            out.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < 64:
            out.update(chr(x) for x in range(av[0], av[1] + 1))
        else:
            return None  # negated, \d, a wide range
    return out
