"""The scale part of `make bench`: start-up, memory as the corpus grows, one
huge article, the cost against a bare regex scan, and --jobs 2 against --jobs 1.

Every figure comes from `zfacts` run as a user runs it, in a child process
(os.wait4 gives its wall time, CPU time and peak RSS, its worker processes
included); medians where a figure is run more than once.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "seeds"


#: Runs zfacts and, at exit, writes the process's own peak RSS (VmHWM, kB) to
#: the file named first. A child's ru_maxrss is no use here: fork and vfork
#: alike count the parent's resident pages as the child's until it execs.
_PEAK = (
    "import atexit, runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "def peak():\n"
    "    with open('/proc/self/status') as fh:\n"
    "        kb = next(line.split()[1] for line in fh if line.startswith('VmHWM:'))\n"
    "    with open(out, 'w') as fh:\n"
    "        fh.write(kb)\n"
    "atexit.register(peak)\n"
    "sys.argv[0] = 'zfacts'\n"
    "runpy.run_module('zhipu_facts', run_name='__main__', alter_sys=True)\n"
)


def run(*args: str, env: dict | None = None, ok: tuple[int, ...] = (0,)) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, workers included) and peak
    RSS in MiB of one `zfacts ARGS` (its main process: --jobs workers have their own)."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        wall, usage = spawn([sys.executable, "-c", _PEAK, peak.name, *args], env, ok)
        kb = peak.read().strip()
    return wall, usage.ru_utime + usage.ru_stime, (int(kb) if kb else usage.ru_maxrss) // 1024


def spawn(cmd: list[str], env: dict | None = None, ok: tuple[int, ...] = (0,)):
    """Run cmd; wall seconds and the child's resource usage (its waited-for
    workers included)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in ok:
            errors.seek(0)
            sys.exit(f"zfacts {' '.join(cmd[4:5])} failed:\n{errors.read()[-2000:].decode(errors='replace')}")
    return wall, usage


def startup(folder: Path, runs: int = 7) -> None:
    """One short article, as a shell loop or a pipeline runs zfacts: the fixed
    cost of a run. With compiled bytecode (what pip installs) and without
    (PYTHONDONTWRITEBYTECODE, as on this development machine), and the first
    run after an install or a rule edit (empty rules cache)."""
    article = folder / "2025-07-29-flash.txt"
    article.write_text("智谱完成新一轮30亿元融资，投后估值超过400亿元，同比增长35%。\n", encoding="utf-8")
    out = folder / "startup.csv"
    base = dict(os.environ)
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    cache = folder / "rule-cache"
    base["ZFACTS_CACHE"] = str(cache)

    def median(fmt: str, env: dict) -> float:
        run("extract", str(article), "-q", "-o", str(out.with_suffix(fmt)), env=env)  # warm: bytecode, rule cache
        return statistics.median(run("extract", str(article), "-q", "-o", str(out.with_suffix(fmt)), env=env)[0]
                                 for _ in range(runs))
    csv_s, parquet_s = median(".csv", base), median(".parquet", base)
    no_pyc = dict(base, PYTHONDONTWRITEBYTECODE="1")
    csv_nopyc = median(".csv", no_pyc)
    cold = []
    for i in range(3):
        cold.append(run("extract", str(article), "-q", "-o", str(out),
                        env=dict(base, ZFACTS_CACHE=str(folder / f"cold{i}")))[0])
    python = statistics.median(_wall([sys.executable, "-c", "pass"]) for _ in range(runs))
    print(f"start-up, one short article (median of {runs}): {csv_s:.2f} s to CSV, {parquet_s:.2f} s to Parquet "
          f"(pyarrow, and the pandas it imports); {csv_nopyc:.2f} s to CSV without bytecode files; "
          f"first run with an empty rules cache {statistics.median(cold):.2f} s; bare `python -c pass` {python:.2f} s")


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def memory(folder: Path, sizes_mb: list[float], build_corpus) -> None:
    """Peak memory of one extract run (CSV out) over corpora of seed copies of each size."""
    for mb in sizes_mb:
        corpus = folder / f"m{mb:g}"
        corpus.mkdir()
        files, size, chars = build_corpus(corpus, int(mb * 1_000_000))
        wall, _, peak = run("extract", str(corpus), "-q", "-o", str(folder / "m.csv"))
        print(f"  {size / 1e6:6.1f} MB ({files:,} articles): peak {peak:,} MiB, {chars / wall:,.0f} characters/s")
        _remove(corpus)


