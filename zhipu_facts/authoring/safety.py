"""Guard against rules that backtrack catastrophically, and clean rules that eat articles.

`zfacts rules check` runs every pattern and trigger over adversarial texts:
long runs of digits, of one Chinese numeral or unit, of alternating
separators, and of currency and qualifier words. A pattern or trigger is
rejected when any one of them takes longer than SLOW_SECONDS (each text is
about 4,000 characters; the shipped rules take well under a millisecond on
each). Independently, every match at run time, trigger scans included,
carries the regex module's timeout (rules.MATCH_TIMEOUT).

A clean rule that matches too much (`.+` in a delete rule) deletes whole
articles in silence, and every fact with them. `rules check` runs each clean
rule alone over the fact rules' own example sentences, which are news text
that must survive cleaning, and rejects one that removes more than
GREEDY_SHARE of it (the shipped clean rules remove under 1%).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..core.rule import MATCH_TIMEOUT, Rule
from ..engine.rule_schema import CLEAN_ACTIONS
from ..engine.rules import RuleSet
from ..ingest.clean import clean, normalize_chars

#: A pattern slower than this on any adversarial text is rejected.
SLOW_SECONDS = 0.25
#: A clean rule that removes more than this share of the example sentences is rejected.
GREEDY_SHARE = 0.5
REMOVING = tuple(a for a in CLEAN_ACTIONS if a != "byline")  # the clean actions that take text out

ADVERSARIAL = {
    "digits": "1" * 4000,
    "decimal digits": "1." * 2000,
    "thousands separators": "1," * 2000,
    "one Chinese numeral": "一" * 4000,
    "magnitudes": "亿" * 4000,
    "numeral and magnitude": "三千万" * 1300,
    "alternating separators": "1-2至3~4/5" * 400,
    "spaces between digits": "1 " * 2000,
    "qualifiers": "超过约不足" * 800,
    "currency words": "元美元港元" * 800,
    "year words": "2025年" * 800,
    "one Han character": "的" * 4000,
}


@dataclass
class Slow:
    rule: Rule
    input_name: str
    seconds: float | None  # None: it hit the timeout
    what: str = "pattern"  # or "trigger"

    def __str__(self) -> str:
        took = f"more than {MATCH_TIMEOUT:g} s (timed out)" if self.seconds is None else f"{self.seconds:.3f} s"
        return (f"{self.rule.file}:{self.rule.line} [{self.rule.id}]: the {self.what} took {took} on "
                f"{self.input_name!r} (limit {SLOW_SECONDS} s); it backtracks too much: make "
                f"repeated groups unambiguous or bound their repetition")


def own_texts(rule: Rule) -> dict[str, str]:
    """Adversarial texts made from the rule's own examples: a pattern whose
    backtracking part sits behind a literal (x(a+)+$) never reaches it on
    the generic texts, but does on its own example repeated, or with its
    last character run long."""
    out: dict[str, str] = {}
    for i, ex in enumerate(rule.examples[:3]):
        text = str(ex.get("text", "")) if isinstance(ex, dict) else str(ex)
        if text:
            out[f"example {i + 1} repeated"] = (text * (4000 // len(text) + 1))[:4000]
            out[f"example {i + 1} with its last character repeated"] = text + text[-1] * 4000
            out[f"example {i + 1} with every run of a character 40 long"] = _stretch(text)[:4000]
    return out


def _stretch(text: str) -> str:
    """Each run of one character made 40 long: xaab -> x*40 a*40 b*40, the
    shape that makes nested repetition explode."""
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        out.append(text[i] * 40)
        i = j
    return "".join(out)


def time_rule(rule: Rule) -> list[Slow]:
    """The rule's pattern and its trigger, each on every adversarial text
    (the generic ones, and those made from the rule's own examples)."""
    compiled = {"pattern": rule.compiled, "trigger": rule.trigger_compiled}
    texts = {**ADVERSARIAL, **own_texts(rule)}
    slow: list[Slow] = []
    for what, pattern in compiled.items():
        if pattern is None:
            continue
        for name, text in texts.items():
            start = time.perf_counter()
            try:
                for _ in pattern.finditer(text, timeout=MATCH_TIMEOUT):
                    pass
            except TimeoutError:
                slow.append(Slow(rule, name, None, what))
                continue
            took = time.perf_counter() - start
            if took > SLOW_SECONDS:
                slow.append(Slow(rule, name, took, what))
    return slow


def check_speed(rules: RuleSet) -> list[Slow]:
    return [s for rule in rules.rules for s in time_rule(rule)]


@dataclass
class Greedy:
    rule: Rule
    share: float
    sentences: int

    def __str__(self) -> str:
        return (f"{self.rule.file}:{self.rule.line} [{self.rule.id}]: alone, this clean rule removes "
                f"{self.share:.0%} of the text of the fact rules' {self.sentences} example sentences "
                f"(limit {GREEDY_SHARE:.0%}); it would delete most of an article and its facts: "
                f"make the pattern match only the boilerplate")


def check_clean_share(rules: RuleSet) -> list[Greedy]:
    texts = [normalize_chars(str(ex["text"])) for r in rules.fact_rules for ex in (*r.examples, *r.negatives)
             if isinstance(ex, dict) and ex.get("text")]
    total = sum(map(len, texts))
    if not total:
        return []
    out = []
    for rule in (r for r in rules.rules if r.action in REMOVING):
        kept = sum(len(clean(t, [], [rule]).view.text) for t in texts)
        share = 1 - kept / total
        if share > GREEDY_SHARE:
            out.append(Greedy(rule, share, len(texts)))
    return out
