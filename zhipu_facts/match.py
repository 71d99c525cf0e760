"""Stage 4: run the fact rules over the cleaned view and settle overlaps."""

from __future__ import annotations

from bisect import bisect_left

from .model import Candidate
from .rules import Rule


class RuleTimeout(Exception):
    """A rule took longer than the match timeout on some text."""

    def __init__(self, rule: Rule):
        self.rule = rule
        super().__init__(f"rule {rule.id} ({rule.file}:{rule.line}) timed out: the pattern backtracks too much")


def find_candidates(text: str, rules: list[Rule]) -> list[Candidate]:
    """Every non-empty match of every rule, in no particular order."""
    out: list[Candidate] = []
    for rule in rules:
        try:
            for m in rule.finditer(text):
                if m.end() > m.start():
                    out.append(Candidate(rule, m.start(), m.end(), m))
        except TimeoutError as e:
            raise RuleTimeout(rule) from e
    return out


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest wins, then the higher priority,
    then the earlier start. Returned in text order."""
    ranked = sorted(candidates, key=lambda c: (-c.length, -c.rule.priority, c.start, c.rule.id))
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Candidate] = []
    for c in ranked:
        i = bisect_left(starts, c.start)
        if i > 0 and ends[i - 1] > c.start:
            continue
        if i < len(starts) and starts[i] < c.end:
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


__all__ = ["Candidate", "RuleTimeout", "find_candidates", "select", "overlaps"]
