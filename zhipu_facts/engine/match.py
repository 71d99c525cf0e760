"""Stage 4: run the fact rules over the cleaned view and settle overlaps."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ..fact import Candidate
from ..core.textview import Spans
from ..core.numbers import NUMERAL_CHARS
from ..core.pieces import groups_within, pieces
from ..core.rule import MATCH_TIMEOUT, TRIGGER_REACH, Rule, timeout_warning


def find_candidates(text: str, rules: list[Rule], sentences: Sequence[tuple[int, int]] | None = None,
                    warnings: list[str] | None = None, span: tuple[int, int] | None = None,
                    dead: set[str] | None = None) -> list[Candidate]:
    """Every non-empty match of every rule, in no particular order.

    A rule with a trigger runs only near the places its trigger occurs; each
    distinct trigger is scanned once per text. Most of a news article holds no
    number, so most of it is never seen by most rules.

    The windows of one trigger are joined into one string, separated by line
    breaks, and each rule scans it once: a call into the regex engine (with its
    timeout) costs more than scanning a short window, so one call per rule
    instead of one per window is what makes this stage fast. No scan sees
    more than core/pieces.PIECE characters: long texts and long joins are
    scanned piece by piece, each piece with its own timeout.

    `span` (a, b): only text[a:b] is read, `sentences` being its sentences,
    and `a` one of pieces(text)'s cuts: the matches are those of the whole
    text's scan that lie in it (pipeline.py reads a long article a section
    at a time). `dead`: the ids of rules that timed out on an earlier
    section of the same text; they sit out this one, and those that time out
    here are added.
    """
    out: list[Candidate] = []
    a, b = span or (0, len(text))
    dead = set() if dead is None else dead
    if sentences is None:
        for rule in rules:
            _scan(rule, text, a, b, out, warnings)
        return out
    sentences = Spans.of(sentences)
    by_trigger: dict[str | None, list[Rule]] = {}
    for rule in rules:
        if rule.id not in dead:
            by_trigger.setdefault(rule.trigger, []).append(rule)
    for trigger, group in by_trigger.items():
        if trigger is None:
            for rule in group:
                if not _scan(rule, text, a, b, out, warnings):
                    dead.add(rule.id)
            continue
        try:
            windows = trigger_windows(text, group[0].trigger_compiled, sentences, a, b)
        except _TriggerTimeout as e:
            if warnings is not None:
                warnings.extend(timeout_warning(rule, "trigger", e.at) for rule in group)
            dead.update(rule.id for rule in group)
            continue
        live = list(group)  # a rule that times out on one piece sits out the rest of the text
        for part in groups_within(windows):
            joined, offsets, shifts = _join(text, part)
            for rule in list(live):
                found: list[Candidate] = []
                if not _scan(rule, joined, 1, len(joined), found, warnings, at=part[0][0]):
                    live.remove(rule)
                    dead.add(rule.id)
                    continue
                for c in found:
                    # Back to text offsets; a match across a separator is no match.
                    k = bisect_right(offsets, c.start) - 1
                    if c.end <= offsets[k] + part[k][1] - part[k][0]:
                        c.shift = shifts[k]
                        c.start += shifts[k]
                        c.end += shifts[k]
                        out.append(c)
    return out


def _scan(rule: Rule, text: str, a: int, b: int, out: list[Candidate],
          warnings: list[str] | None, at: int | None = None) -> bool:
    """Append the rule's matches in text[a:b], piece by piece; False when it
    timed out (its matches before that piece are kept). `at` places a joined
    string's timeout in the text it came from."""
    for pa, pb in pieces(text, a, b):
        try:
            for m in rule.finditer(text, pa, pb):
                s, e = m.span()
                if e > s:
                    out.append(Candidate(rule, s, e, m))
        except TimeoutError:
            # A runaway pattern costs its own matches from here on, not the run.
            if warnings is not None:
                warnings.append(timeout_warning(rule, at=pa if at is None else at))
            return False
    return True


