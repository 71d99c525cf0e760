"""The rule record and its errors: what every stage knows of a rule.

The ground floor (zhipu_facts.core) imports nothing else of zfacts; the
engine loads rules into these records (engine/rules.py), and every stage
above reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: A rule with a trigger runs on the text within this many characters of each
#: trigger hit, inside the hit's sentence; its matches must lie in that reach
#: (`zfacts rules check` verifies it on every example).
TRIGGER_REACH = 24

#: Every match runs with this timeout (seconds): a runaway pattern costs one
#: article's facts of that rule, never the run.
MATCH_TIMEOUT = 1.0


class RuleTimeout(str):
    """A warning that a rule timed out: the run counts them (exit status 1).
    `at` is where the piece it timed out on begins, in the text it scanned
    (`in_view`: the cleaned view, else the normalized text); the pipeline
    turns it into a line of the article."""

    at: int | None = None
    in_view: bool = True


def timeout_warning(rule: Rule, what: str = "pattern", at: int | None = None, in_view: bool = True,
                    line: int | None = None, offset: int | None = None) -> RuleTimeout:
    # The character offset too: in a one-line file (a flattened table, a
    # scraped dump) "line 1" says nothing about where.
    where = "" if line is None else f" in the text from line {line}" + (
        f" (character {offset})" if offset is not None else "") + " on"
    w = RuleTimeout(f"rule {rule.id} ({rule.file}:{rule.line}) timed out{where} after {MATCH_TIMEOUT:g} s and "
                    f"was skipped for the rest of this text: its {what} backtracks too much "
                    f"(`zfacts rules check` times it)")
    w.rule, w.what, w.at, w.in_view = rule, what, at, in_view
    return w


@dataclass
class Problem:
    file: str
    line: int | None
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        who = f" [{self.rule}]" if self.rule else ""
        return f"{where}{who}: {self.message}"


class RuleError(Exception):
    """One or more rule files are wrong; ``problems`` lists each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Rule:
    id: str
    kind: str
    pattern: str  # expanded
    compiled: Any
    priority: int
    options: dict[str, Any]
    examples: list[dict[str, Any]]
    negatives: list[Any]
    known_misses: list[dict[str, Any]]
    file: str
    line: int
    action: str | None = None
    max_line: int | None = None
    # A cheap pattern: the rule runs only on sentences where it occurs.
    trigger: str | None = None
    trigger_compiled: Any = None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return self.compiled.finditer(
            text, pos, len(text) if endpos is None else endpos, timeout=MATCH_TIMEOUT
        )
