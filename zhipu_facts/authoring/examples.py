"""Run the examples every rule carries, and say precisely what differed.

A positive example names the exact span of the fact in its text and the
values expected; it passes when the whole rule set, run on the text, yields a
fact at that span, from this rule, with those values. A negative passes when
the text yields no fact of the rule's kind (but those listed in its `allow`). A known miss is expected to fail;
one that passes is reported, so the fix is noticed and the miss promoted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..fact import Fact
from ..ingest.clean import normalize_chars
from ..ingest.header import find_byline
from ..pipeline import analyze
from ..core.rule import TRIGGER_REACH, Rule
from ..engine.rule_schema import TEXT_FIELDS, VALUE_FIELDS
from ..engine.rules import CLEAN, RuleSet
from ..kinds import KINDS



@dataclass
class ExampleResult:
    owner: str  # the rule id, or lexicon:<name>
    file: str
    what: str  # example, negative, known_miss
    index: int
    text: str
    problem: str | None  # None when it passed

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        return f"{self.file} [{self.owner}] {self.what} #{self.index + 1} {self.text!r}: {self.problem}"


def run_examples(rules: RuleSet, only: list[Rule] | None = None) -> list[ExampleResult]:
    out: list[ExampleResult] = []
    for rule in only or rules.rules:
        def add(what: str, i: int, text: str, problem: str | None, rule: Rule = rule) -> None:
            out.append(ExampleResult(rule.id, rule.file, what, i, text, problem))

        for i, ex in enumerate(rule.examples):
            add("example", i, str(ex["text"]), _check_positive(rule, ex, rules))
        for i, neg in enumerate(rule.negatives):
            text = str(neg["text"]) if isinstance(neg, dict) else str(neg)
            allow = set(neg.get("allow") or []) if isinstance(neg, dict) else set()
            add("negative", i, text, _check_negative(rule, text, allow, rules))
        for i, ex in enumerate(rule.known_misses):
            problem = _check_positive(rule, ex, rules)
            add("known_miss", i, str(ex["text"]), None if problem else "passes now: move it to examples")
    if only is None:
        for lex in rules.lexicons.values():
            # A user's lexicon extends the shipped one: each example is counted
            # and blamed in the file that holds it.
            counted: dict[str, int] = {}
            for ex in lex.examples:
                file = ex.get("__file__", lex.file)
                i = counted[file] = counted.get(file, -1) + 1
                out.append(ExampleResult(f"lexicon:{lex.name}", file, "example", i, str(ex["text"]),
                                         _check_meaning(ex, rules)))
    return out


def _check_meaning(ex: dict[str, Any], rules: RuleSet) -> str | None:
    """A lexicon example: the money or percent fact at `span` has the given
    metric / subject / per / as_of."""
    text, span = str(ex["text"]), str(ex["span"])
    at = text.find(span)
    if at < 0:
        return f"the span {span!r} is not in the text"
    facts = [f for f in analyze(text, rules, published=_published(ex)).facts if KINDS[f.kind].measured]
    fact = next((f for f in facts if f.start == at and f.end == at + len(span)), None)
    if fact is None:
        return f"no money or percent fact at {span!r}; got {[f.text for f in facts]}"
    return _field_problem(ex, fact)


def _published(ex: dict[str, Any]) -> dt.date | None:
    value = ex.get("published")
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _check_positive(rule: Rule, ex: dict[str, Any], rules: RuleSet) -> str | None:
    text = str(ex["text"])
    if rule.kind == CLEAN:
        return _check_clean(rule, ex, rules)
    # Examples that expect a resolved relative date say `published`; others
    # run without one, as an article with no date would.
    analysis = analyze(text, rules, published=_published(ex))
    span = str(ex["span"])
    at = text.find(span)
    if at < 0:
        return f"the span {span!r} is not in the text"
    problem = _trigger_problem(rule, text, span, at, analysis.cleaned.view.text)
    if problem:
        return problem
    same_kind = [f for f in analysis.facts if f.kind == rule.kind]
    fact = next((f for f in same_kind if f.start == at and f.end == at + len(span)), None)
    if fact is None:
        near = [f for f in same_kind if f.start < at + len(span) and at < f.end]
        if near:
            got = ", ".join(f"{f.text!r} ({f.rule})" for f in near)
            return f"wrong span: expected {span!r}, got {got}"
        fired = [c for c in analysis.candidates if c.rule is rule]
        if fired:
            return f"no fact: the rule matched {fired[0].match.group()!r} but the normalizer dropped it or another rule won"
        return f"no match: expected a {rule.kind} fact {span!r}"
    if fact.rule != rule.id:
        return f"the fact {span!r} came from {fact.rule}, not from this rule"
    return _field_problem(ex, fact)


def _field_problem(ex: dict[str, Any], fact: Fact) -> str | None:
    """What differs between the values an example expects and the fact's."""
    diffs = []
    for name in VALUE_FIELDS:
        if name in ex and not _same_number(ex[name], getattr(fact, name)):
            diffs.append(f"{name}: expected {ex[name]}, got {_show(getattr(fact, name))}")
    for name in TEXT_FIELDS:
        if name in ex:
            got = getattr(fact, name)
            want = None if ex[name] is None else str(ex[name])
            if got != want:
                diffs.append(f"{name}: expected {want!r}, got {got!r}")
    if "flags" in ex:
        want = set(ex["flags"] or [])
        if want != fact.flags:
            diffs.append(f"flags: expected {sorted(want)}, got {sorted(fact.flags)}")
    return ("wrong value: " + "; ".join(diffs)) if diffs else None


