"""Lexicons: the word lists of rules/lexicon/, and how plug-ins read them.

`Lexicon` is a file's entries as loaded (a user's lexicon of the same name
extends the shipped one). Each plug-in (a kind's module, an enrichment
stage, the locale reader) declares the lexicons and fields it reads in a
`Words`, with the function that compiles its lookups; `Vocabulary` holds
every declaration's compiled form, built and checked once when the rules
load: a missing lexicon or field is a RuleError then, never a KeyError in
the middle of a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import regex


@dataclass
class Lexicon:
    name: str
    entries: list[dict[str, Any]]
    fragments: dict[str, str]  # fragment name -> field spec
    file: str
    examples: list[dict[str, Any]] = field(default_factory=list)  # facts whose metric/subject it decides

    def has_field(self, field_name: str) -> bool:
        return any(field_name in e for e in self.entries)

    def words(self, field_name: str) -> list[str]:
        out: list[str] = []
        for e in self.entries:
            out.extend(str(w) for w in e.get(field_name) or [])
        return out

    def lookup(self, field_name: str) -> dict[str, str]:
        """word -> entry key, for one field (the first entry listing a word wins)."""
        table: dict[str, str] = {}
        for e in self.entries:
            for w in e.get(field_name) or []:
                table.setdefault(str(w), str(e["key"]))
        return table

    def laid_over(self, earlier: Lexicon, tags: tuple[str, ...] = ()) -> Lexicon:
        """This lexicon (a user's) laid over an earlier one of the same name.

        An entry whose key the earlier lexicon has adds to that entry only
        what it names: each list it gives is extended, each mapping updated,
        each single value replaced; the fields it does not name stay. An
        entry with a new key is appended. A word this lexicon lists in a
        field is re-mapped: the earlier entries that compete with its entry
        lose it from that field (订单 listed under contract_value is no
        longer order_backlog's). `tags` are the fields whose values are
        shared attributes, not words (a metric's `kinds`): they are never
        re-mapped, and two entries whose values of a tag are disjoint do not
        compete (融资 may name a money metric and a counted one)."""
        entries = [dict(e) for e in earlier.entries]
        at = {str(e["key"]): i for i, e in enumerate(entries)}
        ours: set[int] = set()  # entries this lexicon added: its own words are not taken from them
        for entry in self.entries:
            key = str(entry["key"])
            if key in at and at[key] not in ours:
                entries[at[key]] = _extended(entries[at[key]], entry)
            else:
                at[key] = len(entries)
                entries.append(dict(entry))
                ours.add(at[key])
            mine = entries[at[key]]
            for i, other in enumerate(entries):
                if i != at[key] and i not in ours and _compete(other, mine, tags):
                    entries[i] = _without(other, entry, tags)
        return Lexicon(self.name, entries, {**earlier.fragments, **self.fragments}, self.file,
                       earlier.examples + self.examples)


def _extended(entry: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    out = dict(entry)
    for name, value in more.items():
        have = out.get(name)
        if isinstance(value, list) and isinstance(have, list):
            out[name] = have + [w for w in value if w not in have]
        elif isinstance(value, dict) and isinstance(have, dict):
            out[name] = {**have, **value}
        else:
            out[name] = value
    return out


def _compete(a: dict[str, Any], b: dict[str, Any], tags: tuple[str, ...]) -> bool:
    """Whether two entries claim the same words: not when a tag both give
    has no value in common."""
    return not any(a.get(t) and b.get(t) and not {str(v) for v in a[t]} & {str(v) for v in b[t]} for t in tags)


def _without(entry: dict[str, Any], taking: dict[str, Any], tags: tuple[str, ...]) -> dict[str, Any]:
    """The entry without the words `taking` lists in the same fields (lists,
    and the keys of mappings); its tags and single values stay."""
    out = dict(entry)
    for name, value in taking.items():
        have = out.get(name)
        if name in tags or name == "key" or not isinstance(value, (list, dict)) or not isinstance(have, (list, dict)):
            continue
        taken = {str(w) for w in value}
        if isinstance(have, list):
            out[name] = [w for w in have if str(w) not in taken]
        else:
            out[name] = {w: v for w, v in have.items() if str(w) not in taken}
    return out


def tag_key(tag: str) -> str:
    """How locale tags are compared: zh_TW, ZH-tw and zh-TW are one tag."""
    return tag.strip().replace("_", "-").lower()


def word_alternation(words: Iterable[str], *, escape: Callable[[str], str] = re.escape,
                     latin_edges: bool = False, guard: bool = False) -> str:
    """One pattern for a word list: longest first, so 净亏损 wins over 亏损.

    latin_edges: a Latin word only at word boundaries (Meta, not Metaverse).
    guard: a lookahead class of first characters, which lets the engine skip
    most positions without trying each word (3 to 8 times faster scans), and
    a lookbehind class of last characters, which does the same where the
    list is matched backwards, inside a lookbehind (?<!{COUNT_BEFORE}...):
    there the engine meets the end of the words first, and the first
    characters' class only after trying every word. Neither changes what
    matches.
    """
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not ordered:
        return "(?!)"
    parts = []
    for w in ordered:
        p = escape(w)
        if latin_edges and w[:1].isascii() and w[:1].isalpha():
            p = r"(?<![A-Za-z])" + p
        if latin_edges and w[-1:].isascii() and w[-1:].isalpha():
            p += r"(?![A-Za-z])"
        parts.append(p)
    body = "(?:" + "|".join(parts) + ")"
    if guard:
        body = ("(?=[" + "".join(sorted({re.escape(w[0]) for w in ordered})) + "])" + body
                + "(?<=[" + "".join(sorted({re.escape(w[-1]) for w in ordered})) + "])")
    return body


def shown_path(path: str) -> str:
    """A rule file's path as `explain` shows it: relative to the working folder
    when under it. Made when shown, not when the rules load: loaded rules are
    cached across runs (engine/rule_cache.py), and working folders differ."""
    import os

    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def compile_words(words: Iterable[str]) -> re.Pattern:
    # The standard `re` module: plain word lists scan about twice as fast in it.
    return re.compile(word_alternation(words, latin_edges=True, guard=True))


class Lexicons:
    """The lexicons one plug-in declared, as its `build` reads them. Asking
    for one it did not declare is a bug in the plug-in, and a KeyError."""

    def __init__(self, words: Words, lexicons: dict[str, Lexicon], fragments: dict[str, str],
                 problems: list[tuple[str, str]]):
        self._words, self._lexicons, self._fragments, self._problems = words, lexicons, fragments, problems

    def __getitem__(self, name: str) -> Lexicon:
        if name not in self._words.reads:
            raise KeyError(f"{self._words.name} reads lexicon {name!r} without declaring it in its Words")
        return self._lexicons[name]

    def fragment(self, name: str) -> str:
        """An expanded fragment of the rule set; one never defined matches nothing."""
        return self._fragments.get(name, "(?!)")

    def problem(self, file: str, message: str) -> None:
        """A problem with the words, reported with the rules' others."""
        self._problems.append((file, message))


@dataclass(frozen=True)
class Words:
    """What a plug-in (a kind, an enrichment stage, the locale reader) reads
    of rules/lexicon/: per lexicon, the fields it needs at least one entry to
    have; and `build`, which compiles them into the lookups it reads while it
    runs (an object of a module-level class: the rule cache pickles it).
    The rule loader builds each declaration once, as `vocab.<name>`."""

    name: str
    reads: dict[str, tuple[str, ...]]
    build: Callable[[Lexicons], Any]


class Vocabulary:
    """Every plug-in's compiled words, one attribute per `Words` declaration
    (`vocab.money.currency_name`), built once when the rules load. A
    declared lexicon that is missing, or that no entry gives a declared
    field, is a problem (and reads as empty)."""

    def __init__(self, declared: Iterable[Words], lexicons: dict[str, Lexicon], fragments: dict[str, str],
                 folder: str):
        self.problems: list[tuple[str, str]] = []  # (file, message)
        declared = unique_words(declared)
        needs: dict[str, list[str]] = {}
        for words in declared:
            for name, fields in words.reads.items():
                needs.setdefault(name, []).extend(f for f in fields if f not in needs.get(name, ()))
        read: dict[str, Lexicon] = {}
        for name, fields in needs.items():
            lex = lexicons.get(name)
            if lex is None:
                self.problems.append((folder, f"missing lexicon {name!r} (add lexicon/{name}.yaml with "
                                              f"fields {', '.join(fields)})"))
                lex = Lexicon(name, [], {}, folder)
            for f in fields:
                if not lex.has_field(f):
                    self.problems.append((lex.file, f"lexicon {name!r} has no entry with the field {f!r}"))
            read[name] = lex
        for words in declared:
            try:
                built = words.build(Lexicons(words, read, fragments, self.problems))
            except (regex.error, re.error, ValueError, KeyError, TypeError) as e:
                # A user's lexicon or fragment that compiles to a broken pattern:
                # a problem naming the files, never a traceback.
                files = sorted({read[n].file for n in words.reads if n in read}) or [folder]
                self.problems.append((", ".join(files), f"the words of {words.name!r} cannot be built from "
                                                        f"these lexicons and the fragments: {e}"))
                built = None
            setattr(self, words.name, built)


def unique_words(declared: Iterable[Words]) -> list[Words]:
    """The declarations, each once (kinds share kinds/qualify.py's); two
    different ones may not share a name."""
    seen: dict[str, Words] = {}
    for w in declared:
        if seen.setdefault(w.name, w) is not w:
            raise ValueError(f"two word declarations are named {w.name!r}")
    return list(seen.values())