def _join(text: str, windows: list[tuple[int, int]]) -> tuple[str, list[int], list[int]]:
    """The windows' text, each after a line break; where each starts in it,
    and the shift from joined offsets back to text offsets. The first window
    too has its line break: a rule's lookbehind sees the same before every
    window, wherever it falls in the join."""
    offsets, shifts = [], []
    at = 1
    for a, b in windows:
        offsets.append(at)
        shifts.append(a - at)
        at += b - a + 1
    return "\n" + "\n".join([text[a:b] for a, b in windows]), offsets, shifts


class _TriggerTimeout(Exception):
    def __init__(self, at: int):
        self.at = at


def trigger_windows(text: str, trigger, sentences: Sequence[tuple[int, int]], a: int = 0, b: int | None = None
                    ) -> list[tuple[int, int]]:
    """Spans within TRIGGER_REACH of the trigger's hits in text[a:b], merged
    where they overlap within a sentence, each inside its hits' sentence.

    A window never reaches into another sentence: a rule's lookbehind must not
    read the sentence before (月活!一万五千块 is no count of 月活), and what a
    sentence gives must not depend on whether its neighbour had a hit nearby
    (nor on where a long article's sections start)."""
    if not sentences:
        return []
    sentences = Spans.of(sentences)
    starts, ends = sentences.starts, sentences.ends
    reach = TRIGGER_REACH
    groups: list[tuple[int, int, int]] = []  # (first hit start, last hit end, its sentence)
    first = last = k = -1
    for pa, pb in pieces(text, a, b):
        try:
            hits = [m.span() for m in trigger.finditer(text, pa, pb, timeout=MATCH_TIMEOUT)]
        except TimeoutError:
            raise _TriggerTimeout(pa) from None
        for s, e in hits:
            if last < 0 or s - last > 2 * reach or s >= ends[k]:
                if last >= 0:
                    groups.append((first, last, k))
                first, last = s, e
                k = max(bisect_right(starts, s) - 1, 0)
            elif e > last:
                last = e
    if last >= 0:
        groups.append((first, last, k))
    windows: list[tuple[int, int]] = []
    final = len(sentences) - 1
    for s, e, k in groups:
        j = min(max(bisect_right(starts, e - 1) - 1, 0), final)  # k, unless a hit spans a sentence end
        # Never cut a number in two: 12,345,678,901,234,567.89元 is longer than
        # the reach, and cut it lost its leading digits (a Chinese numeral cut
        # could read as a smaller one); after a prefix (美元12,345,678,901,234,567.89)
        # it lost its trailing ones, and read as a smaller amount.
        wa, wb = max(starts[k], s - reach), min(ends[j], e + reach)
        while wa > starts[k] and text[wa - 1] in NUMERAL_CHARS:
            wa -= 1
        while wb < ends[j] and text[wb - 1] in NUMERAL_CHARS and text[wb] in NUMERAL_CHARS:
            wb += 1
        for i in range(k, j + 1):
            x, y = max(wa, starts[i]), min(wb, ends[i])
            if x < y:
                windows.append((x, y))
    return windows


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest wins, then the higher priority,
    then the earlier start. Returned in text order.

    Taken characters are marked in a byte array, so each candidate costs its
    own length to check and mark: linear in the text, where a sorted list of
    chosen spans cost a list insert (quadratic) per fact."""
    if not candidates:
        return []
    ranked = sorted(candidates, key=lambda c: (-c.length, -c.rule.priority, c.start, c.rule.id))
    at = min(c.start for c in candidates)  # a section of a long text: mark only its own span
    taken = bytearray(max(c.end for c in candidates) - at)
    chosen: list[Candidate] = []
    for c in ranked:
        s, e = c.start - at, c.end - at
        if taken.find(1, s, e) >= 0:
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


__all__ = ["Candidate", "find_candidates", "select"]
