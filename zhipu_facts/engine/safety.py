"""Guard against rules that backtrack catastrophically.

`zfacts rules check` runs every pattern and trigger over adversarial texts:
long runs of digits, of one Chinese numeral or unit, of alternating
separators, and of currency and qualifier words. A pattern or trigger is
rejected when any one of them takes longer than SLOW_SECONDS (each text is
about 4,000 characters; the shipped rules take well under a millisecond on
each). Independently, every match at run time, trigger scans included,
carries the regex module's timeout (rules.MATCH_TIMEOUT).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .rules import MATCH_TIMEOUT, Rule, RuleSet

#: A pattern slower than this on any adversarial text is rejected.
SLOW_SECONDS = 0.25

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
