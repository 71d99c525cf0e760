"""Give money and percent facts the period of the date that governs them.

The governing date is the nearest date fact before the number in the same
sentence, unless a word saying "now" (如今, 目前, from the context lexicon)
stands between them: a fact stated as current keeps as_of null, since
`published` already says when it was true.
"""

from __future__ import annotations

import regex

from ..engine.rules import RuleSet
from ..fact import Fact
from ..ingest.clean import Cleaned


def attach_periods(facts: list[Fact], cleaned: Cleaned, rules: RuleSet) -> None:
    now = _now_pattern(rules)
    text = cleaned.view.text
    last_date: dict[int, Fact] = {}
    for f in facts:
        if f.kind == "date":
            if f.resolved.as_of:
                last_date[f.sentence] = f
            continue
        d = last_date.get(f.sentence)
        if d is None or now.search(text, d.view_end, f.view_start):
            continue
        f.resolved.as_of = d.resolved.as_of
        f.resolved.date_start = d.resolved.date_start
        f.resolved.date_end = d.resolved.date_end


def _now_pattern(rules: RuleSet) -> regex.Pattern:
    """The NOW fragment (from the context lexicon), compiled once per rule set."""
    return rules.derived("now", lambda rs: regex.compile(rs.fragments.get("NOW", "(?!)")))
