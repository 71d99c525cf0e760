"""Articles over several processes (`--jobs N`), results in input order.

The pool forks after the rules are compiled, so every worker shares the
parent's compiled rules (copy-on-write) and compiles nothing; each task is
one article, and its Article (facts, warnings, or why it was skipped) comes
back pickled. `imap` keeps the input order, so the output is byte-identical
to one process. Workers ignore Ctrl-C: the parent stops them.

Where fork is not available (Windows, macOS by default), `spawn` is used and
each worker loads the rules once itself.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: How many articles a worker takes at a time: fewer round trips, still an even spread.
CHUNK = 8

_task: Callable[[Any], Any] | None = None  # the function workers run, inherited through fork


def jobs_for(jobs: int) -> int:
    """--jobs N: N processes; 0 is one per core this process may use."""
    if jobs < 0:
        raise ValueError(f"--jobs must be 0 (one per core) or more, not {jobs}")
    if jobs == 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return jobs


def ordered_map(task: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """task(item) for every item, in order, over `jobs` worker processes."""
    global _task
    if jobs <= 1:
        yield from map(task, items)
        return
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _task = task
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_worker_init,
                                                  initargs=(task if method == "spawn" else None,))
    try:
        yield from pool.imap(_run, items, chunksize=CHUNK)
        pool.close()
    finally:
        pool.terminate()  # also on an error, Ctrl-C, SIGTERM or a reader that stops early
        pool.join()
        _task = None


def _worker_init(task: Callable[[Any], Any] | None) -> None:
    global _task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)  # the parent's handlers would raise SystemExit mid-task
    if task is not None:
        _task = task


def _run(item: Any) -> Any:
    assert _task is not None, "worker started without a task"
    return _task(item)
