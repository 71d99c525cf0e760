"""Compare extracted facts with tests/gold (dev-gold): shared by the gold test and `make gold`."""

from __future__ import annotations

import json
from pathlib import Path

GOLD_DIR = Path(__file__).parent / "gold"
FIELDS = ("kind", "value", "low", "high", "qualifier", "unit", "per", "change", "basis", "as_of")


def load_gold(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def locate(text: str, needle: str, occurrence: int) -> int:
    """Offset of the occurrence-th (1-based) appearance of needle in text."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def compare(source_text: str, gold: list[dict], rows: list[dict], fields=FIELDS):
    """(found, exact, mismatches, misses): gold rows found at their span, with
    all `fields` equal, what differed, and what was not found."""
    by_span = {(r["start"], r["end"]): r for r in rows}
    found = exact = 0
    mismatches, misses = [], []
    for g in gold:
        start = locate(source_text, g["text"], g["occurrence"])
        row = by_span.get((start, start + len(g["text"])))
        if row is None:
            misses.append(g)
            continue
        found += 1
        diff = {f: (g[f], row[f]) for f in fields if not _same(g[f], row[f])}
        if diff:
            mismatches.append((g, diff))
        else:
            exact += 1
    return found, exact, mismatches, misses


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return a == b
