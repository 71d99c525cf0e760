"""`make gold`: how the extraction of data/seeds/ compares with tests/gold (dev-gold).

Prints, per field group, how many dev-gold facts are found at their exact span
with the fields right, then lists each miss and difference. The test suite
asserts floors on the same figures (tests/test_seeds.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from goldcheck import compare, load_gold

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ["000_a63247ef244cd01e", "001_cc1f2bab48428305"]
REPORTS = [
    ("money and percent: value, low, high, unit, qualifier", ("money", "percent"),
     ("kind", "value", "low", "high", "unit", "qualifier")),
    ("money and percent: per", ("money", "percent"), ("per",)),
    ("money and percent: as_of", ("money", "percent"), ("as_of",)),
    ("money and percent: metric", ("money", "percent"), ("metric",)),
    ("money and percent: subject", ("money", "percent"), ("subject",)),
    ("dates: as_of", ("date",), ("kind", "as_of")),
    ("all facts, every value field", ("money", "percent", "date"),
     ("kind", "value", "low", "high", "qualifier", "unit", "per", "as_of")),
]


def main() -> None:
    out = subprocess.run([sys.executable, "-m", "zhipu_facts", "extract", str(ROOT / "data" / "seeds"),
                          "--format", "jsonl"], capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    texts = {a: (ROOT / "data" / "seeds" / f"{a}.txt").read_text(encoding="utf-8") for a in ARTICLES}
    for label, kinds, fields in REPORTS:
        ok = total = 0
        for a in ARTICLES:
            gold = [g for g in load_gold(a + ".jsonl") if g["kind"] in kinds]
            _, exact, _, _ = compare(texts[a], gold, [r for r in rows if r["source"] == a + ".txt"], fields)
            ok, total = ok + exact, total + len(gold)
        print(f"{label:55s} {ok:3d}/{total:<3d} = {ok / total:.3f}")
    print()
    fields = ("kind", "value", "low", "high", "qualifier", "unit", "per", "as_of", "metric", "subject")
    for a in ARTICLES:
        _, _, mismatches, misses = compare(texts[a], load_gold(a + ".jsonl"),
                                           [r for r in rows if r["source"] == a + ".txt"], fields)
        for g in misses:
            print(f"{a}: missed {g['text']!r} #{g['occurrence']} ({g['kind']}, as_of {g['as_of']})")
        for g, diff in mismatches:
            print(f"{a}: {g['text']!r} #{g['occurrence']}: " + ", ".join(f"{k} gold {v[0]!r} got {v[1]!r}"
                                                                        for k, v in diff.items()))


if __name__ == "__main__":
    main()
