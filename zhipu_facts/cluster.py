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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .api import Summary, article_inputs, read_article, write_table
from .ingest.read import Input
from .options import ExtractOptions
from .table.formats import OUTPUT_FORMATS, PARTS

#: Articles per task: scheduling a task costs ~2.4 ms, an article ~10 ms.
BATCH = 50
#: Seconds without any batch finishing before the run gives up on those in flight.
TIMEOUT = 600.0
IN_FLIGHT_PER_WORKER = 4


@dataclass
class BatchResult:
    index: int
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


def _part(folder: Path | str, index: int) -> Path:
    return Path(folder) / f"part-{index:05d}{OUTPUT_FORMATS[PARTS.parts_of].extensions[0]}"


def run_batch(index: int, tasks: list[Input], folder: str, options: ExtractOptions) -> BatchResult:
    """On a worker: the batch's articles, written to FOLDER/part-INDEX.parquet."""
    out = BatchResult(index)

    def seen(a) -> None:
        if a.skipped is not None:
            out.skipped.append((a.source, a.skipped))
        out.warnings.extend((a.source, str(w)) for w in a.warnings)

    # One article at a time, a long one a section at a time (FactStream).
    articles = (read_article(t, options, stream=True) for t in tasks)
    summary = write_table(articles, [_part(folder, index)], fmt=PARTS.parts_of, on_article=seen)
    out.read, out.facts, out.undated, out.timeouts = summary.read, summary.facts, summary.undated, summary.timeouts
    return out


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
    results: dict[int, BatchResult] = {}
    names: dict[int, list[str]] = {}
    try:
        limit = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending: dict = {}  # future -> batch index
        source = enumerate(batches(tasks, batch))
        sent = options.for_workers()

        def submit_more() -> None:
            for i, b in source:
                names[i] = [t.source for t in b]
                fut = client.submit(run_batch, i, b, str(folder), sent,
                                    key=f"zfacts-batch-{folder.name}-{i:05d}", pure=False, retries=2)
                pending[fut] = i
                if len(pending) >= limit:
                    return

        submit_more()
        while pending:
            try:
                done, _ = wait(list(pending), timeout=timeout, return_when="FIRST_COMPLETED")
            except TimeoutError:  # distributed's wait raises where concurrent.futures' returns
                done = set()
            if not done:
                given_up = [(i, names[i], f"no batch finished within {timeout:g} s") for fut, i in pending.items()]
                for fut in pending:
                    fut.cancel()
                # the batches not sent yet are not run either: each is named, never a silent gap
                given_up += [(i, [t.source for t in b], "not run: the cluster stopped finishing batches")
                             for i, b in source]
                for i, sources, why in given_up:
                    results[i] = _failed(i, sources, why)
                    if on_batch is not None:
                        on_batch(results[i])
                break
            for fut in done:
                i = pending.pop(fut)
                sources = names.pop(i)  # kept only while in flight: a 10 GB collection has 780,000 names
                try:
                    results[i] = fut.result()
                except Exception as e:  # noqa: BLE001 - a batch's failure is reported by name, never fatal
                    results[i] = _failed(i, sources, f"its batch failed on the cluster ({type(e).__name__}: {e})")
                if on_batch is not None:
                    on_batch(results[i])
            submit_more()
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    for r in results.values():  # a batch given up on may still have finished: its part must not count
        if r.skipped and not r.read:
            _part(folder, r.index).unlink(missing_ok=True)
    return [results[i] for i in sorted(results)]


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


def _failed(index: int, sources: list[str], why: str) -> BatchResult:
    return BatchResult(index, skipped=[(s, why) for s in sources])
