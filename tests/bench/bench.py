"""`make bench`: throughput and peak memory of `zfacts extract` on a large corpus.

Builds a corpus of at least 20 MB by copying the bundled articles into many
files, a dense one from the rules' example sentences (--dense-mb) and one of
news density, the seeds with example sentences woven in (--news-mb), then
runs the real command line end to end several times and
reports the median characters per second, the peak resident memory of the
extract process, and (in-process) the share of time each stage takes. The
scale part (scale.py) measures start-up, zfacts against a bare regex scan,
--jobs 2 against --jobs 1, peak memory at --memory corpus sizes and for one
--article-mb article. Then times `zfacts report` on corpora of 5, 100 and
1,000 articles, and `zfacts compare` and `zfacts diff` on fact tables of
--rows rows.

Figures are medians because the machines are noisy; run it twice before
believing a change of less than 10%.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import re
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


def _example_sentences() -> list[str]:
    """The fact rules' own example sentences (written for this project, as
    real flashes and announcements read)."""
    sys.path.insert(0, str(ROOT))
    from zhipu_facts.engine.rules import load_rules

    return sorted({str(ex["text"]) for r in load_rules().fact_rules for ex in r.examples
                   if isinstance(ex, dict) and ex.get("text")})


def _sentence(text: str) -> str:
    return text if text.endswith("。") else text + "。"


def _write_corpus(folder: Path, min_bytes: int, name: str, articles) -> tuple[int, int, int]:
    """Articles from the iterator `articles` written into `folder` (200 per
    subfolder) until min_bytes; returns (files, bytes, characters)."""
    files = size = chars = 0
    while size < min_bytes:
        text = next(articles)
        data = text.encode("utf-8")
        sub = folder / f"batch{files // 200:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{files:05d}_{name}.txt").write_bytes(data)
        files += 1
        size += len(data)
        chars += len(text)
    return files, size, chars


def build_dense_corpus(folder: Path, min_bytes: int) -> tuple[int, int, int]:
    """Articles of about 3,000 characters made of the example sentences, in a
    fixed shuffled order, each with a publication date: far denser in facts
    than the seeds. Returns (files, bytes, characters)."""
    import random

    sentences, rng = _example_sentences(), random.Random(7)

    def articles():
        while True:
            rng.shuffle(sentences)
            body, i = [], 0
            while sum(map(len, body)) < 3000:
                body.append(sentences[i % len(sentences)])
                i += 1
            yield "---\ndate: 2025-07-29\n---\n" + "\n".join(map(_sentence, body)) + "\n"
    return _write_corpus(folder, min_bytes, "dense", articles())


def build_news_corpus(folder: Path, min_bytes: int, share: float = 0.2) -> tuple[int, int, int]:
    """The seeds with example sentences woven in after their lines, `share`
    of the characters added: about the density of real flashes and
    announcements (~18 facts per 1,000 characters), between the seeds (~8)
    and the dense corpus (~69). Returns (files, bytes, characters)."""
    import random

    sentences, rng = _example_sentences(), random.Random(11)
    seeds = [p.read_text(encoding="utf-8-sig") for p in sorted(SEEDS.glob("*.txt"))]

    def articles():
        for n in itertools.count():
            out = []
            for line in seeds[n % len(seeds)].splitlines():
                out.append(line)
                added = 0
                while line.strip() and not line.startswith(("---", "date:", "#")) and added < share * len(line):
                    s = rng.choice(sentences)
                    out[-1] += _sentence(s)
                    added += len(s)
            yield "\n".join(out) + "\n"
    return _write_corpus(folder, min_bytes, "news", articles())


def build_page_corpus(folder: Path, min_bytes: int) -> tuple[int, int, int, int]:
    """Copies of the HTML test pages (tests/corpus/html) in `folder`/pages
    until min_bytes, and each page's article text in `folder`/texts, so the
    cost of reading a page can be set against reading its article as text.
    Returns (pages, bytes of HTML, characters of HTML, characters of text)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from html_pages import BODIES, PAGES, body_text

    pages, texts = folder / "pages", folder / "texts"
    pages.mkdir()
    texts.mkdir()
    originals = [(n, (PAGES / n).read_bytes(), body_text(n)) for n in sorted(BODIES)]
    n = size = html_chars = text_chars = 0
    while size < min_bytes:
        for name, data, text in originals:
            (pages / f"{n:05d}_{name}").write_bytes(data)
            (texts / f"{n:05d}_{name}.txt").write_text(text, encoding="utf-8")
            n += 1
            size += len(data)
            html_chars += len(data.decode("utf-8", "replace"))
            text_chars += len(text)
    return n, size, html_chars, text_chars


