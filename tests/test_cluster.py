"""extract --dask: a loopback LocalCluster of two worker processes, parts, a killed worker, timeouts."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.table.read import read_facts

if not os.environ.get("CI"):
    pytest.importorskip("distributed", reason="Dask is not installed: pip install -e '.[dask]'")
from dask.distributed import Client, LocalCluster

from zhipu_facts.cluster import extract_on_cluster
from zhipu_facts.options import ExtractOptions
from zhipu_facts.ingest.read import find_files

runner = CliRunner()


def _rows(table):
    cols = [c for c in table.columns]
    return sorted(tuple(str(v) for v in r) for r in table[cols].itertuples(index=False))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Forty copies of the seeds, so a run lasts long enough to lose a worker in it."""
    folder = tmp_path_factory.mktemp("corpus")
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(40):
        shutil.copy(seeds[i % len(seeds)], folder / f"{i:03d}_{seeds[i % len(seeds)].name}")
    local = folder.parent / "local.parquet"
    assert runner.invoke(app, ["extract", str(folder), "-o", str(local), "--published", "2025-07-29"]).exit_code == 0
    return folder, read_facts(local)


def test_a_cluster_run_gives_the_local_runs_facts_in_deterministic_parts(corpus, tmp_path):
    folder, local = corpus
    out = tmp_path / "parts"
    result = runner.invoke(app, ["extract", str(folder), "--dask", "local", "--batch", "7", "-o", str(out),
                                 "--published", "2025-07-29"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["_SUCCESS"] + [f"part-{i:05d}.parquet" for i in range(6)]  # 40 = 5 x 7 + 5
    assert _rows(read_facts(out)) == _rows(local)


def test_a_killed_worker_costs_its_batch_a_rerun_not_a_gap(corpus, tmp_path):
    folder, local = corpus
    out = tmp_path / "parts"
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1")
    client = Client(cluster)
    try:
        pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_one() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(out.glob("part-*.parquet")):
                time.sleep(0.02)
            os.kill(pids[0], signal.SIGKILL)  # mid-run: a part written, others pending
            killed.append(len(list(out.glob("part-*.parquet"))))

        killer = threading.Thread(target=kill_one)
        killer.start()
        results = extract_on_cluster(find_files([folder]), out, ExtractOptions(published="2025-07-29"), client=client,
                                     batch=2, timeout=120)
        killer.join()
    finally:
        client.close()
        cluster.close()
    assert killed and killed[0] < 20  # the worker died while batches were left
    assert [r.skipped for r in results] == [[]] * 20 and sum(r.read for r in results) == 40
    assert _rows(read_facts(out)) == _rows(local)


def test_no_batch_finishing_in_time_names_the_articles_and_exits_1(corpus, tmp_path):
    folder, _ = corpus
    out = tmp_path / "parts"
    result = runner.invoke(app, ["extract", str(folder), "--dask", "local", "--task-timeout", "0.001",
                                 "-o", str(out)])
    assert result.exit_code == 1
    assert "no batch finished within 0.001 s" in result.output and "skipped" in result.output


def test_the_output_must_be_a_new_or_empty_folder(corpus, tmp_path):
    folder, _ = corpus
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(folder), "--dask", "local", "-o", str(tmp_path / "used")])
    assert result.exit_code == 2 and "not a new or empty folder" in result.output
    assert (tmp_path / "used" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    result = runner.invoke(app, ["extract", str(folder), "--dask", "local", "-o", str(tmp_path / "x.parquet")])
    assert result.exit_code == 2 and "-o FOLDER" in result.output


@pytest.fixture()
def threads():
    """An in-process cluster (threads), so a test can make one article fail on the workers."""
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_one_article_that_raises_costs_only_itself_not_its_batch(corpus, tmp_path, monkeypatch, threads):
    import zhipu_facts.cluster as cl

    folder, local = corpus
    real = cl.read_article

    def raises_on_one(item, options, stream=False):
        if item.source == "013_003_0184c60c42153e38.txt":
            raise RuntimeError("a bug met in one article")
        return real(item, options, stream=stream)

    monkeypatch.setattr(cl, "read_article", raises_on_one)
    out = tmp_path / "parts"
    results = extract_on_cluster(find_files([folder]), out, ExtractOptions(published="2025-07-29"), client=threads,
                                 batch=10, timeout=120)
    skipped = [s for r in results for s in r.skipped]
    assert skipped == [("013_003_0184c60c42153e38.txt", "its extraction failed (RuntimeError: a bug met in one article)")]
    assert sum(r.read for r in results) == 39
    facts = read_facts(out)
    assert set(facts["source"].astype(str)) == set(local["source"].astype(str)) - {"013_003_0184c60c42153e38.txt"}


def test_a_batch_that_kills_its_workers_is_sent_again_one_article_a_task(corpus, tmp_path, monkeypatch, threads):
    import zhipu_facts.cluster as cl

    folder, local = corpus
    real = cl.run_batch

    def dies_with_the_bad_one(index, tasks, out, options, sub=None):
        if any(t.source == "021_001_cc1f2bab48428305.txt" for t in tasks):
            raise SystemError("worker lost")  # what KilledWorker looks like to the driver
        return real(index, tasks, out, options, sub)

    monkeypatch.setattr(cl, "run_batch", dies_with_the_bad_one)
    out = tmp_path / "parts"
    results = extract_on_cluster(find_files([folder]), out, ExtractOptions(published="2025-07-29"), client=threads,
                                 batch=10, timeout=120)
    assert [s for r in results for s in r.skipped] == [
        ("021_001_cc1f2bab48428305.txt", "its batch failed on the cluster (SystemError: worker lost)")]
    assert sum(r.read for r in results) == 39
    names = sorted(p.name for p in out.glob("part-*"))
    assert "part-00002-00000.parquet" in names and "part-00002.parquet" not in names
    assert len(read_facts(out)) == len(local) - (local["source"].astype(str) == "021_001_cc1f2bab48428305.txt").sum()


def test_two_runs_whose_folders_share_a_name_keep_their_own_batches(corpus, tmp_path, threads):
    folder, _ = corpus
    other = tmp_path / "other"
    other.mkdir()
    for f in sorted(folder.iterdir())[:12]:
        shutil.copy(f, other / f"x{f.name}")
    outs = {"a": tmp_path / "a" / "out", "b": tmp_path / "b" / "out"}
    results = {}

    def run(name, corpus_folder):
        results[name] = extract_on_cluster(find_files([corpus_folder]), outs[name],
                                           ExtractOptions(published="2025-07-29"), client=threads, batch=4,
                                           timeout=120)

    runs = [threading.Thread(target=run, args=("a", folder)), threading.Thread(target=run, args=("b", other))]
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    assert sum(r.read for r in results["a"]) == 40 and sum(r.read for r in results["b"]) == 12
    assert not set(read_facts(outs["b"])["source"].astype(str)) - {f"x{f.name}" for f in sorted(folder.iterdir())[:12]}
    assert len(set(read_facts(outs["a"])["source"].astype(str))) == 40


def test_a_folder_of_parts_without_the_marker_is_refused(corpus, tmp_path):
    folder, _ = corpus
    out = tmp_path / "parts"
    assert runner.invoke(app, ["extract", str(folder), "--dask", "local", "--batch", "20", "-o", str(out)]).exit_code == 0
    (out / "_SUCCESS").unlink()  # as a driver stopped before the end leaves it
    result = runner.invoke(app, ["compare", str(out)])
    assert result.exit_code == 2 and "without its _SUCCESS marker" in result.output
    (out / "_SUCCESS").write_text('{"parts": ["part-00000.parquet", "part-00009.parquet"], "facts": 1}')
    result = runner.invoke(app, ["compare", str(out)])
    assert result.exit_code == 2 and "part-00009.parquet" in result.output
