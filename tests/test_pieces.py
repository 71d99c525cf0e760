"""Long texts are scanned piece by piece (core/pieces.py); the facts are
the same as with one scan, whatever the piece size."""

from __future__ import annotations

import datetime as dt
import re
from functools import partial
from itertools import pairwise

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import zhipu_facts as zf
from zhipu_facts.api import FactStream, _Long, _unless_long, read_article
from zhipu_facts.cli import app
from zhipu_facts.core import pieces as pieces_module
from zhipu_facts.core.pieces import groups_within, pieces, sections
from zhipu_facts.ingest.read import FileInput
from zhipu_facts.ingest import clean as clean_module
from zhipu_facts.ingest import decode as decode_module
from zhipu_facts.ingest.clean import split_sentences
from zhipu_facts.pipeline import ArticleRun, analyze
from zhipu_facts.options import ExtractOptions

runner = CliRunner()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="公司营收3亿元。,\n12", max_size=400), st.integers(5, 60))
def test_pieces_cover_the_text_within_the_size(text, size):
    spans = pieces(text, size=size)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b or len(text) == 0 for a, b in spans)
    assert all(x[1] == y[0] for x, y in pairwise(spans))
    assert all(b - a <= size for a, b in spans)


def test_pieces_end_after_a_line_break_else_a_sentence_else_a_clause_else_outside_a_numeral():
    assert pieces("甲乙\n丙丁\n戊己", size=4) == [(0, 3), (3, 6), (6, 8)]
    assert pieces("甲。乙丙丁戊", size=4) == [(0, 2), (2, 6)]
    assert pieces("甲乙,丙丁戊己", size=4) == [(0, 3), (3, 7)]
    text = "营收为12345亿元增长"
    spans = pieces(text, size=8)
    # before the number, never inside it nor between it and 元
    assert any("12345亿元" in text[a:b] for a, b in spans)


def test_groups_within_keep_order_and_size():
    spans = [(0, 3), (10, 14), (20, 21), (30, 40)]
    assert groups_within(spans, size=10) == [[(0, 3), (10, 14)], [(20, 21)], [(30, 40)]]


def _rows(text, **kw):
    return [f.row() for f in zf.extract_text(text, published="2025-07-29", **kw)]


@pytest.mark.parametrize("size", [1_000, 7_919])
def test_the_same_facts_whatever_the_piece_size(monkeypatch, size):
    bodies = [re.sub(r"\A---\n.*?\n---\n", "", p.read_text(encoding="utf-8"), flags=re.DOTALL)
              for p in sorted(SEEDS.glob("00[34]_*.txt"))]
    long_article = "\n".join(bodies * 4)
    dense_line = "公司营收30亿元,净利润增长5%,同比下降3个百分点," * 300  # one sentence, longer than a piece
    whole = [_rows(long_article), _rows(dense_line)]
    monkeypatch.setattr(pieces_module, "PIECE", size)
    assert [_rows(long_article), _rows(dense_line)] == whole


def test_sections_start_at_piece_cuts_between_sentences():
    text = "甲乙。\n丙丁。\n戊己庚辛壬癸。\n子丑。"
    sentences = split_sentences(text)
    got = sections(text, sentences, size=4)
    assert got[0][:2] == (0, 4) and got[-1][1] == len(text)
    assert all(x[1] == y[0] and x[3] == y[2] for x, y in pairwise(got))  # they tile text and sentences
    for a, b, i, j in got:
        assert all(a <= s and e <= b for s, e in sentences[i:j])
    # a piece cut inside a sentence (戊己庚辛 | 壬癸) starts no section
    assert all(a not in (11, 12) for a, _, _, _ in got)
    assert sections(text, sentences) == [(0, len(text), 0, len(sentences))]  # short: one section


def _long_undated(filler_lines: int) -> str:
    """A year-less date first; the year is written only far below it."""
    filler = "公司表示,将继续加大研发投入,扩大销售网络,提升服务能力。\n" * filler_lines
    return ("3月5日,公司完成新一轮融资,金额为5亿元。\n" + filler
            + "另据公告,公司营收为12亿元,同比增长18%。\n" + filler + "2024年6月,公司发布新产品。\n")


def test_an_undated_article_in_sections_reads_as_one_and_borrows_no_later_year(monkeypatch):
    text = _long_undated(40)
    whole = zf.extract_text(text)
    monkeypatch.setattr(pieces_module, "PIECE", 300)  # 9 sections, none but the last with a dated year
    run = ArticleRun(text, zf.shipped_rules(), keep_matches=False)
    assert len(run.sections) > 5
    parts = list(run.parts())
    assert len(parts) == len(run.sections)  # each section's facts as soon as it is read
    facts = [f for part in parts for f in part]
    assert [f.row() for f in facts] == [f.row() for f in whole]
    first = next(f for f in facts if f.text == "3月5日")
    assert first.as_of is None and "unresolved_date" in first.flags