def bench_report(folder: Path, sizes: list[int]) -> None:
    """`zfacts report` on corpora of copies of the seeds: its time, the file's
    size, and the time headless Chromium takes to load it (when installed)."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]

    def load(page: Path) -> float:
        """Seconds from navigation to the report's script being done (it stamps data-ready-ms)."""
        done = subprocess.run([browser, *flags, f"--user-data-dir={folder / 'profile'}", "--dump-dom",
                               page.as_uri()], capture_output=True, timeout=600, check=True)
        stamp = re.search(rb'data-ready-ms="(\d+)"', done.stdout)
        return int(stamp.group(1)) / 1000 if stamp else float("nan")
    for n in sizes:
        corpus = folder / f"r{n}"
        corpus.mkdir()
        seeds = sorted(SEEDS.glob("*.txt"))
        for i in range(n):
            (corpus / f"{i:05d}_{seeds[i % len(seeds)].name}").write_bytes(seeds[i % len(seeds)].read_bytes())
        table, page = folder / f"r{n}.parquet", folder / f"r{n}.html"
        run_zfacts("extract", str(corpus), "-o", str(table), "--published", "2025-07-29")
        took, peak = run_zfacts("report", str(table), "--sources", str(corpus), "-o", str(page))
        opened = f", ready in Chromium after {load(page):.2f} s" if browser else " (no Chromium to load it)"
        import pyarrow.parquet as pq

        facts = pq.read_metadata(table).num_rows
        print(f"report of {n:,} articles, {facts:,} facts: {page.stat().st_size / 1e6:.1f} MB, "
              f"built in {took:.1f} s ({peak / 1024:.0f} MiB){opened}")


