"""Worker processes that die (`-j N`): a dead worker costs only its own article, named, and never a hang."""

from __future__ import annotations

import os
import signal
import time

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

import zhipu_facts.api as api
from zhipu_facts.cli import app
from zhipu_facts.parallel import WorkerError, ordered_map

runner = CliRunner()


def _square_unless_seven(n: int) -> int:
    if n == 7:
        os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer does
    return n * n


def test_a_killed_worker_costs_its_item_and_the_rest_come_in_order():
    start = time.monotonic()
    out = list(ordered_map(_square_unless_seven, range(40), 2, lost=lambda n, why: f"lost {n}: {why}"))
    assert time.monotonic() - start < 60
    assert out[:7] == [n * n for n in range(7)] and out[8:] == [n * n for n in range(8, 40)]
    assert out[7].startswith("lost 7: its worker process died (SIGKILL")


def test_without_a_handler_a_dead_worker_is_an_error_not_a_hang():
    with pytest.raises(WorkerError, match="SIGKILL"):
        list(ordered_map(_square_unless_seven, range(20), 2))


def _fails_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


def test_an_exception_in_a_task_is_raised_as_with_one_process():
    with pytest.raises(ValueError, match="three"):
        list(ordered_map(_fails_on_three, range(10), 2))


def test_cli_run_with_a_killed_worker_names_the_article_and_exits_1(tmp_path, monkeypatch):
    real = api.read_article

    def dies_on_002(item, options, stream=False):
        if item.source.startswith("002_"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(item, options, stream=stream)

    monkeypatch.setattr(api, "read_article", dies_on_002)  # the workers fork with it
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["extract", str(SEEDS), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1, result.output
    assert "002_" in result.output and "worker process died" in result.output
    written = out.read_text(encoding="utf-8")
    assert "002_fee363ebed5e72be" not in written
    for other in ("000_", "001_", "003_", "004_"):
        assert other in written
