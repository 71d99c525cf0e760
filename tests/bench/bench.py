"""`make bench`: throughput and peak memory of `zfacts extract` on a large corpus.

Builds a corpus of at least 20 MB by copying the bundled articles into many
files, then runs the real command line end to end several times and
reports the median characters per second, the peak resident memory of the
extract process, and (in-process) the share of time each stage takes. Then
times `zfacts compare` and `zfacts diff` on fact tables of --rows rows.

Figures are medians because the machines are noisy; run it twice before
believing a change of less than 10%.
"""

from __future__ import annotations

import argparse
import os
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


def run_zfacts(*args: str, ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `zfacts ARGS` in a child process."""
    cmd = [sys.executable, "-m", "zhipu_facts", *args]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not the largest child's so far
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            errors.seek(0)
            sys.exit(f"zfacts {args[0]} failed ({code}):\n{errors.read()[-2000:].decode(errors='replace')}")
    return elapsed, usage.ru_maxrss


def run_extract(corpus: Path, out: Path) -> tuple[float, int]:
    return run_zfacts("extract", str(corpus), "-o", str(out))


def bench_tables(folder: Path, rows: int, runs: int) -> None:
    """`zfacts compare` and `zfacts diff` on fact tables of `rows` rows (tables.py says how they are built)."""
    seeds = folder / "seeds.parquet"
    run_zfacts("extract", str(SEEDS), "-o", str(seeds))
    old, new = folder / "old.parquet", folder / "new.parquet"
    subprocess.run([sys.executable, str(Path(__file__).with_name("tables.py")), str(seeds), str(rows),
                    str(old), str(new)], check=True)
    for name, args, ok in (("compare", ["compare", str(old)], (0,)),
                           ("diff", ["diff", str(old), str(new)], (1,))):
        out = folder / f"{name}.parquet"
        times, peaks = zip(*(run_zfacts(*args, "-o", str(out), ok=ok) for _ in range(runs)))
        med = statistics.median(times)
        print(f"{name} of {rows:,} rows (median of {runs}): {med:.1f} s, {rows / med:,.0f} rows/second, "
              f"peak memory {max(peaks) / 1024:,.0f} MiB")


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
    ap.add_argument("--rows", type=int, default=1_000_000,
                    help="rows of the fact tables compare and diff get (default 1,000,000; 0 skips them)")
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
        if args.rows:  # before the in-process part below, which would raise the children's peak
            bench_tables(Path(tmp), args.rows, args.runs)
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
