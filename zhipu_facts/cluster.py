"""Extraction on a Dask cluster: batches of articles to workers, one Parquet part per batch.

`zfacts extract PATHS --dask ADDRESS -o FOLDER` (or `--dask local` for a
LocalCluster of worker processes on this machine). The driver lists the
articles as `extract` does and sends batches of `batch` of them (a task
costs a few ms of scheduling, so never one article per task); each worker
runs the library on its batch and writes `FOLDER/part-NNNNN.parquet`, N the
batch's number, so part names are the same whichever worker ran it and in
whatever order. `compare` and `diff` read such a folder as one table.

Failures are never silent: a worker that dies costs its batch a rerun on
another worker (Dask's scheduler does that, `retries` covers an exception);
a batch that still fails, or no batch finishing within `timeout` seconds,
names its articles and makes the exit status 1. Workers read the files
themselves, so on a real cluster the paths must be on a filesystem every
worker mounts (collections are read by the driver and their records sent).
At most 4 batches per worker are in flight, so a 10 GB collection never
sits in the driver's memory.

One bad article never costs its batch: a batch whose extraction raises is
done again on its worker article by article (the one that raises is skipped
by name), and a batch that kills its workers (KilledWorker) is sent again
as one task per article, each writing `part-NNNNN-MMMMM.parquet`. Task keys
carry a token of the run, so two runs on one scheduler never share a task.
The driver writes `FOLDER/_SUCCESS` last, naming every part of the run:
table/read.py reads only a folder that has it, and only the parts it names,
so a run stopped midway is never taken for a complete table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .api import Article, Summary, article_inputs, read_article, write_table
from .ingest.read import Input
from .options import ExtractOptions
from .table.formats import OUTPUT_FORMATS, PARTS
from .table.parts import write_marker

#: Articles per task: scheduling a task costs ~2.4 ms, an article ~10 ms.
BATCH = 50
#: Seconds without any batch finishing before the run gives up on those in flight.
TIMEOUT = 600.0
IN_FLIGHT_PER_WORKER = 4


@dataclass
class BatchResult:
    index: int
    sub: int | None = None  # the article's place in its batch, for a batch sent again one task per article
    read: int = 0
    facts: int = 0
    undated: int = 0
    timeouts: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source, warning)


class ClusterError(Exception):
    """The cluster cannot be reached or the output folder cannot be used."""


def summary_of(results: Iterable[BatchResult]) -> Summary:
    """The run's Summary, as write_table gives one, from its batches'."""
    summary = Summary()
    for r in results:
        summary.read += r.read
        summary.facts += r.facts
        summary.undated += r.undated
        summary.timeouts += r.timeouts
        summary.skipped.extend(s for s, _ in r.skipped)
    return summary


def _part(folder: Path | str, index: int, sub: int | None = None) -> Path:
    name = f"part-{index:05d}" if sub is None else f"part-{index:05d}-{sub:05d}"
    return Path(folder) / f"{name}{OUTPUT_FORMATS[PARTS.parts_of].extensions[0]}"


def run_batch(index: int, tasks: list[Input], folder: str, options: ExtractOptions,
              sub: int | None = None) -> BatchResult:
    """On a worker: the batch's articles, written to FOLDER/part-INDEX.parquet
    (part-INDEX-SUB.parquet for one article of a batch sent again one by one).
    A batch whose extraction raises is done again article by article, so
    only the article that raises is lost, skipped by name."""
    try:
        # One article at a time, a long one a section at a time (FactStream).
        return _write_batch(index, sub, (read_article(t, options, stream=True) for t in tasks), folder)
    except Exception:  # noqa: BLE001 - which article raised is found below, one at a time
        return _write_batch(index, sub, (_one_article(t, options) for t in tasks), folder)


def _write_batch(index: int, sub: int | None, articles: Iterable[Article], folder: str) -> BatchResult:
    out = BatchResult(index, sub)

    def seen(a) -> None:
        if a.skipped is not None:
            out.skipped.append((a.source, a.skipped))
        out.warnings.extend((a.source, str(w)) for w in a.warnings)

    summary = write_table(articles, [_part(folder, index, sub)], fmt=PARTS.parts_of, on_article=seen)
    out.read, out.facts, out.undated, out.timeouts = summary.read, summary.facts, summary.undated, summary.timeouts
    return out


def _one_article(task: Input, options: ExtractOptions) -> Article:
    """An article read whole (its facts in a list), or skipped with the error it raised."""
    try:
        article = read_article(task, options, stream=False)
        assert article is not None
        return article
    except Exception as e:  # noqa: BLE001 - one article's crash is its own, named
        return Article(task.source, skipped=f"its extraction failed ({type(e).__name__}: {e})")


def batches(tasks: Iterable[Input], size: int) -> Iterator[list[Input]]:
    batch: list[Input] = []
    for t in tasks:
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def check_folder(folder: Path) -> None:
    """The output must be a new or empty folder: parts of an earlier run would mix with this one's."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ClusterError(f"{folder} is not a new or empty folder; a cluster run writes part-NNNNN.parquet "
                           f"files into one (an earlier run's parts would mix with this run's)")
    folder.mkdir(parents=True, exist_ok=True)


