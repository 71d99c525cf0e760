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
    assert sorted(p.name for p in out.iterdir()) == [f"part-{i:05d}.parquet" for i in range(6)]  # 40 = 5 x 7 + 5
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
