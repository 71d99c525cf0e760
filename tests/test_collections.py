"""Collections (JSON Lines, CSV, Parquet: one article per record) and standard
input give the same facts as the same articles as files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.table.read import read_facts

runner = CliRunner()
NAMES = ["000_a63247ef244cd01e.txt", "004_c4d06f995f88e8e5.txt"]


def _records():
    return [{"id": n, "text": (SEEDS / n).read_text(encoding="utf-8")} for n in NAMES]


def _write(path, fmt, records):
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    elif fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=sorted({k for r in records for k in r}))
            w.writeheader()
            w.writerows(records)
    else:
        pq.write_table(pa.Table.from_pylist(records), path)


@pytest.fixture(scope="module")
def as_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("files") / "facts.jsonl"
    assert runner.invoke(app, ["extract", *[str(SEEDS / n) for n in NAMES], "-o", str(out)]).exit_code == 0
    return read_facts(out)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_collection_gives_the_facts_of_the_same_articles_as_files(tmp_path, fmt, as_files):
    collection = tmp_path / f"articles.{fmt}"
    _write(collection, fmt, _records())
    out = tmp_path / "facts.jsonl"
    result = runner.invoke(app, ["extract", str(collection), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_facts(out).equals(as_files)  # the same rows: source, hash, offsets, fact_id
    two = tmp_path / "facts_j2.jsonl"
    assert runner.invoke(app, ["extract", str(collection), "-j", "2", "-o", str(two)]).exit_code == 0
    assert two.read_bytes() == out.read_bytes()


def test_bad_records_are_skipped_by_file_and_line_and_the_others_kept(tmp_path):
    collection = tmp_path / "flash.jsonl"
    collection.write_text(
        json.dumps({"url": "https://example.com/1", "content": "公司营收30亿元。", "date": "2025-03-01 09:30"},
                   ensure_ascii=False) + "\n"
        + "{not json\n"
        + json.dumps({"id": "x", "title": "没有正文"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "y", "text": "净利润3亿元。", "published": "2025-13-45"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["extract", str(collection), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "skipped flash.jsonl#2: not JSON" in result.output
    assert "skipped x: flash.jsonl#3: no text" in result.output
    # a date that cannot be read is a warning naming the record, which is still read
    assert "warning: y: its date field '2025-13-45' is no date; read without it" in result.output
    assert "skipped y" not in result.output
    facts = read_facts(out)
    assert facts["source"].tolist() == ["https://example.com/1", "y"]
    assert [(str(p), str(f)) for p, f in facts[["published", "published_from"]].values.tolist()] == [
        ("2025-03-01", "record"), ("nan", "nan")]


def test_fields_can_be_named(tmp_path):
    collection = tmp_path / "a.jsonl"
    collection.write_text(json.dumps({"key": "k1", "正文": "公司营收30亿元。", "time": "2025-03-01"},
                                     ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["extract", str(collection), "--text-field", "正文", "--id-field", "key",
                                 "--published-field", "time", "-o", str(out)])
    assert result.exit_code == 0, result.output
    facts = read_facts(out)
    assert facts[["source", "text", "published"]].values.tolist() == [["k1", "30亿元", "2025-03-01"]]


def test_standard_input_is_one_article_or_with_input_format_a_collection(tmp_path):
    cmd = [sys.executable, "-m", "zhipu_facts", "extract", "-", "--published", "2025-02-11", "--format", "jsonl"]
    one = subprocess.run(cmd, input="公司今天宣布完成10亿元融资。".encode(), capture_output=True, check=False)
    assert one.returncode == 0, one.stderr.decode()
    rows = [json.loads(line) for line in one.stdout.decode().splitlines()]
    assert [(r["source"], r["text"], r["as_of"]) for r in rows] == [("-", "今天", "2025-02-11"),
                                                                    ("-", "10亿元", "2025-02-11")]
    records = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records())
    many = subprocess.run([*cmd, "--input-format", "jsonl"], input=records.encode(), capture_output=True,
                          check=False)
    assert many.returncode == 0, many.stderr.decode()
    assert {json.loads(line)["source"] for line in many.stdout.decode().splitlines()} == set(NAMES)


def test_a_records_own_date_beats_a_date_in_its_url(tmp_path):
    collection = tmp_path / "a.jsonl"
    collection.write_text(json.dumps({"url": "https://news.example.com/2024/10/04/a.html", "text": "公司今日公告。",
                                      "published": "2024-10-05"}) + "\n"
                          + json.dumps({"url": "https://news.example.com/2024/10/04/b.html",
                                        "text": "公司今日公告。"}) + "\n", encoding="utf-8")
    out = tmp_path / "facts.csv"
    assert runner.invoke(app, ["extract", str(collection), "-o", str(out)]).exit_code == 0
    facts = read_facts(out)
    assert facts[["published", "published_from"]].values.tolist() == [["2024-10-05", "record"],
                                                                       ["2024-10-04", "url"]]


@pytest.mark.parametrize("field, published", [
    ("2025/04/15", "2025-04-15"),
    ("2025年4月15日", "2025-04-15"),
    ("2025-04-15 08:12:00", "2025-04-15"),
    ("20250415", "2025-04-15"),
    (1744675200, "2025-04-15"),  # epoch seconds: 2025-04-15 08:00 in UTC+8
    ("1744675200000", "2025-04-15"),  # epoch milliseconds
    ("2025-04-14T23:30:00Z", "2025-04-15"),  # a zone: its day in UTC+8
    ("2025-04-15T06:30:00+08:00", "2025-04-15"),
    ("Mon, 14 Apr 2025 20:30:00 -0400", "2025-04-15"),  # an RSS pubDate
])
def test_a_records_date_field_is_read_in_any_common_form(tmp_path, field, published):
    collection = tmp_path / "a.jsonl"
    collection.write_text(json.dumps({"id": "a", "text": "公司今日公告，营收30亿元。", "pubdate": field},
                                     ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["extract", str(collection), "-o", str(out)])
    assert result.exit_code == 0, result.output
    facts = read_facts(out)
    assert set(facts["published"]) == {published} and set(facts["published_from"]) == {"record"}
    assert facts.loc[facts["text"] == "今日", "as_of"].tolist() == [published]


def test_a_records_date_that_cannot_be_read_falls_back_to_its_url(tmp_path):
    collection = tmp_path / "a.jsonl"
    collection.write_text(json.dumps({"url": "https://news.example.com/2025/04/15/a.html", "text": "公司今日公告。",
                                      "date": "昨天下午"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["extract", str(collection), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "its date field '昨天下午' is no date" in result.output
    assert read_facts(out)[["published", "published_from"]].values.tolist() == [["2025-04-15", "url"]]


@pytest.mark.parametrize("fields, currency", [
    ({"lang": "zh-TW"}, "TWD"),
    ({"locale": "zh_HK"}, "HKD"),
    ({"language": "zh-Hant-TW"}, "TWD"),
    ({"lang": "zh-Hant"}, "CNY"),  # a script, not a place: the article decides (no cues: CNY, flagged)
    ({}, "CNY"),
])
def test_a_records_locale_field_counts_as_front_matters(tmp_path, fields, currency):
    collection = tmp_path / "a.jsonl"
    collection.write_text(json.dumps({"id": "a", "text": "該公司去年營收為30億元。", **fields}, ensure_ascii=False)
                          + "\n", encoding="utf-8")
    out = tmp_path / "facts.csv"
    assert runner.invoke(app, ["extract", str(collection), "-o", str(out)]).exit_code == 0
    assert read_facts(out)["unit"].dropna().tolist() == [currency]
    # the same in Python, and front matter of the article's own comes first
    import zhipu_facts as zf

    got = next(zf.extract_records([{"id": "a", "text": "該公司去年營收為30億元。", **fields}]))
    assert got.locale == {"TWD": "zh-TW", "HKD": "zh-HK", "CNY": "zh-CN"}[currency]
    own = next(zf.extract_records([{"id": "a", "text": "---\nlang: zh-CN\n---\n該公司去年營收為30億元。", **fields}]))
    assert own.locale == "zh-CN"


# One bad record costs only itself: each shape of badness below sits in record 2 of 5.
FLASHES = [{"id": f"flash-{i}", "text": f"公司第{i}季度营收{i + 1}亿元。"} for i in range(1, 6)]


def _run_collection(tmp_path, collection, *args):
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["extract", str(collection), "-o", str(out), *args])
    return result, sorted(set(read_facts(out)["source"].astype(str))) if out.exists() else []


def _kept(*gone):
    return sorted(r["id"] for r in FLASHES if r["id"] not in gone)


def test_a_lone_surrogate_in_one_record_skips_that_record_only(tmp_path):
    lines = [json.dumps(r) for r in FLASHES]  # ASCII JSON: \u escapes
    lines[1] = lines[1].replace('"text": "', '"text": "\\ud83d', 1)
    collection = tmp_path / "flashes.jsonl"
    collection.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, sources = _run_collection(tmp_path, collection)
    assert result.exit_code == 1, result.output
    assert "skipped flash-2: flashes.jsonl#2: its field text holds a byte that is not UTF-8 or a lone surrogate" \
        in result.output
    assert "5 articles: 4 read, 1 skipped" in result.output
    assert sources == _kept("flash-2")


def test_one_bad_utf8_byte_costs_its_record_not_the_file(tmp_path):
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in FLASHES]
    lines[1] = lines[1].replace("营收".encode(), b"\xb0\xfe", 1)  # a GBK pair in a UTF-8 file
    collection = tmp_path / "flashes.jsonl"
    collection.write_bytes(b"\n".join(lines) + b"\n")
    result, sources = _run_collection(tmp_path, collection)
    assert result.exit_code == 1 and "skipped flash-2: flashes.jsonl#2" in result.output
    assert "5 articles: 4 read, 1 skipped" in result.output
    assert sources == _kept("flash-2")


def test_an_unterminated_csv_quote_costs_its_record_and_the_following_ones_are_read(tmp_path):
    collection = tmp_path / "flashes.csv"
    rows = ["id,text"] + [f'{r["id"]},{r["text"]}' for r in FLASHES]
    rows[2] = rows[2].replace(",", ',"', 1)  # the quote is never closed
    collection.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result, sources = _run_collection(tmp_path, collection)
    assert result.exit_code == 1, result.output
    assert "skipped flashes.csv#3: not well-formed CSV" in result.output
    assert "5 articles: 4 read, 1 skipped" in result.output
    assert sources == _kept("flash-2")
    rows[2] = rows[2] + '"x"'  # closed too late: a stray quote where a comma belongs
    collection.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert _run_collection(tmp_path, collection)[1] == _kept("flash-2")


def test_a_csv_record_with_more_fields_than_the_header_is_skipped(tmp_path):
    collection = tmp_path / "flashes.csv"
    rows = ["id,text"] + [f'{r["id"]},{r["text"]}' for r in FLASHES]
    rows[3] += ",extra"
    collection.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result, sources = _run_collection(tmp_path, collection)
    assert "skipped flashes.csv#4: 3 fields where the header has 2" in result.output
    assert sources == _kept("flash-3")


def test_a_second_text_column_or_field_is_not_ignored_silently(tmp_path):
    collection = tmp_path / "flashes.csv"
    collection.write_text("id,text,text\nx,旧文,公司营收3亿元。\n", encoding="utf-8")
    result, sources = _run_collection(tmp_path, collection)
    assert result.exit_code == 1 and "the column text is named twice" in result.output and sources == []
    collection = tmp_path / "flashes.jsonl"
    collection.write_text('{"id": "a", "text": "营收1亿元。", "text": "营收2亿元。"}\n{"id": "b", "text": "营收3亿元。"}\n',
                          encoding="utf-8")
    result, sources = _run_collection(tmp_path, collection)
    assert result.exit_code == 1 and "flashes.jsonl#1: the field text is given twice" in result.output
    assert sources == ["b"]


def test_a_corrupt_parquet_row_group_costs_its_own_rows_each_named(tmp_path):
    collection = tmp_path / "flashes.parquet"
    pq.write_table(pa.Table.from_pylist(FLASHES), collection, row_group_size=1, compression="none")
    meta = pq.ParquetFile(collection).metadata.row_group(1).column(1)
    raw = bytearray(collection.read_bytes())
    raw[meta.data_page_offset + 2:meta.data_page_offset + 30] = b"\xab" * 28  # its page header, garbled
    collection.write_bytes(bytes(raw))
    result, sources = _run_collection(tmp_path, collection)
    assert result.exit_code == 1, result.output
    assert "skipped flashes.parquet#2: in row group 2, which cannot be read" in result.output
    assert "5 articles: 4 read, 1 skipped" in result.output
    assert sources == _kept("flash-2")


def test_an_empty_content_field_is_a_warning_naming_the_record(tmp_path):
    collection = tmp_path / "flashes.jsonl"
    collection.write_text('{"id": "a", "content": ""}\n{"id": "b", "content": "  ", "body": "营收3亿元。"}\n',
                          encoding="utf-8")
    result, sources = _run_collection(tmp_path, collection)
    assert result.exit_code == 1 and "skipped a: flashes.jsonl#1: the field content is empty" in result.output
    assert sources == ["b"]  # a blank field gives way to the next that holds text


def test_a_bad_record_on_standard_input_costs_only_itself():
    rows = ["id,text"] + [f'{r["id"]},{r["text"]}' for r in FLASHES]
    rows[2] = rows[2].replace(",", ',"', 1)
    cmd = [sys.executable, "-m", "zhipu_facts", "extract", "-", "--input-format", "csv", "--format", "jsonl"]
    run = subprocess.run(cmd, input=("\n".join(rows) + "\n").encode(), capture_output=True, check=False)
    assert run.returncode == 1 and b"skipped -#3" in run.stderr
    assert sorted({json.loads(line)["source"] for line in run.stdout.decode().splitlines()}) == _kept("flash-2")
