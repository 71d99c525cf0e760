"""How zfacts reads the hand-labelled news set (tests/corpus/news, tests/gold/news).

The figures the issues on trust are measured by, on text written in the styles
of real news (Taiwan court and company news, a fund weekly, a dividend
announcement, a market wrap, a results flash, an industry piece, a portal page):

- recall: gold facts that some row of the same kind covers (spans overlap:
  the labels and zfacts differ on where a separated qualifier belongs);
- value right: found facts whose value, bounds, unit and sign are right;
- silent wrong: rows with a wrong number, sign, currency or year (a year
  stated, not the gold's) and no flag that warns of it, out of every row
  written (the worst defect: nobody sees it);
- junk: rows that cover no gold fact (chrome, ranks, names, terms ...);
- as_of, metric and subject right on found money, percent and quantity facts.

`make gold` prints them per article, then every silent wrong row and every
miss; tests/test_news.py holds floors on the totals.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from goldcheck import locate

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "news"
GOLD = ROOT / "tests" / "gold" / "news"
#: Flags that tell the analyst a value may be wrong (fx_* only say CNY is missing).
WARNING_FLAGS = frozenset({"implied_currency", "unresolved_date", "inferred_year", "vague_magnitude",
                           "series_mismatch", "implied_per", "number_too_large"})
MEASURED = ("money", "percent", "quantity")


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    rows: int = 0
    value_right: int = 0
    silent_wrong: list = field(default_factory=list)
    junk: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    measured: int = 0
    as_of_right: int = 0
    metric_right: int = 0
    subject_right: int = 0

    def add(self, other: Score) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def _number_right(g: dict, r: dict) -> bool:
    return all(_same(g[k], r[k]) for k in ("value", "low", "high")) and g["unit"] == r["unit"]


def _year_wrong(g: dict, r: dict) -> bool:
    """A year the row states that is not the gold's (a missing period is not
    a wrong year: the as_of column counts it)."""
    return bool(r["as_of"]) and (g["as_of"] or "")[:4] != r["as_of"][:4]


def score_article(text: str, gold: list[dict], rows: list[dict]) -> Score:
    s = Score(gold=len(gold), rows=len(rows))
    used: set[int] = set()
    for g in gold:
        start = locate(text, g["text"], g["occurrence"])
        end = start + len(g["text"])
        best, overlap = None, 0
        for i, r in enumerate(rows):
            if i in used or r["kind"] != g["kind"]:
                continue
            o = min(end, r["end"]) - max(start, r["start"])
            if o > overlap:
                best, overlap = i, o
        if best is None:
            s.misses.append(g)
            continue
        used.add(best)
        r = rows[best]
        s.found += 1
        number = g["kind"] == "date" or _number_right(g, r)
        s.value_right += number
        flagged = bool(set(r["flags"] or []) & WARNING_FLAGS)
        if (not number or _year_wrong(g, r)) and not flagged:
            s.silent_wrong.append((g, r))
        if g["kind"] in MEASURED:
            s.measured += 1
            s.as_of_right += g["as_of"] == r["as_of"]
            s.metric_right += g["metric"] == r["metric"]
            s.subject_right += g["subject"] == r["subject"]
    s.junk = [r for i, r in enumerate(rows) if i not in used]
    return s


def extract_rows() -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "zhipu_facts", "extract", str(CORPUS), "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    for r in rows:
        r["flags"] = r["flags"].split(";") if isinstance(r["flags"], str) else (r["flags"] or [])
    return rows


def score_all(rows: list[dict]) -> dict[str, Score]:
    scores = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        text = (CORPUS / (path.stem + ".txt")).read_text(encoding="utf-8")
        gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        scores[path.stem] = score_article(text, gold, [r for r in rows if r["source"] == path.stem + ".txt"])
    return scores


def _share(n: int, d: int) -> str:
    return f"{n / d:6.3f}" if d else "     -"


def main() -> None:
    scores = score_all(extract_rows())
    total = Score()
    print(f"{'article':32s} {'gold':>5s} {'recall':>6s} {'value':>6s} {'silent':>6s} {'junk':>6s} "
          f"{'as_of':>6s} {'metric':>6s} {'subj':>6s}")
    for name, s in [*scores.items(), ("total", None)]:
        if s is None:
            for other in scores.values():
                total.add(other)
            s = total
        print(f"{name:32s} {s.gold:5d} {_share(s.found, s.gold)} {_share(s.value_right, s.found)} "
              f"{_share(len(s.silent_wrong), s.rows)} {_share(len(s.junk), s.rows)} "
              f"{_share(s.as_of_right, s.measured)} {_share(s.metric_right, s.measured)} "
              f"{_share(s.subject_right, s.measured)}")
    print("\nrecall: gold facts found; value: of those, value, bounds and unit right; silent: rows with a wrong"
          "\nnumber, sign, currency or year and no warning flag, of all rows; junk: rows that are no gold fact")
    for name, s in scores.items():
        for g, r in s.silent_wrong:
            print(f"{name}: silent {g['text']!r}: gold {g['value']} {g['low']} {g['high']} {g['unit']} {g['as_of']}, "
                  f"got {r['value']} {r['low']} {r['high']} {r['unit']} {r['as_of']}")
        for g in s.misses:
            print(f"{name}: missed {g['text']!r} ({g['kind']})")
        for r in s.junk:
            print(f"{name}: junk {r['text']!r} ({r['kind']}, {r['rule']})")


if __name__ == "__main__":
    main()
