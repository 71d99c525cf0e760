"""Metric and subject accuracy on articles about companies in no list (`make gold`).

The labels are tests/gold/meaning.yaml; the articles tests/corpus/html and
tests/corpus/companies. A fact is paired with its label by source, text and
occurrence; every difference is printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

import zhipu_facts as zf
from zhipu_facts.ingest.read import find_files

HERE = Path(__file__).parent
FOLDERS = [HERE / "corpus" / "html", HERE / "corpus" / "companies"]


def scores() -> tuple[dict[str, list[int]], list[str]]:
    """{field: [right, total]} and the misses."""
    labels = yaml.safe_load((HERE / "gold" / "meaning.yaml").read_text(encoding="utf-8"))
    got: dict[tuple[str, str, int], zf.Fact] = {}
    for article in zf.extract_files([f for folder in FOLDERS for f in find_files([folder])]):
        seen: dict[str, int] = {}
        for f in article.facts:
            if f.kind == "date":
                continue
            n = seen.get(f.text, 0)
            seen[f.text] = n + 1
            got[(article.source, f.text, n)] = f
    tally = {"metric": [0, 0], "subject": [0, 0]}
    misses: list[str] = []
    for source, rows in labels.items():
        seen = {}
        for text, metric, subject in rows:
            n = seen.get(text, 0)
            seen[text] = n + 1
            f = got.get((source, text, n))
            for name, want in (("metric", metric), ("subject", subject)):
                have = getattr(f, name) if f is not None else "(no fact)"
                tally[name][1] += 1
                if have == want:
                    tally[name][0] += 1
                else:
                    misses.append(f"{source}: {text!r} #{n + 1}: {name} labelled {want!r}, got {have!r}")
    return tally, misses


def main() -> int:
    tally, misses = scores()
    for name, (right, total) in tally.items():
        print(f"companies in no list: {name:8} {right}/{total} = {right / total:.3f}")
    for m in misses:
        print(m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
