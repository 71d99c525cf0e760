"""Stage 4: run the fact rules over the cleaned view and settle overlaps."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .model import Candidate
from .rules import MATCH_TIMEOUT, TRIGGER_REACH, Rule


def timeout_warning(rule: Rule) -> str:
    return (f"rule {rule.id} ({rule.file}:{rule.line}) timed out after {MATCH_TIMEOUT:g} s and was skipped "
            f"for this text: its pattern backtracks too much (`zfacts rules check` times it)")


def find_candidates(text: str, rules: list[Rule], sentences: list[tuple[int, int]] | None = None,
                    warnings: list[str] | None = None) -> list[Candidate]:
    """Every non-empty match of every rule, in no particular order.

    A rule with a trigger runs only near the places its trigger occurs; each
    distinct trigger is scanned once per text. Most of a news article holds no
    number, so most of it is never seen by most rules.
    """
    out: list[Candidate] = []
    windows_of: dict[str, list[tuple[int, int]]] = {}
    starts = [s for s, _ in sentences] if sentences is not None else []
    for rule in rules:
        if rule.trigger is None or sentences is None:
            windows = [(0, len(text))]
        else:
            windows = windows_of.get(rule.trigger)
            if windows is None:
                windows = windows_of[rule.trigger] = trigger_windows(text, rule.trigger_compiled, sentences, starts)
        finditer = rule.compiled.finditer
        found: list[Candidate] = []
        try:
            for a, b in windows:
                for m in finditer(text, a, b, timeout=MATCH_TIMEOUT):
                    s, e = m.span()
                    if e > s:
                        found.append(Candidate(rule, s, e, m))
        except TimeoutError:
            # A runaway pattern costs its own matches in this text, not the run.
            if warnings is not None:
                warnings.append(timeout_warning(rule))
            continue
        out.extend(found)
    return out


def trigger_windows(text: str, trigger, sentences: list[tuple[int, int]], starts: list[int]
                    ) -> list[tuple[int, int]]:
    """Merged spans within TRIGGER_REACH of the trigger's hits, clipped to their sentences."""
    windows: list[tuple[int, int]] = []
    if not sentences:
        return windows
    last = len(sentences) - 1
    for m in trigger.finditer(text):
        first_s = bisect_right(starts, m.start()) - 1
        last_s = bisect_right(starts, m.end() - 1) - 1
        a = max(sentences[max(first_s, 0)][0], m.start() - TRIGGER_REACH)
        b = min(sentences[min(max(last_s, 0), last)][1], m.end() + TRIGGER_REACH)
        if a >= b:
            continue
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(b, windows[-1][1]))
        else:
            windows.append((a, b))
    return windows


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


__all__ = ["Candidate", "find_candidates", "select", "timeout_warning"]