def extract_on_cluster(files: Iterable[tuple[Path, str]], folder: Path, options: ExtractOptions | None = None, *,
                       address: str | None = None, client=None, batch: int = BATCH, workers: int = 2,
                       timeout: float = TIMEOUT, on_batch: Callable[[BatchResult], None] | None = None
                       ) -> list[BatchResult]:
    """Extract the articles of the files (as find_files lists them) on a
    cluster: `client`, else `address`, else a LocalCluster of `workers`
    processes (address "local"). The workers load the rules from the
    options' `rule_dirs`. Results in batch order; a batch that could not be
    done is a BatchResult whose articles are all skipped with the reason."""
    from dask.distributed import wait  # Dask is optional: zhipu-facts[dask]

    options = options or ExtractOptions()
    tasks = article_inputs(files, options)
    check_folder(folder)
    own = client is None
    if own:
        client, cluster = _connect(address, workers)
    results: dict[tuple[int, int], BatchResult] = {}  # (batch, article or -1) -> its result
    held: dict[tuple[int, int], list[Input]] = {}  # a task's articles, while it is in flight
    run = uuid.uuid4().hex[:12]  # task keys of two runs never meet, whatever their folders' names
    try:
        limit = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending: dict = {}  # future -> (batch, article or -1)
        source = enumerate(batches(tasks, batch))
        again: list[tuple[int, int, list[Input]]] = []  # articles of a batch that failed, one task each
        sent = options.for_workers()

        def submit(i: int, j: int, b: list[Input]) -> None:
            held[i, j] = b
            key = f"zfacts-{run}-{i:05d}" + (f"-{j:05d}" if j >= 0 else "")
            fut = client.submit(run_batch, i, b, str(folder), sent, None if j < 0 else j,
                                key=key, pure=False, retries=2)
            pending[fut] = (i, j)

        def submit_more() -> None:
            while again and len(pending) < limit:
                submit(*again.pop())
            for i, b in source:
                submit(i, -1, b)
                if len(pending) >= limit:
                    return

        submit_more()
        while pending:
            try:
                done, _ = wait(list(pending), timeout=timeout, return_when="FIRST_COMPLETED")
            except TimeoutError:  # distributed's wait raises where concurrent.futures' returns
                done = set()
            if not done:
                for fut in pending:
                    fut.cancel()
                for r in _given_up(pending, held, again, source, timeout):
                    results[r.index, -1 if r.sub is None else r.sub] = r
                    if on_batch is not None:
                        on_batch(r)
                break
            for fut in done:
                ij = pending.pop(fut)
                inputs = held.pop(ij)  # kept only while in flight: a 10 GB collection has 780,000 articles
                sources = [t.source for t in inputs]
                try:
                    results[ij] = fut.result()
                except Exception as e:  # noqa: BLE001 - a batch's failure is reported by name, never fatal
                    if ij[1] < 0 and len(sources) > 1:
                        # a batch that killed its workers: each article again alone, so one costs only itself
                        again.extend((ij[0], j, [t]) for j, t in reversed(list(enumerate(inputs))))
                        continue
                    results[ij] = _failed(ij, sources, f"its batch failed on the cluster ({type(e).__name__}: {e})")
                if on_batch is not None:
                    on_batch(results[ij])
            submit_more()
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    for r in results.values():  # a batch given up on may still have finished: its part must not count
        if r.skipped and not r.read:
            _part(folder, r.index, r.sub).unlink(missing_ok=True)
    ordered = [results[ij] for ij in sorted(results)]
    parts = [_part(folder, r.index, r.sub) for r in ordered]
    write_marker(folder, [p.name for p in parts if p.exists()], sum(r.facts for r in ordered))
    return ordered


def _given_up(pending: dict, held: dict, again: list, source: Iterator, timeout: float) -> list[BatchResult]:
    """The batches in flight when none finished in time, and those not sent
    yet (which are not run either): each named, never a silent gap."""
    late, unsent = f"no batch finished within {timeout:g} s", "not run: the cluster stopped finishing batches"
    out = [_failed(ij, [t.source for t in held[ij]], late) for ij in pending.values()]
    out += [_failed((i, j), [t.source for t in b], unsent) for i, j, b in again]
    out += [_failed((i, -1), [t.source for t in b], unsent) for i, b in source]
    return out


def _connect(address: str | None, workers: int):
    """A client of the scheduler at `address`, or of a LocalCluster of
    `workers` processes here (None, "local"); (client, that cluster or None)."""
    from dask.distributed import Client, LocalCluster

    try:
        if address not in (None, "local"):
            return Client(address, timeout=30), None
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1")
    except (OSError, TimeoutError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler {address}: {e}") from e
    try:
        return Client(cluster), cluster
    except (OSError, TimeoutError) as e:
        cluster.close()  # its worker processes must not outlive the run
        raise ClusterError(f"cannot connect to the local Dask cluster: {e}") from e


def _failed(ij: tuple[int, int], sources: list[str], why: str) -> BatchResult:
    return BatchResult(ij[0], None if ij[1] < 0 else ij[1], skipped=[(s, why) for s in sources])
