"""`make fuzz`: the pipeline's invariants on a million generated news texts.

    python tests/fuzz.py [--count 1000000] [--seed 1]

Texts are strung from fuzz_news.PIECES with a seeded random generator (the
same seed, the same texts). A failing input is shrunk (pieces dropped while
it still fails) and appended to tests/fuzz_corpus.jsonl, which the test
suite replays; the run prints the count, the rate and the failures.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_news import PIECES, check  # noqa: E402

from zhipu_facts import shipped_rules  # noqa: E402

CORPUS = Path(__file__).with_name("fuzz_corpus.jsonl")


def fails(pieces: list[str], published: str | None, rules) -> str | None:
    try:
        check("".join(pieces), published, rules)
    except Exception as e:  # the failure itself is the finding
        return f"{type(e).__name__}: {e}"[:300]
    return None


def shrink(pieces: list[str], published: str | None, rules) -> list[str]:
    i = 0
    while i < len(pieces):
        shorter = pieces[:i] + pieces[i + 1:]
        if shorter and fails(shorter, published, rules):
            pieces = shorter
        else:
            i += 1
    return pieces


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rules = shipped_rules()
    rng = random.Random(args.seed)
    dates = [None, "2025-02-11", "2024-12-31", "0001-01-01", "9999-12-31", "2000-02-29"]
    found = []
    start = time.perf_counter()
    for n in range(1, args.count + 1):
        pieces = [rng.choice(PIECES) for _ in range(rng.randint(1, 30))]
        published = rng.choice(dates)
        problem = fails(pieces, published, rules)
        if problem:
            small = shrink(pieces, published, rules)
            found.append({"text": "".join(small), "published": published, "problem": fails(small, published, rules)})
            print(f"FAIL {found[-1]}", flush=True)
        if n % 100_000 == 0:
            print(f"{n:,} inputs, {n / (time.perf_counter() - start):,.0f} per second, {len(found)} failures", flush=True)
    took = time.perf_counter() - start
    print(f"{args.count:,} inputs in {took:.0f} s ({args.count / took:,.0f} per second): {len(found)} failures")
    if found:
        with CORPUS.open("a", encoding="utf-8") as fh:
            for f in found:
                fh.write(json.dumps({"text": f["text"], "published": f["published"]}, ensure_ascii=False) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