def run_zfacts(*args: str, ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `zfacts ARGS` in a child process
    (its own peak: scale.run says how)."""
    from scale import run

    elapsed, _, peak_mib = run(*args, ok=ok)
    return elapsed, peak_mib * 1024


def run_extract(corpus: Path, out: Path) -> tuple[float, int]:
    return run_zfacts("extract", str(corpus), "-o", str(out))


def time_extract(corpus: Path, tmp: Path, args, size: int, chars: int, per: int = 0) -> float:
    """Median characters per second and peak memory of `zfacts extract` on a
    corpus; its fact count, or with `per` (its number of articles) the
    articles per second. The median wall time is left in `time_extract.median`."""
    times, peaks = [], []
    out = tmp / f"facts.{args.format}"
    for i in range(args.runs):
        elapsed, peak = run_extract(corpus, out)
        times.append(elapsed)
        peaks.append(peak)
        print(f"  run {i + 1}: {elapsed:.2f} s, {chars / elapsed:,.0f} chars/s")
    med = time_extract.median = statistics.median(times)
    print(f"end to end (median of {args.runs}): {chars / med:,.0f} characters/second, "
          f"{size / 1e6 / med:.2f} MB/s, one process on one core")
    print(f"peak memory (max RSS of the extract processes): {max(peaks) / 1024:.0f} MiB")
    if per:
        print(f"  {per / med:,.0f} articles/second")
        return per / med
    if args.format != "csv":
        return 0
    import csv  # a plain count: pandas would raise this process's memory, which children inherit

    with open(out, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


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


def stage_split(corpus: Path, limit: int = 400) -> tuple[dict[str, float], int, float, float]:
    """In-process seconds per stage over the first `limit` articles (read and
    write included), their characters, the match stage's time with triggers
    off (every rule over the whole text), and the regex engine's own time:
    every scan the match stage makes (triggers and rules, on the very strings
    and ranges it passes), run again with nothing done with the matches.
    That last is what a run would cost if all of its Python were free."""
    sys.path.insert(0, str(ROOT))
    import io

    from zhipu_facts.engine.match import find_candidates
    from zhipu_facts.engine.rules import load_rules
    from zhipu_facts.ingest.read import read_document
    from zhipu_facts.pipeline import Laps, analyze
    from zhipu_facts.table.schema import SCHEMA
    from zhipu_facts.table.formats import open_writer

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
        views.append((result.cleaned.view.text, result.cleaned.sentences))
    start = time.perf_counter()
    for text, _ in views:
        find_candidates(text, rules.fact_rules)  # no sentences: no trigger windows
    everywhere = time.perf_counter() - start
    return laps.seconds, chars, everywhere, _regex_alone(rules.fact_rules, views)


class _Recorded:
    """A compiled pattern that notes each scan asked of it, then makes it."""

    def __init__(self, pattern, calls: list):
        self.pattern, self.calls = pattern, calls

    def finditer(self, text, pos, endpos, **kw):
        self.calls.append((self.pattern, text, pos, endpos))
        return self.pattern.finditer(text, pos, endpos, **kw)


def _regex_alone(rules, views, runs: int = 3) -> float:
    """Seconds of the regex engine alone for the match stage on `views`
    (median of `runs`): its scans are recorded once, then re-run bare."""
    from zhipu_facts.engine.match import find_candidates

    calls: list = []
    triggers: dict[str, _Recorded] = {}  # the engine scans a trigger shared by rules once
    recorded = [dataclasses.replace(
        r, compiled=_Recorded(r.compiled, calls),
        trigger_compiled=r.trigger and triggers.setdefault(r.trigger, _Recorded(r.trigger_compiled, calls)))
        for r in rules]
    for text, sentences in views:
        find_candidates(text, recorded, sentences)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for pattern, text, pos, endpos in calls:
            for _m in pattern.finditer(text, pos, endpos):
                pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--runs", type=int, default=3, help="end-to-end runs (median reported)")
    ap.add_argument("--format", default="csv", choices=["csv", "jsonl", "parquet"])
    ap.add_argument("--dense-mb", type=float, default=5.0,
                    help="size of the dense corpus in MB (default 5; 0 skips it)")
    ap.add_argument("--news-mb", type=float, default=5.0,
                    help="size of the news-density corpus in MB (default 5; 0 skips it)")
    ap.add_argument("--no-scale", dest="scale", action="store_false",
                    help="skip start-up, memory by corpus size, the big article, the bare scan and --jobs")
    ap.add_argument("--memory", default="20,80,200",
                    help="corpus sizes in MB whose peak memory is measured (default 20,80,200)")
    ap.add_argument("--article-mb", type=float, default=50.0,
                    help="size of the one big article measured (default 50; 0 skips it)")
    ap.add_argument("--html-mb", type=float, default=2.0,
                    help="size of the web-page corpus in MB (default 2; 0 skips it)")
    ap.add_argument("--report", default="5,100,1000",
                    help="article counts of the corpora `zfacts report` is timed on (default 5,100,1000; '' skips)")
    ap.add_argument("--rows", type=int, default=1_000_000,
                    help="rows of the fact tables compare and diff get (default 1,000,000; 0 skips them)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zfacts-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        files, size, chars = build_corpus(corpus, int(args.mb * 1_000_000))
        print(f"corpus: {files} files, {size / 1e6:.1f} MB, {chars:,} characters")
        time_extract(corpus, Path(tmp), args, size, chars)
        seed_chars, seed_wall = chars, time_extract.median
        for name, build, mb, what in (
                ("dense", build_dense_corpus, args.dense_mb, "dense corpus (the rules' example sentences)"),
                ("news", build_news_corpus, args.news_mb,
                 "news-density corpus (the seeds with example sentences woven in)")):
            if not mb:
                continue
            folder = Path(tmp) / name
            folder.mkdir()
            files, size, chars = build(folder, int(mb * 1_000_000))
            print(f"{what}: {files} files, {size / 1e6:.1f} MB, {chars:,} characters")
            facts = time_extract(folder, Path(tmp), args, size, chars)
            if facts:
                print(f"  {facts:,} facts, {facts / chars * 1000:.1f} per 1,000 characters")
        if args.html_mb:
            folder = Path(tmp) / "html"
            folder.mkdir()
            n, size, html_chars, text_chars = build_page_corpus(folder, int(args.html_mb * 1_000_000))
            print(f"web pages (tests/corpus/html): {n} pages, {size / 1e6:.1f} MB, {html_chars:,} characters of HTML")
            page_rate = time_extract(folder / "pages", Path(tmp), args, size, html_chars, per=n)
            print(f"the same articles as text: {text_chars:,} characters")
            text_rate = time_extract(folder / "texts", Path(tmp), args, size, text_chars, per=n)
            print(f"a page costs {text_rate / page_rate:.1f}x its article as text")
        if args.scale:
            import scale

            folder = Path(tmp) / "scale"
            folder.mkdir()
            scale.startup(folder)
            scale.bare_scan(corpus, seed_chars, seed_wall)
            scale.jobs(corpus, folder, seed_chars)
            print("peak memory as the corpus grows (seed copies, CSV out, one process):")
            scale.memory(folder, [float(x) for x in args.memory.split(",") if x], build_corpus)
            if args.article_mb:
                scale.big_article(folder, args.article_mb)
        if args.report:
            folder = Path(tmp) / "report"
            folder.mkdir()
            bench_report(folder, [int(n) for n in args.report.split(",") if n])
        if args.rows:  # before the in-process part below, which would raise the children's peak
            bench_tables(Path(tmp), args.rows, args.runs)
        for name, folder in (("seed corpus", corpus), ("news-density corpus", Path(tmp) / "news")):
            if folder.exists():
                _print_stage_split(name, *stage_split(folder))


def _print_stage_split(name: str, seconds: dict[str, float], sample: int, everywhere: float, regex_only: float
                       ) -> None:
    total = sum(seconds.values())
    print(f"in process, {name}, first 400 articles ({sample:,} characters): "
          f"{sample / total:,.0f} characters/second")
    for stage, took in seconds.items():
        print(f"  {stage:20s} {took / total:6.1%}  {sample / took / 1e6:8.1f} M chars/s")
    match = seconds["match"]
    print(f"matching alone: {sample / match:,.0f} characters/second; with triggers off: "
          f"{sample / everywhere:,.0f} (triggers make it {everywhere / match:.1f}x faster)")
    print(f"the regex engine alone (the match stage's own scans, re-run with nothing done with what they find): "
          f"{sample / regex_only:,.0f} characters/second, {regex_only / total:.0%} of the run in process")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
