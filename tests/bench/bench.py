"""`make bench`: throughput and peak memory of `zfacts extract` on a large corpus.

Builds a corpus of at least 20 MB by copying the bundled articles (and a
front-matter-free variant of each, so both header paths are exercised) into
many files, then runs the real command line end to end several times and
reports the median characters per second, plus the time spent in matching
alone (in-process) and the peak resident memory of the extract process.

Figures are medians because the machines are noisy; run it twice before
believing a change of less than 10%.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "seeds"


def build_corpus(folder: Path, min_bytes: int) -> tuple[int, int, int]:
    """Copies of the seeds until min_bytes; returns (files, bytes, characters)."""
    seeds = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    files = size = chars = 0
    i = 0
    while size < min_bytes:
        for name, data in seeds:
            sub = folder / f"batch{i // 200:03d}"
            sub.mkdir(exist_ok=True)
            (sub / f"{i:05d}_{name}").write_bytes(data)
            files += 1
            size += len(data)
            chars += len(data.decode("utf-8-sig"))
            i += 1
    return files, size, chars


def run_extract(corpus: Path, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `zfacts extract` in a child process."""
    cmd = [sys.executable, "-m", "zhipu_facts", "extract", str(corpus), "-o", str(out)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"extract failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def matching_share(corpus: Path, limit: int = 200) -> tuple[float, float, float]:
    """Characters per second of the match stage alone, the same with every
    rule run over the whole text (triggers off), and the stage's share of
    in-process time."""
    sys.path.insert(0, str(ROOT))
    from zhipu_facts.clean import clean, normalize_chars
    from zhipu_facts.frontmatter import read_header
    from zhipu_facts.match import find_candidates
    from zhipu_facts.pipeline import analyze
    from zhipu_facts.rules import load_rules

    rules = load_rules()
    byline = [r for r in rules.of_kind("clean") if r.action == "byline"]
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(corpus.rglob("*.txt"))[:limit]]
    prepared = []
    for t in texts:
        norm = normalize_chars(t)
        h = read_header(t, norm, byline)
        prepared.append(clean(norm, [(0, h.body_start)] + ([h.byline] if h.byline else []), rules.of_kind("clean")))
    t0 = time.perf_counter()
    for c in prepared:
        find_candidates(c.view.text, rules.fact_rules, c.sentences)
    match_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for c in prepared:
        find_candidates(c.view.text, rules.fact_rules)  # no sentences: no trigger windows
    everywhere_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        analyze(t, rules)
    total_s = time.perf_counter() - t0
    chars = sum(len(t) for t in texts)
    return chars / match_s, chars / everywhere_s, match_s / total_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--runs", type=int, default=3, help="end-to-end runs (median reported)")
    ap.add_argument("--format", default="csv", choices=["csv", "jsonl", "parquet"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zfacts-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        files, size, chars = build_corpus(corpus, int(args.mb * 1_000_000))
        print(f"corpus: {files} files, {size / 1e6:.1f} MB, {chars:,} characters")
        times, peaks = [], []
        for i in range(args.runs):
            elapsed, peak = run_extract(corpus, Path(tmp) / f"facts.{args.format}")
            times.append(elapsed)
            peaks.append(peak)
            print(f"  run {i + 1}: {elapsed:.2f} s, {chars / elapsed:,.0f} chars/s")
        med = statistics.median(times)
        print(f"end to end (median of {args.runs}): {chars / med:,.0f} characters/second, "
              f"{size / 1e6 / med:.2f} MB/s, one process on one core")
        print(f"peak memory (max RSS of the extract processes): {max(peaks) / 1024:.0f} MiB")
        rate, everywhere, share = matching_share(corpus)
        print(f"matching alone: {rate:,.0f} characters/second ({share:.0%} of in-process time); "
              f"with triggers off: {everywhere:,.0f} (triggers make it {rate / everywhere:.1f}x faster)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
