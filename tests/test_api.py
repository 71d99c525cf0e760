"""The library API: strings, files, paths and records in; facts, rows, frames and files out."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import SEEDS

import zhipu_facts as zf
from zhipu_facts.pipeline import analyze
from zhipu_facts.table.schema import COLUMNS

NEWS = ("2024年10月,某新能源车企公告称,公司拟以不超过8亿元回购股份。"
        "去年同期,公司营收为45.6亿元,毛利率约为18.3%。")


@pytest.mark.parametrize("published", ["2025-02-11", dt.date(2025, 2, 11), dt.datetime(2025, 2, 11, 9, 30)])
def test_published_takes_a_date_or_an_iso_string(published):
    facts = zf.extract_text("去年年底,智谱完成了30亿元融资。", published=published)
    assert [f.as_of for f in facts] == ["2024-12", "2024-12"]
    assert facts[1].published == dt.date(2025, 2, 11)


def test_a_bad_published_string_is_a_value_error():
    with pytest.raises(ValueError, match="not a date"):
        zf.extract_text("去年营收3亿元。", published="last tuesday")


def test_rows_are_the_schema_in_order():
    facts = zf.extract_text(NEWS)
    table = zf.rows(facts)
    assert table and all(list(r) == COLUMNS for r in table)
    revenue = next(r for r in table if r["text"] == "45.6亿元")
    assert revenue["value"] == 4560000000 and revenue["unit"] == "CNY" and revenue["metric"] == "revenue"


def test_dataframe_has_the_schema_types():
    df = zf.to_dataframe(zf.extract_text(NEWS, published="2025-03-01"))
    assert list(df.columns) == COLUMNS
    assert str(df["value"].dtype) == "Float64" and str(df["start"].dtype) == "Int64"
    assert df["published"].iloc[0] == dt.date(2025, 3, 1)


def test_extract_paths_is_the_cli_table(tmp_path):
    from typer.testing import CliRunner

    from zhipu_facts.cli import app

    out = tmp_path / "cli.jsonl"
    assert CliRunner().invoke(app, ["extract", str(SEEDS), "-o", str(out)]).exit_code == 0
    cli_rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    api = tmp_path / "api.jsonl"
    summary = zf.write_table(zf.extract([SEEDS]), [api])
    assert summary.read == 5 and summary.facts == len(cli_rows) and not summary.skipped
    assert api.read_bytes() == out.read_bytes()


def test_extract_file_and_records_give_the_same_facts_and_ids():
    seed = next(SEEDS.glob("001_*.txt"))
    from_file = zf.extract_file(seed)
    text = seed.read_bytes().decode("utf-8-sig")
    [from_record] = zf.extract_records([{"id": seed.name, "text": text}])
    assert from_file.source == from_record.source == seed.name
    assert from_file.published == from_record.published == dt.date(2025, 7, 29)
    # Same bytes (the seed has no BOM), same spans and rules: same ids.
    assert [f.fact_id for f in from_file.facts] == [f.fact_id for f in from_record.facts]


def test_records_name_themselves_and_take_their_own_date():
    records = [{"text": "上个月营收3亿元。", "published": "2025-07-29"}, {"title": "no body"},
               {"id": "bad-date", "text": "营收3亿元。", "published": "soon"}]
    a, b, c = zf.extract_records(records, default_published="2020-01-01")
    assert a.source == "record 1" and [f.as_of for f in a.facts if f.kind == "date"] == ["2025-06"]
    assert b.skipped == "no text in the field 'text'"
    # a date that cannot be read is a warning; the record is read with the default date
    assert (c.source, c.skipped, c.published, c.published_from) == ("bad-date", None, dt.date(2020, 1, 1), "option")
    assert c.warnings == ["its date field 'soon' is no date; read without it"]
    assert (a.published_from, a.published) == ("record", dt.date(2025, 7, 29))


def test_an_unreadable_file_is_a_skipped_article(tmp_path):
    bad = tmp_path / "bin.txt"
    bad.write_bytes(b"\x00\x01\x02")
    good = tmp_path / "good.txt"
    good.write_text("公司去年营收3亿元。", encoding="utf-8")
    articles = list(zf.extract([tmp_path]))
    assert [(a.source, a.skipped is None) for a in articles] == [("bin.txt", False), ("good.txt", True)]
    assert [f.text for f in articles[1].facts if f.kind == "money"] == ["3亿元"]


def test_two_inputs_with_one_source_name_are_refused(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.txt").write_text(f"{d}公司营收3亿元。", encoding="utf-8")
    with pytest.raises(zf.InputError, match="would both be named 'x.txt'"):
        list(zf.extract([tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt"]))
    with pytest.raises(zf.InputError):
        zf.find_files([tmp_path / "a", tmp_path / "b"])
    assert len(zf.find_files([tmp_path])) == 2  # their parent folder names them a/x.txt and b/x.txt


def test_same_article_gives_the_same_id_under_any_name(tmp_path):
    text = "公司2024年营收为45.6亿元。"
    ids = {tuple(f.fact_id for f in zf.extract_text(text, source=name)) for name in ("a.txt", "x/y/z.md")}
    assert len(ids) == 1


def test_enrichment_stages_fill_only_what_they_own(rules, seed_texts):
    """Each stage of pipeline.ENRICHMENT changes only the fields it declares."""
    sentences = [
        "从2022年至2024年,公司收入分别为0.6亿元、1.2亿元、3.1亿元。",
        "华发集团向智谱注资5亿元,此前智谱估值超200亿元。",
        "API价格从5元/百万tokens砍至1元。",
        "2023年12月,OpenAI年化收入突破15亿美元。",
    ]
    for text in [*seed_texts.values(), *sentences]:
        analyze(text, rules, published=dt.date(2025, 2, 11), check_stages=True)


def test_a_stage_that_overwrites_another_stages_field_is_caught(rules, monkeypatch):
    from zhipu_facts import pipeline
    from zhipu_facts.enrich import fx

    def greedy(facts, cleaned, rules):
        for f in facts:
            f.metric = "stolen"

    stages = tuple(s if s.name != "fx" else pipeline.Stage("fx", greedy, fx.FILLS) for s in pipeline.ENRICHMENT)
    monkeypatch.setattr(pipeline, "ENRICHMENT", stages)
    with pytest.raises(pipeline.StageError, match="fx changed metric"):
        analyze("公司2024年营收为45.6亿元。", rules, check_stages=True)


def test_extract_over_two_processes_gives_the_same_articles_in_order():
    one = [(a.source, [f.row() for f in a.facts]) for a in zf.extract([SEEDS])]
    two = [(a.source, [f.row() for f in a.facts]) for a in zf.extract([SEEDS], jobs=2)]
    assert one == two
    # a reader that stops early stops the workers too (no hang, no stray process)
    first = next(iter(zf.extract([SEEDS], jobs=2)))
    assert first.source == one[0][0]


def test_articles_come_once_and_a_second_pass_fails_loudly(tmp_path):
    """extract gives the articles as it makes them (a corpus need not fit in memory); a second
    pass used to give nothing, so to_dataframe after a loop was an empty frame, silently."""
    (tmp_path / "a.txt").write_text("2025年3月10日\n智谱完成新一轮融资，金额为10亿元。\n", encoding="utf-8")
    articles = zf.extract([tmp_path])
    assert [a.source for a in articles] == ["a.txt"]
    with pytest.raises(RuntimeError, match="already read through.*list"):
        zf.to_dataframe(articles)
    with pytest.raises(RuntimeError, match="already read through"):
        zf.write_table(articles, [tmp_path / "f.csv"])
    assert not (tmp_path / "f.csv").exists()
    records = zf.extract_records([{"id": "r1", "text": "智谱估值为400亿元。"}])
    assert len(zf.rows(records)) == 1
    with pytest.raises(RuntimeError):
        zf.rows(records)
    # kept in a list, they can be used as often as one likes
    kept = list(zf.extract([tmp_path]))
    assert len(zf.to_dataframe(kept)) == len(zf.to_dataframe(kept)) > 0


def test_taking_the_first_article_and_then_the_rest_is_one_pass(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("智谱估值为400亿元。\n", encoding="utf-8")
    articles = zf.extract([tmp_path], published="2025-01-01")
    first = next(articles)
    assert [first.source, *(a.source for a in articles)] == ["a.txt", "b.txt", "c.txt"]