def big_article(folder: Path, mb: float) -> None:
    """One article of `mb` MB: the seeds' article text (what zfacts reads of
    them, without front matter or the tails it cuts) repeated, against the
    same text as one file per copy: peak memory, speed, and whether the
    facts are the same (the pieces of a long article carry their context)."""
    sys.path.insert(0, str(ROOT))
    from zhipu_facts.engine.rules import load_rules
    from zhipu_facts.pipeline import analyze

    rules = load_rules()
    bodies = [analyze(p.read_text(encoding="utf-8-sig"), rules).cleaned.view.text.strip() + "\n"
              for p in sorted(SEEDS.glob("*.txt"))]
    split = folder / "split"
    split.mkdir()
    parts, size = [], 0
    while size < mb * 1_000_000:
        for body in bodies:
            (split / f"{len(parts):06d}.txt").write_text(body, encoding="utf-8")
            parts.append(body)
            size += len(body.encode("utf-8"))
    one = folder / "big.txt"
    one.write_text("\n".join(parts), encoding="utf-8")
    chars = sum(map(len, parts)) + len(parts) - 1
    wall, _, peak = run("extract", str(one), "-q", "-o", str(folder / "big.csv"), "--published", "2025-07-29")
    _, _, split_peak = run("extract", str(split), "-q", "-o", str(folder / "split.csv"), "--published", "2025-07-29")
    whole, pieces = _kinds(folder / "big.csv"), _kinds(folder / "split.csv")
    print(f"one article of {one.stat().st_size / 1e6:.1f} MB: peak {peak:,} MiB ({split_peak:,} MiB as "
          f"{len(parts):,} files), {wall:.1f} s, {chars / wall:,.0f} characters/s, {sum(whole.values()):,} facts; "
          f"as separate files {sum(pieces.values()):,} ({', '.join(f'{k} {whole[k]:,}/{pieces[k]:,}' for k in sorted(pieces))})")
    one.unlink()
    _remove(split)


def bare_scan(corpus: Path, chars: int, zfacts_wall: float) -> None:
    """What zfacts costs against reading the same files and running one
    number-finding regex (the `regex` module, as the rules use) over them."""
    import regex

    number = regex.compile(r"\d+(?:\.\d+)?[万亿]?[元%]?")
    paths = sorted(corpus.rglob("*.txt"))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        found = sum(1 for p in paths for _ in number.finditer(p.read_text(encoding="utf-8-sig")))
        times.append(time.perf_counter() - start)
    bare = statistics.median(times)
    print(f"bare regex scan of the same files (read + one number pattern): {chars / bare:,.0f} characters/s "
          f"({found:,} numbers); zfacts end to end is {zfacts_wall / bare:.0f}x its time")


def jobs(corpus: Path, folder: Path, chars: int, runs: int = 3) -> None:
    """--jobs 2 against --jobs 1, interleaved: wall and CPU time."""
    got: dict[int, list[tuple[float, float, int]]] = {1: [], 2: []}
    for _ in range(runs):
        for j in (1, 2):
            got[j].append(run("extract", str(corpus), "-q", "-j", str(j), "-o", str(folder / f"j{j}.csv")))
    same = (folder / "j1.csv").read_bytes() == (folder / "j2.csv").read_bytes()
    (w1, c1), (w2, c2) = ((statistics.median(x[0] for x in got[j]), statistics.median(x[1] for x in got[j]))
                          for j in (1, 2))
    print(f"--jobs 1: {w1:.1f} s wall, {c1:.1f} s CPU; --jobs 2: {w2:.1f} s wall, {c2:.1f} s CPU "
          f"(median of {runs}, interleaved): {w1 / w2:.2f}x the speed, {c2 / c1:.2f}x the CPU; "
          f"{chars / w2:,.0f} characters/s; outputs {'identical' if same else 'DIFFERENT'}; "
          f"{os.cpu_count()} CPUs reported (a 2-vCPU VM may give one core of throughput)")


def _kinds(path: Path) -> dict[str, int]:
    """Facts per kind in a CSV fact table."""
    import collections
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return dict(collections.Counter(row["kind"] for row in csv.DictReader(fh)))


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


__all__ = ["bare_scan", "big_article", "jobs", "memory", "startup"]
