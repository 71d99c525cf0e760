"""The Makefile installs what a target needs: running zfacts its dependencies only, the test
extras (pytest, hypothesis, pillow, Dask) with `make test`, which CI runs (.ci/run)."""

from __future__ import annotations

import shutil
import subprocess
import tomllib

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")


def _installs(target: str) -> list[str]:
    """The pip installs `make TARGET` would run on a fresh checkout (-n: print, do not run; -B: as if
    nothing were installed yet)."""
    done = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line.split("-e", 1)[1].strip() for line in done.stdout.splitlines() if "pip install" in line and " -e " in line]


@pytest.mark.parametrize("target", ["run", "demo", "report", "check-rules"])
def test_running_zfacts_installs_no_test_extras(target):
    assert _installs(target) == ["."]


def test_make_test_installs_the_test_extras_which_hold_what_the_tests_import():
    assert _installs("test") == [".", "'.[test]'"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {dep.split("[")[0].split(">")[0].split("=")[0].strip().lower() for dep in extras["test"]}
    assert {"pytest", "hypothesis", "pillow", "dask"} <= names
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
