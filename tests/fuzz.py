"""`make fuzz`: the pipeline's invariants on a million generated news texts.

    python tests/fuzz.py [--count 1000000] [--seed 1] [--inserted 0.5]

Texts are strung from fuzz_news.PIECES (odd and invisible characters among
them) with a seeded random generator (the same seed, the same texts). A
failing input is shrunk (pieces dropped while it still fails) and appended
to tests/fuzz_corpus.jsonl, which the test suite replays.

A share of the inputs (`--inserted`) is the inserted-character class
instead: a realistic sentence of the seeds with one of fuzz_news.INSERTED
put at a random place (inside a number two times in three); inside a
number it must give no number the sentence did not (fuzz_news.check_inserted). Its
failures go to tests/fuzz_inserted.jsonl. The run prints the count of
each class, the rate and the violations.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_news import (INSERTED, PIECES, check, check_inserted, inside_number, numbers,  # noqa: E402
                       realistic_sentences)

from zhipu_facts import shipped_rules  # noqa: E402

CORPUS = Path(__file__).with_name("fuzz_corpus.jsonl")
INSERTED_CORPUS = Path(__file__).with_name("fuzz_inserted.jsonl")


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


def inserted_fails(sentence: str, at: int, ch: str, published: str | None, rules, before) -> str | None:
    try:
        check_inserted(sentence, at, ch, published, rules, before)
    except Exception as e:  # the failure itself is the finding
        return f"{type(e).__name__}: {e}"[:400]
    return None


def place(rng: random.Random, sentence: str) -> int:
    """Where to insert: inside a number two times in three, else anywhere."""
    inside = [i for i in range(len(sentence) + 1) if inside_number(sentence, i)]
    return rng.choice(inside) if inside and rng.random() < 2 / 3 else rng.randint(0, len(sentence))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--inserted", type=float, default=0.5, help="share of inputs of the inserted-character class")
    args = ap.parse_args()
    rules = shipped_rules()
    rng = random.Random(args.seed)
    dates = [None, "2025-02-11", "2024-12-31", "0001-01-01", "9999-12-31", "2000-02-29"]
    sentences = realistic_sentences()
    stated: dict[tuple[int, str | None], set] = {}  # a sentence's numbers, made once
    found, inserted_found, counts = [], [], {"generated": 0, "inserted": 0}
    start = time.perf_counter()
    for n in range(1, args.count + 1):
        published = rng.choice(dates)
        if rng.random() < args.inserted:
            counts["inserted"] += 1
            k = rng.randrange(len(sentences))
            sentence, ch = sentences[k], rng.choice(INSERTED)
            at = place(rng, sentence)
            if (k, published) not in stated:
                stated[k, published] = numbers(sentence, published, rules)
            problem = inserted_fails(sentence, at, ch, published, rules, stated[k, published])
            if problem:
                inserted_found.append({"sentence": sentence, "at": at, "char": ch, "published": published,
                                       "problem": problem})
                print(f"FAIL inserted {inserted_found[-1]}", flush=True)
        else:
            counts["generated"] += 1
            pieces = [rng.choice(PIECES) for _ in range(rng.randint(1, 30))]
            problem = fails(pieces, published, rules)
            if problem:
                small = shrink(pieces, published, rules)
                found.append({"text": "".join(small), "published": published,
                              "problem": fails(small, published, rules)})
                print(f"FAIL {found[-1]}", flush=True)
        if n % 10_000 == 0:
            print(f"{n:,} inputs, {n / (time.perf_counter() - start):,.0f} per second, "
                  f"{len(found) + len(inserted_found)} violations", flush=True)
    took = time.perf_counter() - start
    print(f"{args.count:,} inputs in {took:.0f} s ({args.count / took:,.0f} per second): "
          f"{counts['generated']:,} generated, {len(found)} violations; "
          f"{counts['inserted']:,} with an inserted character, {len(inserted_found)} violations")
    if found:
        with CORPUS.open("a", encoding="utf-8") as fh:
            for f in found:
                fh.write(json.dumps({"text": f["text"], "published": f["published"]}, ensure_ascii=False) + "\n")
    if inserted_found:
        with INSERTED_CORPUS.open("a", encoding="utf-8") as fh:
            for f in inserted_found:
                fh.write(json.dumps({k: f[k] for k in ("sentence", "at", "char", "published")},
                                    ensure_ascii=False) + "\n")
    if found or inserted_found:
        sys.exit(1)


if __name__ == "__main__":
    main()
