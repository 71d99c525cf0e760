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


#: Short flashes as a GBK newsroom system saves them, and Big5 ones from Taiwan.
SHORT_GB = ["智谱完成新一轮融资。", "公司营收同比增长12%。净利润亏损收窄。", "北京智谱华章科技有限公司今日宣布完成30亿元融资。估值超过200亿元。",
            "大模型价格战持续。字节跳动下调价格。阿里云跟进。百度宣布免费。", "涨", "营收", "净利润", "市场份额"]
SHORT_BIG5 = ["台積電營收創新高。", "鴻海", "中央社記者報導,聯發科第三季營收年增百分之二十。"]


@pytest.mark.parametrize("text,encoding", [(t, "gb18030") for t in SHORT_GB] + [(t, "big5") for t in SHORT_BIG5])
def test_short_gb18030_and_big5_texts_read_right_or_warn(tmp_path, text, encoding):
    from zhipu_facts.ingest.decode import decode, doubt

    raw = text.encode(encoding)
    assert decode(raw)[0] == text or doubt(raw) is not None
    if len(text) >= 8:
        assert decode(raw)[0] == text  # a sentence is never a guess


def test_a_few_characters_that_read_two_ways_say_so(tmp_path):
    article = tmp_path / "flash.txt"
    article.write_bytes("水".encode("gb18030"))  # CB AE: also valid UTF-8 (U+02EE) and Big5
    result = runner.invoke(app, ["extract", str(article), "-o", str(tmp_path / "f.csv")])
    assert "flash.txt: too short to tell its encoding for sure: read as GB18030 (水)" in result.output


def test_one_to_four_seed_sentences_in_gb18030_are_always_read_and_characters_never_silently_wrong():
    import random
    import re

    from conftest import SEEDS

    from zhipu_facts.ingest.clean import to_simplified
    from zhipu_facts.ingest.decode import decode, doubt

    sentences = [s for f in sorted(SEEDS.glob("*.txt"))
                 for s in re.split(r"(?<=[。!?])", to_simplified(f.read_text(encoding="utf-8")))
                 if 8 < len(s) < 80 and "\n" not in s.strip()]
    chars = [c for s in sentences for c in s if "\u4e00" <= c <= "\u9fff"]
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.sample(sentences, rng.randint(1, 4))).strip()
        assert decode(text.encode("gb18030"))[0] == text
        few = "".join(rng.choice(chars) for _ in range(rng.randint(1, 4)))
        raw = few.encode("gb18030")
        assert decode(raw)[0] == few or doubt(raw) is not None, few


def _corpus(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (corpus / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (corpus / "a.txt").write_text("公司营收3亿元。", encoding="utf-8")
    (elsewhere / "b.txt").write_text("净利润1亿元。", encoding="utf-8")
    return corpus, elsewhere


def test_a_symlink_loop_in_a_folder_is_named_not_a_traceback(tmp_path):
    corpus, _ = _corpus(tmp_path)
    (corpus / "loop.txt").symlink_to("loop.txt")
    (corpus / "sub" / "up").symlink_to(corpus)  # a folder link back up the tree
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "skipped loop.txt: cannot read: Too many levels of symbolic links" in result.output
    assert read_facts(out)["source"].tolist() == ["a.txt"]  # the loop up the tree reads nothing twice


def test_a_symlinked_folder_in_the_corpus_is_read_once(tmp_path):
    corpus, elsewhere = _corpus(tmp_path)
    (corpus / "linked").symlink_to(elsewhere)
    (corpus / "sub" / "again").symlink_to(elsewhere)  # the same folder by a second link
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_facts(out)["source"].tolist() == ["a.txt", "linked/b.txt"]
    (corpus / "b").symlink_to(corpus / "sub")  # a link to a real folder of the corpus: read under its own name
    (corpus / "sub" / "c.txt").write_text("毛利率40%。", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(corpus), "-o", str(out)]).exit_code == 0
    assert read_facts(out)["source"].tolist() == ["a.txt", "linked/b.txt", "sub/c.txt"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_read_to_the_limit_and_named(tmp_path, monkeypatch, device):
    monkeypatch.setenv("ZFACTS_MAX_BYTES", "1M")
    for args in ([], ["--input-format", "jsonl"], ["--input-format", "csv"]):
        result = runner.invoke(app, ["extract", device, *args, "-o", str(tmp_path / "f.csv")])
        assert result.exit_code == 1, result.output
        assert ("larger than 1,048,576 bytes" in result.output and "ZFACTS_MAX_BYTES" in result.output
                or "records are all unreadable, so it is no" in result.output  # random lines
                or "cannot be read as csv" in result.output)


def test_a_huge_sparse_file_is_refused_by_its_size_and_the_limit_can_be_raised(tmp_path, monkeypatch):
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # beyond the default limit, no disk used
    (tmp_path / "ok.txt").write_text("公司营收3亿元。", encoding="utf-8")
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(sparse), str(tmp_path / "ok.txt"), "-o", str(out)])
    assert result.exit_code == 1 and "skipped huge.txt: is larger than 268,435,456 bytes" in result.output
    assert read_facts(out)["source"].tolist() == ["ok.txt"]
    monkeypatch.setenv("ZFACTS_MAX_BYTES", "10")
    result = runner.invoke(app, ["extract", str(tmp_path / "ok.txt"), "-o", str(out)])
    assert result.exit_code == 1 and "larger than 10 bytes" in result.output
    monkeypatch.setenv("ZFACTS_MAX_BYTES", "1G")
    assert runner.invoke(app, ["extract", str(tmp_path / "ok.txt"), "-o", str(out)]).exit_code == 0


def test_a_record_longer_than_the_limit_costs_only_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("ZFACTS_MAX_BYTES", "200")
    collection = tmp_path / "flashes.jsonl"
    collection.write_text('{"id": "a", "text": "营收3亿元。"}\n{"id": "b", "text": "' + "长" * 100 + '"}\n'
                          '{"id": "c", "text": "净利润1亿元。"}\n', encoding="utf-8")
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(collection), "-o", str(out)])
    assert result.exit_code == 1 and "skipped flashes.jsonl#2: a record larger than 200 bytes" in result.output
    assert read_facts(out)["source"].tolist() == ["a", "c"]


def test_closed_standard_streams_are_errors_that_name_them(tmp_path):
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text("公司营收3亿元。", encoding="utf-8")
    cmd = [sys.executable, "-m", "zhipu_facts", "extract"]
    closed_out = subprocess.run([*cmd, str(article)], stdout=subprocess.DEVNULL, capture_output=False,
                                stderr=subprocess.PIPE, check=False, preexec_fn=lambda: __import__("os").close(1))
    assert closed_out.returncode == 2 and b"standard output is closed; give -o FILE" in closed_out.stderr
    assert b"Traceback" not in closed_out.stderr
    closed_in = subprocess.run([*cmd, "-", "-o", str(tmp_path / "f.csv")], stdin=subprocess.DEVNULL,
                               capture_output=True, check=False, preexec_fn=lambda: __import__("os").close(0))
    assert closed_in.returncode == 1 and b"skipped -: standard input is closed" in closed_in.stderr
    with_o = subprocess.run([*cmd, str(article), "-o", str(tmp_path / "g.csv")], stderr=subprocess.PIPE,
                            check=False, preexec_fn=lambda: __import__("os").close(1))
    assert with_o.returncode == 0 and (tmp_path / "g.csv").exists()
