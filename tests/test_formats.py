"""A new format is one declaration. Here a toy input format (a .tsv of
id<TAB>text lines) and a toy table format (.tsv rows) are declared in this
file alone, registered, and run through `zfacts extract`: no file of the
package names them, yet the CLI reads, writes and reads back with them."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.ingest.collections import open_text
from zhipu_facts.ingest.formats import INPUT_FORMATS, InputFormat, register_input
from zhipu_facts.options import ExtractOptions, OptionError
from zhipu_facts.table.formats import OUTPUT_FORMATS, OutputFormat, check_choice, register_output
from zhipu_facts.table.read import read_facts
from zhipu_facts.table.schema import SCHEMA, to_text
from zhipu_facts.table.write import TextWriter

runner = CliRunner()
ARTICLES = [("a", "2025年2月11日,智谱完成了30亿元融资。"), ("b", "公司营收为12亿元,同比增长18%。")]


def tsv_records(path):
    """id<TAB>text, a record a line."""
    with open_text(path) as fh:
        for n, line in enumerate(fh, 1):
            ident, _, text = line.rstrip("\n").partition("\t")
            yield n, {"id": ident, "text": text}, None


class TsvWriter(TextWriter):
    """A header of the column names, then a row a line, cells as CSV writes them."""

    def __init__(self, path, stream=None, schema=None):
        super().__init__(path, stream, schema)
        self.handle.write("\t".join(self.columns) + "\n")

    def write(self, rows):
        self.handle.writelines("\t".join(to_text(c) for c in self.cells(r)) + "\n" for r in rows)
        self.rows += len(rows)


def read_tsv(path):
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture
def toy_formats():
    register_input(InputFormat("tsv", (".tsv",), "id<TAB>text lines", "collection", tsv_records))
    register_output(OutputFormat("tsv", (".tsv",), "a row a line, tab-separated", TsvWriter, read_tsv))
    yield
    del INPUT_FORMATS["tsv"], OUTPUT_FORMATS["tsv"]


def test_a_format_declared_outside_the_package_reads_writes_and_reads_back(tmp_path, toy_formats):
    articles = tmp_path / "news.tsv"
    articles.write_text("".join(f"{i}\t{t}\n" for i, t in ARTICLES), encoding="utf-8")
    same = tmp_path / "news.jsonl"  # the same articles in a shipped format
    same.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in ARTICLES),
                    encoding="utf-8")
    toy, shipped = tmp_path / "facts.tsv", tmp_path / "facts.csv"
    for source, out in ((articles, toy), (same, shipped)):
        result = runner.invoke(app, ["extract", str(source), "-o", str(out), "--published", "2025-02-11"])
        assert result.exit_code == 0, result.output
    assert toy.read_text(encoding="utf-8").splitlines()[0] == "\t".join(SCHEMA.names)
    table = read_facts(toy)
    assert set(table["source"]) == {"a", "b"} and len(table) >= 4
    assert table.equals(read_facts(shipped))


def test_the_toy_formats_are_choices_by_name_too(tmp_path, toy_formats):
    odd = tmp_path / "news.txt"  # its extension says text; --input-format says tsv
    odd.write_text("".join(f"{i}\t{t}\n" for i, t in ARTICLES), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(odd), "--input-format", "tsv", "--format", "tsv"])
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header == "\t".join(SCHEMA.names) and {r.split("\t")[0] for r in rows} == {"a", "b"}


def test_an_unknown_format_names_the_registered_ones(toy_formats):
    with pytest.raises(OptionError, match="'xml'; choose one of text, html, jsonl, csv, parquet, tsv") as e:
        ExtractOptions(input_format="xml")
    assert e.value.option == "--input-format"
    with pytest.raises(ValueError, match="'xml'; choose one of csv, excel, jsonl, json, parquet, tsv"):
        check_choice("xml")
