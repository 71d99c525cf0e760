"""The locale of an article: what a bare 元 means (lexicon/locales.yaml).

In order: the --locale option, the front matter's locale/lang/language, the
cue words of the locales lexicon (at least `min_cues` different ones, and
more than of any other locale, mainland cues included), else zh-CN. Script
alone decides nothing.
"""

from __future__ import annotations

import re
from itertools import compress
from operator import ne

import regex

from ..vocabulary import Lexicons, Vocabulary, Words, tag_key, word_alternation

DEFAULT = "zh-CN"


class LocaleWords:
    """Per locale: its currency, the tags that name it, and its cue words."""

    def __init__(self, lex: Lexicons):
        loc = lex["locales"]
        self.locale_currency = {str(e["key"]): str(e["currency"]) for e in loc.entries if e.get("currency")}
        self.locale_of_tag = {tag_key(str(t)): str(e["key"])
                              for e in loc.entries for t in [e["key"], *(e.get("tags") or [])]}
        self.locale_cues = [(str(e["key"]), int(e.get("min_cues") or 1),
                             regex.compile(word_alternation(e["cues"], escape=regex.escape, guard=True)))
                            for e in loc.entries if e.get("cues")]


WORDS = Words("locale", {"locales": ("currency", "tags")}, LocaleWords)


def locale_of_tag(tag: str, vocab: Vocabulary) -> str | None:
    return vocab.locale.locale_of_tag.get(tag_key(tag))


def check_locale(tag: str, vocab: Vocabulary) -> str:
    """The locale a tag names (zh_TW -> zh-TW); ValueError for one the locales
    lexicon does not know."""
    known = locale_of_tag(tag, vocab)
    if known is None:
        raise ValueError(f"unknown locale {tag!r}; known: {', '.join(sorted(vocab.locale.locale_currency))}")
    return known


def decide_locale(option: str | None, front_matter: str | None, normalized: str,
                  vocab: Vocabulary) -> tuple[str, str]:
    """(locale, where it came from: option, front_matter, cues or default)."""
    if option:
        return check_locale(option, vocab), "option"
    if front_matter:
        known = locale_of_tag(front_matter, vocab)
        if known is not None:
            return known, "front_matter"
    counts = {key: (len({m.group() for m in pattern.finditer(normalized)}), needed)
              for key, needed, pattern in vocab.locale.locale_cues}
    best = max(counts, key=lambda k: counts[k][0], default=None)
    if best is None:
        return DEFAULT, "default"
    n, needed = counts[best]
    # A locale only when its cues are enough and outnumber every other
    # locale's: a tie stays zh-CN, the default, and so does too few cues of
    # another locale; zh-CN's own cues decide it ("cues"), and without them
    # it is only the default (a traditional-script text's 元 is then a guess).
    if n >= needed and all(n > m for k, (m, _) in counts.items() if k != best):
        return best, "cues"
    return DEFAULT, "default"


#: The block of CJK unified ideographs, where simplified and traditional differ.
_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF
_CJK = re.compile(f"[{chr(_CJK_FIRST)}-{chr(_CJK_LAST)}]")

#: How much of an article is looked at to tell its script: scripts do not
#: change inside an article, and a long one must not cost a pass.
SCRIPT_SAMPLE = 20_000


def looks_traditional(text: str, normalized: str) -> bool:
    """Whether the text is written in traditional characters: some of its
    ideographs change when made simplified (normalized is the same length,
    position for position). A few stray ones (a name, a quoted title) do not
    make an article traditional."""
    sample = text[:SCRIPT_SAMPLE]
    # Only the positions that differ are looked at one by one (compress and
    # map run in C): in simplified text they are a few punctuation marks.
    differ = compress(sample, map(ne, sample, normalized[:SCRIPT_SAMPLE]))
    changed = sum(1 for ch in differ if _CJK_FIRST <= ord(ch) <= _CJK_LAST)
    return changed >= 3 and changed * 50 >= len(_CJK.findall(sample))
