"""Outputs (issue 32): several -o are committed all or none, a killed run's
temporary files are swept, long names work, -o - is standard output."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import SEEDS
from typer.testing import CliRunner

import zhipu_facts as zf
from zhipu_facts.cli import app
from zhipu_facts.table import write

runner = CliRunner()
SEED = next(SEEDS.glob("000_*.txt"))


def test_a_failure_at_the_second_commit_leaves_every_output_as_it_was(tmp_path, monkeypatch):
    first, second = tmp_path / "facts.csv", tmp_path / "facts.jsonl"
    first.write_text("yesterday's table\n", encoding="utf-8")
    second.write_text("yesterday's lines\n", encoding="utf-8")
    real = os.replace

    def fails_on_the_second(src, dst):
        if str(dst) == str(second):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(write.os, "replace", fails_on_the_second)
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(first), "-o", str(second)])
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert first.read_text(encoding="utf-8") == "yesterday's table\n"  # put back, not left replaced
    assert second.read_text(encoding="utf-8") == "yesterday's lines\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.csv", "facts.jsonl"]  # nothing left aside


def test_a_failure_at_the_second_commit_removes_a_first_output_that_was_new(tmp_path, monkeypatch):
    first, second = tmp_path / "new.csv", tmp_path / "new.jsonl"
    real = os.replace
    monkeypatch.setattr(write.os, "replace",
                        lambda src, dst: (_ for _ in ()).throw(OSError(5, "I/O error")) if str(dst) == str(second)
                        else real(src, dst))
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(first), "-o", str(second)]).exit_code == 2
    assert not list(tmp_path.iterdir())


def test_a_killed_runs_temporary_output_is_swept_by_the_next_run(tmp_path):
    out = tmp_path / "facts.csv"
    cmd = [sys.executable, "-c", "import os, zhipu_facts.table.write as w; from pathlib import Path; "
           f"w.CsvWriter(Path({str(out)!r})); os.kill(os.getpid(), 9)"]
    subprocess.run(cmd, check=False)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".facts.csv.zf")  # what SIGKILL leaves behind
    (tmp_path / ".notes.txt.swp").write_text("someone else's", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(out)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.txt.swp", "facts.csv"]


def test_a_temporary_output_of_a_live_run_is_left_alone(tmp_path):
    live = tmp_path / f".facts.csv.zf{write._host()}-{os.getpid()}-abcdefgh.tmp"
    live.write_text("being written", encoding="utf-8")
    write.sweep_stale(tmp_path)
    assert live.exists()


def test_a_legal_output_name_of_249_characters_is_written(tmp_path):
    out = tmp_path / ("事" * 80 + "x" * 5 + ".csv")  # 249 bytes in UTF-8
    assert len(out.name.encode()) == 249
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("source,")
    summary = zf.write_table(zf.extract([SEED]), [tmp_path / ("y" * 248 + ".json"), out])
    assert summary.facts > 0


def test_dash_as_output_is_standard_output_in_the_format_asked(tmp_path, monkeypatch):
    import io
    import json

    monkeypatch.chdir(tmp_path)
    plain = runner.invoke(app, ["extract", str(SEED), "-o", "-"])
    assert plain.exit_code == 0 and plain.stdout.startswith("source,fact_id,")
    lines = runner.invoke(app, ["extract", str(SEED), "-o", "-", "--format", "jsonl"]).stdout.splitlines()
    assert json.loads(lines[0])["source"] == SEED.name
    both = runner.invoke(app, ["extract", str(SEED), "-o", "-", "-o", str(tmp_path / "f.jsonl")])
    assert both.exit_code == 0 and both.stdout.startswith("source,") and (tmp_path / "f.jsonl").exists()
    assert not (tmp_path / "-").exists()  # never a file named -
    run = subprocess.run([sys.executable, "-m", "zhipu_facts", "extract", str(SEED), "-o", "-", "--format", "parquet"],
                         capture_output=True, check=True)
    import pyarrow.parquet as pq

    assert pq.read_table(io.BytesIO(run.stdout)).num_rows == len(lines)


def test_flags_are_a_list_in_json_and_parquet_and_joined_in_csv(tmp_path):
    import json

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from zhipu_facts.table.read import read_facts

    article = tmp_path / "a.txt"
    article.write_text("公司预计2025年营收将达50亿元,去年营收为30亿元。港股上市募资约10亿。", encoding="utf-8")
    outs = [tmp_path / f"f.{e}" for e in ("jsonl", "json", "parquet", "csv")]
    assert runner.invoke(app, ["extract", str(article), *[a for o in outs for a in ("-o", str(o))]]).exit_code == 0
    rows = [json.loads(line) for line in outs[0].read_text(encoding="utf-8").splitlines()]
    assert all(isinstance(r["flags"], list) for r in rows) and ["forecast"] in [r["flags"] for r in rows]
    assert [r["flags"] for r in json.loads(outs[1].read_text(encoding="utf-8"))] == [r["flags"] for r in rows]
    table = pq.read_table(outs[2])
    assert str(table.schema.field("flags").type) == "list<element: string>"
    frame = table.to_pandas()
    forecasts = frame[frame["flags"].map(lambda flags: "forecast" in flags)]  # no string matching
    assert len(forecasts) == sum("forecast" in r["flags"] for r in rows) > 0
    assert pc.list_value_length(table["flags"]).to_pylist() == [len(r["flags"]) for r in rows]
    assert "forecast" in outs[3].read_text(encoding="utf-8")  # CSV: the joined text
    read = [read_facts(o) for o in outs]
    assert all(r.equals(read[0]) for r in read[1:])  # one table, whichever format


def test_tables_of_the_older_joined_flags_still_read(tmp_path):
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from zhipu_facts.table.read import read_facts

    new = tmp_path / "new.jsonl"
    article = tmp_path / "a.txt"
    article.write_text("公司预计2025年营收将达50亿元。", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(article), "-o", str(new)]).exit_code == 0
    rows = [json.loads(line) for line in new.read_text(encoding="utf-8").splitlines()]
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps({**r, "flags": ";".join(r["flags"]) or None}, ensure_ascii=False) + "\n"
                           for r in rows), encoding="utf-8")
    old_parquet = tmp_path / "old.parquet"
    table = pa.Table.from_pylist(
        [{**r, "flags": ";".join(r["flags"]) or None} for r in rows])
    pq.write_table(table, old_parquet)
    assert read_facts(old)["flags"].tolist() == read_facts(new)["flags"].tolist()
    assert read_facts(old_parquet)["flags"].tolist() == read_facts(new)["flags"].tolist()
    assert diff_exit(old, new) == 0


def diff_exit(a, b) -> int:
    return runner.invoke(app, ["diff", str(a), str(b)]).exit_code
