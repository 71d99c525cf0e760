"""`make bench`: throughput and peak memory of `zfacts extract` on a large corpus.

Builds a corpus of at least 20 MB by copying the bundled articles into many
files, then runs the real command line end to end several times and
reports the median characters per second, the peak resident memory of the
extract process, and (in-process) the share of time each stage takes.

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


def stage_split(corpus: Path, limit: int = 400) -> tuple[dict[str, float], int, float]:
    """In-process seconds per stage over the first `limit` articles (read and
    write included), their characters, and the match stage's speed with
    triggers off (every rule over the whole text)."""
    sys.path.insert(0, str(ROOT))
    import io

    from zhipu_facts.engine.match import find_candidates
    from zhipu_facts.engine.rules import load_rules
    from zhipu_facts.ingest.read import read_document
    from zhipu_facts.pipeline import Laps, analyze
    from zhipu_facts.table.schema import SCHEMA
    from zhipu_facts.table.write import open_writer

    rules = load_rules()
    paths = sorted(corpus.rglob("*.txt"))[:limit]
    writer = open_writer(None, "csv", io.StringIO(), SCHEMA)
    laps = Laps()
    chars = 0
    views = []
    for path in paths:
        laps.start()
        doc = read_document(path, path.name)
        laps.lap("read")
        result = analyze(doc.text, rules, source=doc.source, sha256=doc.sha256, laps=laps)
        writer.write([f.row() for f in result.facts])
        laps.lap("rows and CSV")
        chars += len(doc.text)
        views.append(result.cleaned.view.text)
    start = time.perf_counter()
    for text in views:
        find_candidates(text, rules.fact_rules)  # no sentences: no trigger windows
    everywhere = time.perf_counter() - start
    return laps.seconds, chars, everywhere


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
        seconds, sample, everywhere = stage_split(corpus)
        total = sum(seconds.values())
        print(f"in process, first 400 articles ({sample:,} characters): {sample / total:,.0f} characters/second")
        for stage, took in seconds.items():
            print(f"  {stage:20s} {took / total:6.1%}  {sample / took / 1e6:8.1f} M chars/s")
        match = seconds["match"]
        print(f"matching alone: {sample / match:,.0f} characters/second; with triggers off: "
              f"{sample / everywhere:,.0f} (triggers make it {everywhere / match:.1f}x faster)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