def test_a_long_article_streams_its_facts_a_section_at_a_time(tmp_path, monkeypatch):
    """extract_files(stream=True): a long article's facts come as a
    FactStream, a section at a time, and write the same bytes as a list."""
    monkeypatch.setattr(pieces_module, "PIECE", 2_000)
    bodies = [re.sub(r"\A---\n.*?\n---\n", "", p.read_text(encoding="utf-8"), flags=re.DOTALL)
              for p in sorted(SEEDS.glob("00[34]_*.txt"))]
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "2025-07-29-long.txt").write_text("\n".join(bodies * 3), encoding="utf-8")
    (corpus / "2025-07-30-short.txt").write_text("公司营收为12亿元,同比增长18%。", encoding="utf-8")
    files = zf.find_files([corpus])
    listed = list(zf.extract_files(files))
    streamed = list(zf.extract_files(files, stream=True))
    assert isinstance(streamed[0].facts, FactStream) and isinstance(streamed[1].facts, list)
    parts = list(streamed[0].facts.parts())
    assert len(parts) > 3 and len(streamed[0].facts) == len(listed[0].facts)
    assert [f.row() for part in parts for f in part] == [f.row() for f in listed[0].facts]
    with pytest.raises(RuntimeError, match="read once"):
        list(streamed[0].facts)
    outs = []
    for stream, jobs in ((False, 1), (True, 1), (True, 2)):
        out = tmp_path / f"{stream}-{jobs}.csv"
        summary = zf.write_table(zf.extract_files(files, stream=stream, jobs=jobs), [out])
        assert summary.read == 2 and summary.facts == len(listed[0].facts) + len(listed[1].facts)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]


def test_a_worker_sends_a_long_article_back_to_be_streamed(tmp_path, monkeypatch):
    monkeypatch.setattr(pieces_module, "PIECE", 300)
    path = tmp_path / "long.txt"
    path.write_text(_long_undated(20), encoding="utf-8")
    work = partial(read_article, options=ExtractOptions())
    assert isinstance(_unless_long(FileInput("long.txt", path, "text"), work=work), _Long)
    short = tmp_path / "short.txt"
    short.write_text("公司营收为12亿元。", encoding="utf-8")
    assert len(_unless_long(FileInput("short.txt", short, "text"), work=work).facts) == 1


def test_a_long_text_is_decoded_and_normalized_a_run_at_a_time(monkeypatch):
    """Runs of bytes and of lines give exactly the text of one pass: a
    character cut between two runs of bytes, a traditional phrase, full-width
    digits and commas near a run's end."""
    text = ("\ufeff臺積電３月營收２，５６７億元，年增１５％。\n"
            "發行價為HK$２８.５，募資約１０億港元，認購倍數達３５０倍。\n" * 40)
    raw = text.encode("utf-8")
    whole_text, whole_normalized = raw.decode("utf-8-sig"), clean_module.normalize_chars(text)
    monkeypatch.setattr(decode_module, "DECODE_RUN", 7)  # cuts inside three-byte characters
    assert decode_module.decode(raw) == (whole_text, "utf_8")
    monkeypatch.setattr(clean_module, "NORMALIZE_RUN", 50)
    assert clean_module.normalize_chars(text) == whole_normalized
    assert "台积电" in whole_normalized and "2,567亿元" in whole_normalized
    with pytest.raises(decode_module.SkipFile):
        decode_module.decode(raw[:-200] + b"\xff\xfe" + raw[-200:])  # neither UTF-8 nor GB18030/Big5


def test_a_long_web_page_gives_the_same_facts_in_sections(monkeypatch):
    """Offsets into the HTML, quotes of the visible text, character references
    inside a figure: the same whether the page is one section or many."""
    paragraphs = "".join(
        f"<p>第{n}季度,公司营收为1&#20159;2345万元,同比增长{n}.5%,毛利率为<b>38.2%</b>。</p>\n"
        f"<p>截至2024年6月30日,公司持有现金约{n * 10}亿元,员工3,200名。</p>\n" for n in range(1, 41))
    page = f"<html><head><title>某公司公告</title></head><body><article>{paragraphs}</article></body></html>"
    whole = analyze(page, zf.shipped_rules(), html=True, published=dt.date(2024, 8, 1), keep_matches=False)
    monkeypatch.setattr(pieces_module, "PIECE", 500)
    run = ArticleRun(page, zf.shipped_rules(), html=True, published=dt.date(2024, 8, 1), keep_matches=False)
    assert len(run.sections) > 5
    facts = [f for part in run.parts() for f in part]
    assert [f.row() for f in facts] == [f.row() for f in whole.facts]
    assert any(page[f.start:f.end] == "1&#20159;2345万元" for f in facts)


