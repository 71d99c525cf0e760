"""Lexicons: the word lists of rules/lexicon/, and the one compiled form of them.

`Lexicon` is a file's entries as loaded (a user's lexicon of the same name
extends the shipped one). `Vocabulary` is every lookup table and word pattern
the normalizers and enrichment stages read, built and checked once when the
rules load: a missing lexicon or field is a RuleError then, never a KeyError
in the middle of a run.
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


def _compile_words(words: Iterable[str]) -> re.Pattern:
    # The standard `re` module: plain word lists scan about twice as fast in it.
    return re.compile(word_alternation(words, latin_edges=True, guard=True))


class _Reader:
    """Reads lexicon fields, noting each missing lexicon or field as a problem."""

    def __init__(self, lexicons: dict[str, Lexicon], folder: str):
        self.lexicons, self.folder = lexicons, folder
        self.missing: list[tuple[str, str]] = []  # (file, message)

    def lexicon(self, name: str, *fields: str) -> Lexicon:
        lex = self.lexicons.get(name)
        if lex is None:
            self.missing.append((self.folder, f"missing lexicon {name!r} (add lexicon/{name}.yaml with "
                                              f"fields {', '.join(fields)})"))
            return Lexicon(name, [], {}, self.folder)
        for f in fields:
            if not lex.has_field(f):
                self.missing.append((lex.file, f"lexicon {name!r} has no entry with the field {f!r}"))
        return lex


class Vocabulary:
    """Every word -> key lookup and word pattern of a rule set, built once.

    `fact_kinds` are the kinds that have a metric (a metric entry without
    `kinds:` applies to all of them).
    """

    def __init__(self, lexicons: dict[str, Lexicon], fragments: dict[str, str], folder: str,
                 metric_fact_kinds: Iterable[str]):
        read = _Reader(lexicons, folder)
        cur = read.lexicon("currencies", "names", "prefixes", "subunits")
        self.currency_name = {**cur.lookup("colloquial"), **cur.lookup("names")}
        self.currency_prefix = cur.lookup("prefixes")
        self.currency_sub = cur.lookup("subunits")
        self.sub_factor = {w: f for e in cur.entries for w, f in (e.get("factors") or {}).items()}
        self.currency_codes = tuple(sorted(str(e["key"]) for e in cur.entries if e.get("names") or e.get("prefixes")))
        self.local_unit = set(cur.words("local"))  # 元: the local currency, whatever the country

        q = read.lexicon("qualifiers", "prefix", "suffix", "infix")
        self.qual_prefix = q.lookup("prefix")
        self.qual_suffix = q.lookup("suffix")
        self.qual_infix = q.lookup("infix")
        self.mag_en = read.lexicon("magnitudes", "words").lookup("words")
        self.per_unit = read.lexicon("per_units", "words").lookup("words")

        d = read.lexicon("dates", "rel_year", "rel_month", "rel_week", "rel_day", "year_part", "month_part", "half",
                         "weekday",
                         "week_shift", "century", "report")
        self.rel_year = d.lookup("rel_year")
        self.rel_month = d.lookup("rel_month")
        self.rel_week = d.lookup("rel_week")
        self.rel_day = d.lookup("rel_day")
        self.year_part = d.lookup("year_part")
        self.half = d.lookup("half")
        self.month_part = d.lookup("month_part")
        self.weekday = d.lookup("weekday")
        self.week_shift = d.lookup("week_shift")
        self.century = d.lookup("century")
        self.report = d.lookup("report")
        self.holiday = {str(w): e for e in read.lexicon("holidays", "words").entries for w in e.get("words") or []}

        g = read.lexicon("grammar", "sign", "percent_base", "percent_word", "vague", "offset_dir", "offset_unit",
                         "respectively", "series_joiner", "pair_joiner", "payer_link", "payer_toward", "comparison",
                         "metric_carry")
        self.sign = g.lookup("sign")
        self.percent_base = g.lookup("percent_base")
        self.percent_word = g.lookup("percent_word")
        self.vague = g.lookup("vague")
        self.offset_dir = g.lookup("offset_dir")
        self.offset_unit = g.lookup("offset_unit")
        self.respectively_re = regex.compile(word_alternation(g.words("respectively"), escape=regex.escape))
        self.series_sep_re = regex.compile(
            "^[ ]*" + word_alternation(g.words("series_joiner"), escape=regex.escape) + "?[ ]*$")
        self.pair_joined_re = regex.compile(
            "^[ ]*" + word_alternation(g.words("pair_joiner"), escape=regex.escape) + "[ ]*$")
        self.payer_link_re = re.compile("^[ ]*" + word_alternation(g.words("payer_link")) + "?[ ]*$")
        self.payer_link_words = tuple(g.words("payer_link"))
        self.payer_toward_re = re.compile("^[ ]*" + word_alternation(g.words("payer_toward")))
        # A clause that holds nothing but these before its number takes the metric of the clause before.
        # Dates may stand there too (应收账款持续走高,2024年末达到9.8亿元).
        self.metric_carry_re = re.compile(r"^(?:[ ]|\d{4}年|\d{1,2}月|\d{1,2}日|"
                                          + word_alternation(g.words("metric_carry")) + ")*$")
        # A comparison word right before a date (较2023年): matched backwards from the date's start.
        self.comparison_re = regex.compile(word_alternation(g.words("comparison"), escape=regex.escape) + "[ ]?",
                                           regex.REVERSE)

        metrics = read.lexicon("metrics", "words")
        entities = read.lexicon("entities", "aliases")
        default_kinds = sorted(metric_fact_kinds)
        self.metric_of = metrics.lookup("words")
        # A word may name one metric per kind (融资: financing, financing_rounds).
        self.metric_keys: dict[str, list[str]] = {}
        for e in metrics.entries:
            for w in e.get("words") or []:
                self.metric_keys.setdefault(str(w), []).append(str(e["key"]))
        self.metric_kinds = {str(e["key"]): set(e.get("kinds") or default_kinds) for e in metrics.entries}
        self.metric_units = {str(e["key"]): set(e["units"]) for e in metrics.entries if e.get("units")}
        # The metric of a change whose measure the sentence does not name.
        self.change_metric = next((str(e["key"]) for e in metrics.entries if e.get("unnamed_change")), None)
        self.modifiers = {str(e["key"]): (str(e["modifies"]), set(e.get("modifier") or []))
                          for e in metrics.entries if e.get("modifies")}
        # A sentence about an IPO makes its 募资 ipo_proceeds, not financing: `context` words anywhere
        # in the sentence before the number turn `context_modifies` into this metric.
        self.context_modifiers = {str(e["key"]): (str(e["context_modifies"]), [str(w) for w in e.get("context") or []])
                                  for e in metrics.entries if e.get("context_modifies")}
        self.entity_of = entities.lookup("aliases")
        self.metric_re = _compile_words(self.metric_of)
        # Where each trigger word comes from (a user's --rules file or the shipped one), for `explain`.
        self.metric_file = {str(w): e.get("__file__", metrics.file) for e in reversed(metrics.entries)
                            for w in e.get("words") or []}
        self.entity_file = {str(w): e.get("__file__", entities.file) for e in reversed(entities.entries)
                            for w in e.get("aliases") or []}
        self.entity_re = _compile_words(self.entity_of)
        # For counting mentions with str.count: per entity, the aliases that
        # contain no shorter alias of the same entity (智谱 covers 智谱AI).
        self.count_aliases: dict[str, list[str]] = {}
        for key in set(self.entity_of.values()):
            own = [a for a, k in self.entity_of.items() if k == key]
            self.count_aliases[key] = [a for a in own if not any(b != a and b in a for b in own)]
        self.group_re = _compile_words(entities.words("group"))
        # How articles name companies no list knows (enrich/entities.py): the `shapes` entry's word lists.
        shapes = next((e for e in entities.entries if e.get("key") == "shapes"), {})
        self.entity_shapes = {str(k): [str(w) for w in v] for k, v in shapes.items() if isinstance(v, list)}
        payers = {str(e["key"]): list(e.get("payer") or []) for e in metrics.entries if e.get("payer")}
        self.payer_metrics = set(payers)
        self.payer_re = _compile_words(w for words in payers.values() for w in words)

        read.lexicon("context", "now", "change_to", "forecast")
        self.now_re = regex.compile(fragments.get("NOW", "(?!)"))
        self.change_to_re = regex.compile(fragments.get("CHANGE_TO", "(?!)"))
        self.forecast_re = regex.compile(fragments.get("FORECAST", "(?!)"))

        qty = read.lexicon("quantities", "counters", "nouns")
        self.quantity_counter = qty.lookup("counters")  # 股 -> shares
        self.quantity_noun = qty.lookup("nouns")  # 开发者 -> developers

        loc = read.lexicon("locales", "currency", "tags")
        self.locale_currency = {str(e["key"]): str(e["currency"]) for e in loc.entries if e.get("currency")}
        self.locale_of_tag = {tag_key(str(t)): str(e["key"])
                              for e in loc.entries for t in [e["key"], *(e.get("tags") or [])]}
        self.locale_cues = [(str(e["key"]), int(e.get("min_cues") or 1),
                             regex.compile(word_alternation(e["cues"], escape=regex.escape, guard=True)))
                            for e in loc.entries if e.get("cues")]

        ch = read.lexicon("changes", "delta", "basis")
        self.direction = {**ch.lookup("delta_after"), **ch.lookup("delta_noun"), **ch.lookup("delta")}  # -> up/down
        self.basis = {**ch.lookup("short_basis"), **ch.lookup("basis")}  # word -> yoy / qoq
        # Matched backwards from a candidate's start (kinds/qualify.change_of).
        self.delta_left = regex.compile(fragments.get("DELTA_LEFT", "(?!)"), regex.REVERSE | regex.V1)

        self.unknown_metric_kinds = [(metrics.file, key, sorted(kinds - set(default_kinds)))
                                     for key, kinds in self.metric_kinds.items() if kinds - set(default_kinds)]
        self.missing = read.missing
