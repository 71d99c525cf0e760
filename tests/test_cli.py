"""The CLI end to end through typer's CliRunner: formats, determinism, bad input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.table.schema import COLUMNS

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_csv_and_jsonl_byte_identical_across_runs(tmp_path):
    outs = []
    for i in range(2):
        csv_path, jsonl_path = tmp_path / f"a{i}.csv", tmp_path / f"a{i}.jsonl"
        result = _run("extract", SEEDS, "-o", csv_path, "-o", jsonl_path)
        assert result.exit_code == 0, result.output
        outs.append((csv_path.read_bytes(), jsonl_path.read_bytes()))
    assert outs[0] == outs[1]
    ids = [json.loads(line)["fact_id"] for line in outs[0][1].decode().splitlines()]
    assert len(ids) == len(set(ids)), "fact_id must be unique"


def test_formats_carry_the_same_values(tmp_path):
    result = _run("extract", SEEDS, "-o", tmp_path / "f.parquet", "-o", tmp_path / "f.jsonl", "-o", tmp_path / "f.csv")
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "f.parquet")
    assert table.schema.names == COLUMNS
    assert str(table.schema.field("value").type) == "double"
    assert str(table.schema.field("published").type) == "date32[day]"
    assert str(table.schema.field("start").type) == "int64"
    jsonl = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()]
    parquet = table.to_pylist()
    assert len(jsonl) == len(parquet)
    for a, b in zip(jsonl, parquet):
        assert a["fact_id"] == b["fact_id"] and a["value"] == b["value"] and a["text"] == b["text"]
        assert a["published"] == (b["published"].isoformat() if b["published"] else None)
    import csv
    with open(tmp_path / "f.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["fact_id"] for r in rows] == [r["fact_id"] for r in jsonl]
    assert rows[0]["value"] in ("", str(int(jsonl[0]["value"])) if jsonl[0]["value"] is not None and float(jsonl[0]["value"]).is_integer() else repr(jsonl[0]["value"]))


def test_csv_to_stdout_without_output(tmp_path):
    (tmp_path / "a.txt").write_text("2024年,智谱收入为3亿元。", encoding="utf-8")
    result = _run("extract", tmp_path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split(",") == COLUMNS
    assert any(",3亿元," in line for line in lines[1:])


def test_missing_path_exits_2(tmp_path):
    result = _run("extract", tmp_path / "nope")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_unreadable_file_is_skipped_and_others_kept(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    out = tmp_path / "f.jsonl"
    result = _run("extract", corpus, "-o", out)
    assert result.exit_code == 1
    assert "skipped broken.txt" in result.output and "NUL" in result.output
    assert "6 articles: 5 read, 1 skipped" in result.output
    sources = {json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert len(sources) == 5


def test_gbk_and_big5_articles_are_decoded(tmp_path):
    (tmp_path / "gbk.txt").write_bytes("去年年底,智谱完成了新一轮30亿元的融资,估值超过200亿元。".encode("gb18030"))
    (tmp_path / "big5.txt").write_bytes("智譜宣布完成超10億元融資,累計融資金額超125億元。".encode("big5"))
    out = tmp_path / "f.jsonl"
    result = _run("extract", tmp_path, "-o", out, "--published", "2025-02-11")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    texts = {(r["source"], r["text"]) for r in rows}
    assert ("gbk.txt", "30亿元") in texts
    assert ("big5.txt", "超125億元") in texts
    assert {r["published_from"] for r in rows} == {"option"}


def test_empty_file_gives_no_rows_and_no_error(tmp_path):
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "prose.txt").write_text("天气很好,适合出门。", encoding="utf-8")
    out = tmp_path / "f.csv"
    result = _run("extract", tmp_path, "-o", out)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").strip() == ",".join(COLUMNS)


def test_malformed_rule_file_exits_2_naming_it(tmp_path):
    rules = tmp_path / "myrules"
    (rules / "money").mkdir(parents=True)
    (rules / "money" / "mine.yaml").write_text("rules:\n  - id: money.mine.x\n    pattern: '(unclosed'\n    kind: money\n", encoding="utf-8")
    (rules / "percent").mkdir()
    (rules / "percent" / "bad.yaml").write_text("rules: [\n", encoding="utf-8")
    result = _run("extract", SEEDS, "--rules", rules)
    assert result.exit_code == 2
    assert "mine.yaml:2 [money.mine.x]" in result.output and "does not compile" in result.output
    assert "bad.yaml" in result.output and "not valid YAML" in result.output
    assert "Traceback" not in result.output


def test_user_lexicon_adds_a_currency(tmp_path):
    rules = tmp_path / "myrules"
    (rules / "lexicon").mkdir(parents=True)
    (rules / "lexicon" / "gold.yaml").write_text(
        "lexicon: currencies\nentries:\n  - key: XAU\n    names: [盎司黄金]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("央行储备了5盎司黄金,同时持有3亿美元。", encoding="utf-8")
    out = tmp_path / "f.jsonl"
    result = _run("extract", tmp_path / "a.txt", "--rules", rules, "-o", out)
    assert result.exit_code == 0, result.output
    rows = {json.loads(line)["text"]: json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()}
    assert rows["5盎司黄金"]["unit"] == "XAU"
    assert rows["3亿美元"]["unit"] == "USD"


def test_user_rule_with_a_shipped_id_replaces_it(tmp_path):
    from zhipu_facts.engine.rules import load_rules

    rules = tmp_path / "myrules"
    (rules / "percent").mkdir(parents=True)
    (rules / "percent" / "percent.yaml").write_text(
        "rules:\n"
        "  - id: percent.percent.zhe\n"
        "    kind: percent\n"
        "    pattern: '(?P<core>(?P<num>[一二三四五六七八九])(?P<zhe>折))(?=优惠)'\n"
        "    examples:\n"
        "      - text: 全场五折优惠\n"
        "        span: 五折\n"
        "        value: 50\n"
        "    negatives: [API价格也是打了五折]\n", encoding="utf-8")
    ruleset = load_rules([rules])
    assert ruleset.by_id("percent.percent.zhe").file.startswith(str(rules))
    assert len([r for r in ruleset.rules if r.id == "percent.percent.zhe"]) == 1
    (tmp_path / "a.txt").write_text("API价格也是打了五折。全场五折优惠。", encoding="utf-8")
    out = tmp_path / "f.jsonl"
    result = _run("extract", tmp_path / "a.txt", "--rules", rules, "-o", out)
    assert result.exit_code == 0, result.output
    starts = [json.loads(line)["start"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert starts == [14]  # only the second 五折, the one the user rule accepts


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_format_option_without_extension(tmp_path, fmt):
    out = tmp_path / "facts.out"
    result = _run("extract", SEEDS / "000_a63247ef244cd01e.txt", "-o", out, "--format", fmt)
    assert result.exit_code == 0, result.output
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("source,") if fmt == "csv" else first.startswith("{")


def test_interrupted_write_leaves_no_file(tmp_path, monkeypatch):
    import zhipu_facts.cli.extract as cli

    real = cli.extract_files

    def boom(*a, **k):
        yield next(iter(real(*a, **k)))  # one article's rows reach the writer...
        raise KeyboardInterrupt  # ...then the run is interrupted

    monkeypatch.setattr(cli, "extract_files", boom)
    out = tmp_path / "f.csv"
    runner.invoke(app, ["extract", str(SEEDS), "-o", str(out)])
    assert not out.exists()
    assert not list(tmp_path.glob(".f.csv.*"))


def test_two_inputs_with_one_source_name_exit_2_before_reading(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.txt").write_text("公司营收3亿元。", encoding="utf-8")
    out = tmp_path / "f.csv"
    result = _run("extract", tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt", "-o", out)
    assert result.exit_code == 2
    assert "would both be named 'x.txt'" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_the_line_per_article_only_on_a_terminal_or_with_v(tmp_path):
    """CliRunner's stderr is no terminal: by default only the total, -v adds a
    line per article, -q prints nothing at all, and the two together are refused."""
    seed, out = SEEDS / "000_a63247ef244cd01e.txt", str(tmp_path / "f.csv")
    plain = runner.invoke(app, ["extract", str(seed), "-o", out])
    assert plain.exit_code == 0 and "facts  000_" not in plain.output
    assert "facts from 1 article: 1 read" in plain.output
    verbose = runner.invoke(app, ["extract", str(seed), "-v", "-o", out])
    assert verbose.exit_code == 0 and "facts  000_a63247ef244cd01e.txt" in verbose.output
    quiet = runner.invoke(app, ["extract", str(seed), "-q", "-o", out])
    assert quiet.exit_code == 0 and quiet.output == ""
    both = runner.invoke(app, ["extract", str(seed), "-q", "-v", "-o", out])
    assert both.exit_code == 2 and "opposite" in both.output


@pytest.mark.parametrize("jobs", ["2", "0"])
def test_jobs_give_the_same_bytes_warnings_and_exit_status(tmp_path, jobs):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "zz_binary.txt").write_bytes(b"\x00\x01binary")  # skipped: exit 1, named in a warning
    outs = {}
    for j in ("1", jobs):
        out = tmp_path / f"facts_{j}.csv"
        result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "-j", j])
        assert result.exit_code == 1, result.output
        assert "warning: skipped zz_binary.txt" in result.output
        outs[j] = (out.read_bytes(), result.output.count("warning:"))
    assert outs["1"] == outs[jobs]


def test_jobs_must_not_be_negative():
    result = runner.invoke(app, ["extract", str(SEEDS), "-j", "-1"])
    assert result.exit_code == 2 and "--jobs" in result.output


def test_a_plain_run_imports_only_what_it_needs(tmp_path):
    """Start-up (make bench measures it): a UTF-8 article without front matter,
    CNY only, written as CSV by one process, needs neither pyarrow (Parquet),
    PyYAML (rules come from the cache, and no front matter), the rate table's
    package, charset detection nor multiprocessing."""
    import subprocess
    import sys

    article = tmp_path / "2025-07-29-flash.txt"
    article.write_text("智谱完成新一轮30亿元融资，估值超过400亿元。", encoding="utf-8")
    probe = (
        "import sys\n"
        "from zhipu_facts.cli import app\n"
        f"try:\n    app(['extract', {str(article)!r}, '-q', '-o', {str(tmp_path / 'facts.csv')!r}])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "heavy = ('pyarrow', 'yaml', 'currency_converter', 'charset_normalizer', 'multiprocessing', 'pandas')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True)  # fills the rule cache
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "30亿元" in (tmp_path / "facts.csv").read_text(encoding="utf-8")


def test_quiet_prints_nothing_but_warnings_and_errors(tmp_path):
    """-q on every command that talks: the total, the hint about undated articles and the
    summaries of compare, diff and report go; a warning stays, and so does an error."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("智谱今年营收3亿元。\n", encoding="utf-8")  # no date: the long hint
    (folder / "b.txt").write_bytes(b"\x00\x01binary\x00")
    table, report = tmp_path / "f.csv", tmp_path / "r.html"
    loud = runner.invoke(app, ["extract", str(folder), "-o", str(table)])
    assert "no publication date" in loud.output and "facts from 2 articles" in loud.output
    quiet = runner.invoke(app, ["extract", str(folder), "-q", "-o", str(table)])
    assert quiet.exit_code == 1
    assert [line.split(":")[0] for line in quiet.output.splitlines()] == ["warning"]
    for args in (["compare", str(table), "-q", "-o", str(tmp_path / "c.csv")],
                 ["diff", str(table), str(table), "-q", "-o", str(tmp_path / "d.csv")],
                 ["report", str(table), "-q", "-o", str(report)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and result.output == "", (args, result.output)
    error = runner.invoke(app, ["compare", str(tmp_path / "missing.csv"), "-q"])
    assert error.exit_code == 2 and error.output.startswith("error:")


def test_counts_read_as_english(tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("2025年3月10日\n智谱完成新一轮融资。\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(one), "-v", "-o", str(tmp_path / "f.csv")])
    assert "    1 fact   one.txt" in result.output and "1 fact from 1 article: 1 read" in result.output
    report = runner.invoke(app, ["report", str(tmp_path / "f.csv"), "-o", str(tmp_path / "r.html")])
    assert "1 fact of 1 article (0 with their text)" in report.output


@pytest.mark.parametrize("command", [["extract"], ["compare"], ["diff"], ["report"], ["rules", "check"],
                                     ["rules", "list"], ["explain"]])
def test_help_shows_placeholders_a_person_reads(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert not re.search(r"<(list|bool|str|int|float|path)", result.output), result.output
    expected = {"extract": ["PATH", "FILE", "DATE", "N ", "DIR", "SECONDS"],
                "compare": ["TABLE", "FILE", "COLUMNS"], "diff": ["OLD", "NEW", "FILE"],
                "report": ["TABLE", "FILE", "PATH"], "check": ["PATH"], "list": ["DIR"],
                "explain": ["TEXT", "DATE"]}[command[-1]]
    for placeholder in expected:
        assert placeholder in result.output, placeholder
    # a switch takes no value: nothing beside it
    assert re.search(r"--help\s+-h\s+Show this message", result.output)


@pytest.mark.parametrize("command", ["extract", "compare", "diff", "report"])
def test_an_output_that_cannot_be_written_is_named_as_given_with_no_traceback(tmp_path, command):
    """/proc takes no new files: the writers' temporary file beside the output (.x.csv.XXXX.tmp)
    cannot be made, and the message names the user's path, not ours; a folder on the way that is a
    file is named too."""
    seed = SEEDS / "000_a63247ef244cd01e.txt"
    table = tmp_path / "f.csv"
    assert runner.invoke(app, ["extract", str(seed), "-o", str(table)]).exit_code == 0
    suffix = ".html" if command == "report" else ".csv"
    inputs = {"extract": [str(seed)], "compare": [str(table)], "diff": [str(table), str(table)],
              "report": [str(table)]}[command]
    for output in (Path("/proc") / f"x{suffix}", tmp_path / "f.csv" / f"x{suffix}"):
        result = runner.invoke(app, [command, *inputs, "-q", "-o", str(output)])
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"error: cannot write {output}: "), result.output
        assert ".tmp" not in result.output and "Traceback" not in result.output


def test_the_terminal_table_of_extract_shows_whole_figures_on_a_narrow_screen():
    from io import StringIO

    from rich.console import Console

    import zhipu_facts as zf
    from zhipu_facts.cli.extract import _print_table

    [article] = zf.extract_records([{"id": "a", "text": "公司年营收为6602570000元，估值约7.1048868778亿美元。",
                                      "published": "2025-03-01"}])
    screen = StringIO()
    _print_table(Console(file=screen, width=60, highlight=False), article, None)
    columns: dict[int, str] = {}  # each column's text down the table, its wrapped lines joined
    for line in screen.getvalue().splitlines():
        if line.startswith("│"):
            for k, cell in enumerate(line.strip("│").split("│")):
                columns[k] = columns.get(k, "") + cell.strip()
    assert "…" not in screen.getvalue()
    value = columns[4]
    assert "66.0257亿" in value and "7.10489亿" in value  # as analysts read them, wrapped rather than cut


def test_an_unreadable_file_named_directly_is_a_warning_and_exit_1_as_the_readme_says(tmp_path, monkeypatch):
    """Permission denied (simulated: the suite may run as root, whom no mode stops): the file is
    named in a warning and skipped, the others are written, exit 1; its name is the user's."""
    locked, other = tmp_path / "locked.txt", tmp_path / "other.txt"
    locked.write_text("智谱估值为400亿元。\n", encoding="utf-8")
    other.write_text("智谱估值为400亿元。\n", encoding="utf-8")
    import builtins

    real = builtins.open

    def denying_open(file, *args, **kwargs):  # whichever way the reader opens it
        if isinstance(file, (str, Path)) and Path(file).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denying_open)
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(locked), str(other), "--published", "2025-01-01", "-o", str(out)])
    assert result.exit_code == 1
    assert "warning: skipped locked.txt: cannot read: Permission denied" in result.output
    assert "from 2 articles: 1 read, 1 skipped" in result.output and out.exists()
    assert ".tmp" not in result.output