def _trigger_problem(rule: Rule, text: str, span: str, at: int, view: str) -> str | None:
    """A rule runs only on the text within TRIGGER_REACH of its trigger's hits
    (match.trigger_windows): the span must lie within reach of a hit, which
    may look around it (a magnitude with the counted noun after it). Checked
    in the cleaned view, which is what triggers see (markdown and boilerplate
    cut), unless the span is not in it as written (markup inside the span)."""
    if rule.trigger_compiled is None:
        return None
    norm = normalize_chars(text)
    in_view = view.find(normalize_chars(span))
    if in_view >= 0:
        norm, at = view, in_view
    end = at + len(span)
    for m in rule.trigger_compiled.finditer(norm):
        if m.start() - TRIGGER_REACH <= at and end <= m.end() + TRIGGER_REACH:
            return None
    return (f"the trigger {rule.trigger!r} does not occur within {TRIGGER_REACH} characters of "
            f"both ends of the span {span!r}: the rule would never run on it")


def _check_negative(rule: Rule, text: str, allow: set[str], rules: RuleSet) -> str | None:
    """No fact of the rule's kind, except the legitimate ones listed in `allow`."""
    if rule.kind == CLEAN:
        normalized = normalize_chars(text)
        if rule.action == "byline":
            hit = find_byline(normalized, 0, [rule])
            return f"found a byline date {hit[0]}" if hit else None
        m = rule.compiled.search(normalized)
        return f"the rule matched {m.group()!r}" if m else None
    analysis = analyze(text, rules)
    extra = [f for f in analysis.facts if f.kind == rule.kind and f.text not in allow]
    if extra:
        return "extra fact: " + ", ".join(f"{f.text!r} ({f.rule})" for f in extra)
    return None


def _check_clean(rule: Rule, ex: dict[str, Any], rules: RuleSet) -> str | None:
    text = str(ex["text"])
    analysis = analyze(text, rules)
    if rule.action == "byline":
        want = _published(ex)
        got = analysis.header.published
        if analysis.header.published_from not in ("byline", "dateline") or got != want:
            return f"expected byline date {want}, got {got} (from {analysis.header.published_from})"
        return None
    if "clean" in ex:
        got = analysis.cleaned.view.text
        want = normalize_chars(str(ex["clean"]))
        if got.strip() != want.strip():
            return f"cleaned text differs: expected {want!r}, got {got!r}"
    return None


def _same_number(want: Any, got: Decimal | None) -> bool:
    if want is None or got is None:
        return want is None and got is None
    return Decimal(str(want)) == got


def _show(x: Decimal | None) -> str:
    return "null" if x is None else format(x.normalize(), "f")