def _evil_rule_and_corpus(tmp_path):
    """A user rule that backtracks exponentially on a long digit run (in
    tmp_path/rules), and an empty corpus folder."""
    folder = tmp_path / "rules" / "money"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "rules:\n  - id: money.mine.evil\n    kind: money\n"
        "    pattern: '(?P<amount>(?:\\d|\\d\\d)+)(?!\\d)(?P<cur>[元圆])'\n"
        "    examples: [{text: 5元, span: 5元}]\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return corpus


def test_a_catastrophic_rule_in_a_long_article_costs_one_warning_and_nothing_else(tmp_path, monkeypatch):
    """The issue's case at a scale a test affords: a backtracking user rule
    over an article of many sections, next to a normal file. It times out
    once, in the first section with a long digit run: one warning naming rule,
    file and line, counted, exit status 1; it then sits out the rest of that
    article; every other fact of both files is written."""
    monkeypatch.setattr(pieces_module, "PIECE", 5_000)
    corpus = _evil_rule_and_corpus(tmp_path)
    lines = [f"第{n}季度,公司营收为{n}亿元,同比增长{n}%。" for n in range(1, 400)]
    for at in (100, 250, 380):
        lines[at] += "1" * 3000 + "!"  # a digit run the evil rule backtracks on
    (corpus / "2025-07-29-long.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "2025-07-30-short.txt").write_text("智谱完成30亿元融资。", encoding="utf-8")
    out, plain = tmp_path / "f.csv", tmp_path / "plain.csv"
    result = runner.invoke(app, ["extract", str(corpus), "--rules", str(tmp_path / "rules"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    warnings = [w for w in result.output.splitlines() if "money.mine.evil" in w]
    assert len(warnings) == 1 and "2025-07-29-long.txt" in warnings[0] and "line 101" in warnings[0], warnings
    assert "1 rule timeout (" in result.output
    assert runner.invoke(app, ["extract", str(corpus), "-o", str(plain)]).exit_code == 0
    table = out.read_text(encoding="utf-8")
    assert "399亿元" in table and "30亿元" in table
    assert [r for r in table.splitlines() if "money.mine.evil" not in r] == plain.read_text(encoding="utf-8").splitlines()


def test_a_catastrophic_rule_on_a_50_mb_article_next_to_a_normal_file(tmp_path):
    """The issue's test at full size (about 8 s): 50 MB of one article, a
    digit run in its middle that a user rule backtracks on; one warning with
    the line, exit 1, and the facts of both files around it."""
    corpus = _evil_rule_and_corpus(tmp_path)
    line = "公司表示,将继续推进研发投入与市场拓展,提升服务能力。\n"
    half = line * (25_000_000 // len(line.encode("utf-8")))
    big = "2025年7月29日,公司营收为12亿元,同比增长18%。\n" + half + "1" * 3000 + "!\n" + half + "净利润为3亿元。\n"
    (corpus / "2025-07-29-big.txt").write_text(big, encoding="utf-8")
    (corpus / "2025-07-30-small.txt").write_text("智谱完成30亿元融资。", encoding="utf-8")
    assert (corpus / "2025-07-29-big.txt").stat().st_size > 50_000_000
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["extract", str(corpus), "--rules", str(tmp_path / "rules"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    digits_line = big.count("\n", 0, big.index("1" * 3000)) + 1
    warnings = [w for w in result.output.splitlines() if "money.mine.evil" in w]
    assert len(warnings) == 1, warnings
    # the line where the piece it timed out on starts (a piece is at most PIECE characters)
    at, offset = map(int, re.search(r"from line (\d+) \(character (\d+)\) on", warnings[0]).groups())
    assert digits_line - pieces_module.PIECE // len(line) <= at <= digits_line, (at, digits_line)
    digits_at = big.index("1" * 3000)
    assert digits_at - pieces_module.PIECE <= offset <= digits_at and at == big.count("\n", 0, offset) + 1
    assert "1 rule timeout (" in result.output and "5 facts from 2 articles: 2 read" in result.output
    table = out.read_text(encoding="utf-8")
    assert all(x in table for x in ("12亿元", "18%", "3亿元", "30亿元", "2025-07-30-small.txt"))
