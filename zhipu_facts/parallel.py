"""Articles over several processes (`--jobs N`), results in input order.

The workers fork after the rules are compiled, so every worker shares the
parent's compiled rules (copy-on-write) and compiles nothing. The parent
hands each idle worker a chunk of articles over its own pipe, and the worker
sends each article's result back as soon as it is made; results are put
back in input order, so the output is byte-identical to one process.

A worker that dies (the OOM killer, SIGKILL) costs only the article it was
working on: the parent sees the death on the process's sentinel, knows
which articles of the chunk came back, gives the one in progress to `lost`
(which names it), hands the rest of the chunk to the other workers and
starts a new worker. multiprocessing.Pool would instead wait forever for a
result that never comes. Workers ignore Ctrl-C: the parent stops them.

Where fork is not available (Windows, macOS by default), `spawn` is used and
each worker loads the rules once itself.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: How many articles a worker takes at a time: fewer round trips, still an even spread.
CHUNK = 8
#: Workers that die while holding no article (not the article's fault) before the run gives up.
IDLE_DEATHS = 8

_task: Callable[[Any], Any] | None = None  # the function workers run, inherited through fork


class WorkerError(RuntimeError):
    """The worker processes cannot be kept alive (they die before taking any work)."""


def jobs_for(jobs: int) -> int:
    """--jobs N: N processes; 0 is one per core this process may use."""
    if jobs < 0:
        raise ValueError(f"--jobs must be 0 (one per core) or more, not {jobs}")
    if jobs == 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return jobs


def ordered_map(task: Callable[[T], R], items: Iterable[T], jobs: int,
                lost: Callable[[T, str], R] | None = None) -> Iterator[R]:
    """task(item) for every item, in order, over `jobs` worker processes.

    An item whose worker died gives `lost(item, why)` in its place (without
    `lost`, WorkerError is raised). An exception that task raises is raised
    here, as with one process."""
    if jobs <= 1:
        yield from map(task, items)
        return
    pool = _Pool(task, jobs)
    try:
        yield from pool.run(iter(items), lost)
    finally:
        pool.stop()  # also on an error, Ctrl-C, SIGTERM or a reader that stops early


class _Worker:
    def __init__(self, ctx, task: Callable[[Any], Any] | None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, task), daemon=True)
        self.proc.start()
        child.close()
        self.held: deque[tuple[int, Any]] = deque()  # sent, no result back yet
        self.returned = 0


class _Pool:
    def __init__(self, task: Callable[[Any], Any], jobs: int):
        import multiprocessing

        global _task
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.ctx = multiprocessing.get_context(method)
        self.spawned = task if method == "spawn" else None
        _task = task
        self.workers = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        return _Worker(self.ctx, self.spawned)

    def run(self, items: Iterator[Any], lost: Callable[[Any, str], Any] | None) -> Iterator[Any]:
        from multiprocessing.connection import wait

        again: deque[tuple[int, Any]] = deque()  # handed back by a worker that died
        numbered = enumerate(items)
        results: dict[int, Any] = {}
        following = 0
        idle_deaths = 0
        exhausted = False
        while True:
            for w in list(self.workers):
                if not w.held:
                    chunk = [again.popleft() for _ in range(min(CHUNK, len(again)))]
                    while len(chunk) < CHUNK and not exhausted:
                        nxt = next(numbered, None)
                        if nxt is None:
                            exhausted = True
                        else:
                            chunk.append(nxt)
                    if chunk:
                        try:
                            w.conn.send(chunk)
                        except OSError:  # it died while idle: the chunk goes to its successor
                            again.extendleft(reversed(chunk))
                            idle_deaths = self._replace(w, idle_deaths + 1, _death(w.proc))
                            continue
                        w.held.extend(chunk)
            busy = [w for w in self.workers if w.held]
            if not busy:
                break
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
            for w in busy:
                dead = w.proc.sentinel in ready
                if w.conn in ready or dead:
                    dead = self._collect(w, results) or dead
                if dead:
                    why = _death(w.proc)
                    if w.held:
                        i, item = w.held.popleft()  # the article it was working on
                        if lost is None:
                            raise WorkerError(f"a worker process died ({why})")
                        results[i] = lost(item, f"its worker process died ({why})")
                        again.extendleft(reversed(w.held))  # the rest of its chunk goes to the others
                        self._replace(w, idle_deaths, why)
                    else:
                        idle_deaths = self._replace(w, idle_deaths + 1, why)
            while following in results:
                yield results.pop(following)
                following += 1

    def _replace(self, w: _Worker, idle_deaths: int, why: str) -> int:
        if idle_deaths > IDLE_DEATHS:
            raise WorkerError(f"worker processes keep dying before any work ({why})")
        w.conn.close()
        self.workers[self.workers.index(w)] = self._start()
        return idle_deaths

    @staticmethod
    def _collect(w: _Worker, results: dict[int, Any]) -> bool:
        """Every result the worker has sent; True when its pipe is closed (it died)."""
        try:
            while w.conn.poll():
                i, ok, value = w.conn.recv()
                held, _ = w.held.popleft()
                assert held == i, "a worker answered out of order"
                if not ok:
                    raise value
                results[i] = value
                w.returned += 1
        except (EOFError, ConnectionError, OSError):
            w.proc.join(5)
            return True
        return False

    def stop(self) -> None:
        global _task
        for w in self.workers:
            if w.proc.is_alive():
                w.proc.terminate()
        for w in self.workers:
            w.proc.join(5)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
            w.conn.close()
        _task = None


def _death(proc) -> str:
    proc.join(5)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = ": killed, maybe by the out-of-memory killer" if -code == signal.SIGKILL else ""
        return f"{name}{hint}"
    return f"exit status {code}"


def _serve(conn, task: Callable[[Any], Any] | None) -> None:
    """A worker: take a chunk, send each item's (index, ok, result) back."""
    global _task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)  # the parent's handlers would raise SystemExit mid-task
    if task is not None:
        _task = task
    assert _task is not None, "worker started without a task"
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        for i, item in chunk:
            try:
                answer = (i, True, _task(item))
            except Exception as e:  # noqa: BLE001 - raised again in the parent, as one process would
                answer = (i, False, e)
            try:
                conn.send(answer)
            except Exception as e:  # noqa: BLE001 - an unpicklable result or exception
                conn.send((i, False, RuntimeError(f"{type(e).__name__}: {e}")))
