from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from zhipu_facts.engine.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "seeds"
sys.path.insert(0, str(Path(__file__).parent))
# The compiled-rules cache (engine/rule_cache.py) of the test run, never the
# user's ~/.cache; the command-line tests' child processes inherit it.
os.environ.setdefault("ZFACTS_CACHE", tempfile.mkdtemp(prefix="zfacts-test-cache-"))


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(scope="session")
def seed_rows(tmp_path_factory):
    """The fact table of data/seeds/ as the CLI writes it (JSON Lines)."""
    from typer.testing import CliRunner

    from zhipu_facts.cli import app

    out = tmp_path_factory.mktemp("seeds") / "facts.jsonl"
    result = CliRunner().invoke(app, ["extract", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def seed_texts():
    return {p.name: p.read_text(encoding="utf-8-sig") for p in sorted(SEEDS.glob("*.txt"))}
