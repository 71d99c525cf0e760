"""Files and folders that are odd at the byte or file-system level (issue 32):
wide Unicode encodings, symlink loops, devices and huge files, closed streams."""

from __future__ import annotations

import codecs

import pytest
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.table.read import read_facts

runner = CliRunner()
FLASH = "2024年,公司营收为45.6亿元,同比增长12%。\n"


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                          (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, bom, encoding):
    article = tmp_path / "notepad.txt"
    article.write_bytes(bom + FLASH.encode(encoding))
    out = tmp_path / "facts.csv"
    result = runner.invoke(app, ["extract", str(article), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_facts(out)["text"].tolist() == ["2024年", "45.6亿元", "12%"]


def test_a_utf16_mark_on_bytes_that_are_not_utf16_is_named(tmp_path):
    article = tmp_path / "odd.txt"
    article.write_bytes(codecs.BOM_UTF16_LE + FLASH.encode("utf-16-le")[:-1])  # an odd byte count
    result = runner.invoke(app, ["extract", str(article), "-o", str(tmp_path / "f.csv")])
    assert result.exit_code == 1 and "odd.txt: begins with a UTF_16_LE byte-order mark" in result.output


def test_cr_only_line_endings_give_each_fact_its_own_line(tmp_path):
    article = tmp_path / "classic-mac.txt"
    source = "2024年公司营收3亿元。\r净利润1亿元。\r\r毛利率40%。\r"
    article.write_bytes(source.encode("utf-8"))
    out = tmp_path / "facts.jsonl"
    assert runner.invoke(app, ["extract", str(article), "-o", str(out)]).exit_code == 0
    facts = read_facts(out)
    assert facts[["text", "line"]].values.tolist() == [["2024年", 1], ["3亿元", 1], ["1亿元", 2], ["40%", 4]]
    for text, start, end in facts[["text", "start", "end"]].values.tolist():
        assert source[start:end] == text  # one character for one: the offsets index the file as it is
    assert facts["quote"].tolist()[2] == "净利润1亿元。"
