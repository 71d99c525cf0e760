"""The report's page files (review/page/: skeleton, styles, script) are package resources, found
wherever the package is installed, and every report inlines them: it fetches nothing when opened."""

from __future__ import annotations

import importlib.resources
import re
import subprocess
import sys
import zipfile

import lxml.html
import pytest
from conftest import ROOT, SEEDS
from typer.testing import CliRunner

from zhipu_facts.review.report import build_report
from zhipu_facts.table.read import read_facts

PAGE_FILES = ("report.html", "report.css", "report.js")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    from zhipu_facts.cli import app

    folder = tmp_path_factory.mktemp("page")
    table, report = folder / "facts.parquet", folder / "report.html"
    runner = CliRunner()
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(table)]).exit_code == 0
    result = runner.invoke(app, ["report", str(table), "--sources", str(SEEDS), "-o", str(report)])
    assert result.exit_code == 0, result.output
    return table, report.read_text(encoding="utf-8")


def _page_files() -> dict[str, str]:
    page = importlib.resources.files("zhipu_facts.review") / "page"
    return {name: (page / name).read_text(encoding="utf-8") for name in PAGE_FILES}


def test_the_report_inlines_the_page_files_and_fetches_nothing(seeds):
    _, report = seeds
    files = _page_files()
    doc = lxml.html.fromstring(report)
    # the skeleton puts each file on a line of its own after the opening tag
    assert doc.xpath("string(//head/style)") == "\n" + files["report.css"]
    assert doc.xpath("string(//script[not(@id)])") == "\n" + files["report.js"]
    assert "<!-- zfacts:" not in report  # every placeholder filled
    at = 0
    for piece in re.split(r"<!-- zfacts:\w+ -->", files["report.html"]):  # the skeleton, in its order
        found = report.find(piece, at)
        assert found >= 0, piece
        at = found + len(piece)
    assert not doc.xpath("//*[@src] | //link | //iframe")
    assert "url(" not in files["report.css"] and "@import" not in files["report.css"]


def test_the_package_in_a_zip_archive_builds_the_same_report(seeds, tmp_path):
    """As from a wheel: the page files (and the rules, which the wheel carries as
    zhipu_facts/rules) are read as the package's resources, not from a folder
    next to the source."""
    table, _ = seeds
    archive = tmp_path / "zhipu_facts.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted((ROOT / "zhipu_facts").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, path.relative_to(ROOT).as_posix())
        for path in sorted((ROOT / "rules").rglob("*")):
            if path.is_file():
                z.write(path, "zhipu_facts/" + path.relative_to(ROOT).as_posix())
    out = tmp_path / "report.html"
    script = ("import sys, zhipu_facts\n"
              "assert zhipu_facts.__file__.startswith(sys.argv[1]), zhipu_facts.__file__\n"
              "from zhipu_facts.review.report import build_report\n"
              "from zhipu_facts.table.read import read_facts\n"
              "open(sys.argv[3], 'w', encoding='utf-8').write(build_report(read_facts(sys.argv[2])))\n")
    # run from tmp_path: `python -c` puts the working folder, a checkout's package, ahead of PYTHONPATH
    done = subprocess.run([sys.executable, "-c", script, str(archive), str(table), str(out)], cwd=tmp_path,
                          env={"PYTHONPATH": str(archive), "PATH": ""}, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_text(encoding="utf-8") == build_report(read_facts(table))
