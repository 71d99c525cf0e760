"""zfacts compare and zfacts diff: classification, formats, errors, and the seeds."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.review.compare import compare_facts, interval, rounding
from zhipu_facts.review.diff import diff_tables
from zhipu_facts.table.read import TableError, read_facts
from zhipu_facts.table.schema import COLUMNS

runner = CliRunner()


def fact(source, text, value=None, low=None, high=None, qualifier="exact", unit="CNY", kind="money",
         metric="valuation", subject="智谱", as_of="2024", published="2025-01-01", fx_rate=None, per=None):
    if qualifier == "exact" and value is not None:
        low = high = value
    elif qualifier == "over":
        low = value
    elif qualifier == "under":
        high = value
    row = {c: None for c in COLUMNS}
    row.update(source=source, fact_id=f"{source}:{text}", kind=kind, metric=metric, subject=subject, text=text,
               value=value, low=low, high=high, qualifier=qualifier, unit=unit, per=per, as_of=as_of,
               published=published, fx_rate=fx_rate, quote=f"据{_cjk(source)}报道，……{text}……", start=0, end=len(text), line=1,
               rule="x", source_sha256="0", fact_key="k",
               value_cny=value if unit == "CNY" else (value * fx_rate if value and fx_rate else None))
    return row


def _cjk(name: str) -> str:
    """A source's own words, so two sources never share a sentence (a shared one is a syndicated copy)."""
    return "".join(chr(0x4E00 + ord(c)) for c in name)


def status_of(*rows, **kw):
    result = compare_facts(pd.DataFrame(rows, columns=COLUMNS), **kw)
    assert result["group"].nunique() == 1
    return result["status"].iloc[0], result


# --- the intervals -------------------------------------------------------------

@pytest.mark.parametrize("text,value,half", [("3亿元", 3e8, 0.5e8), ("3.1 億元", 3.1e8, 0.05e8),
                                              ("243.77 亿元", 243.77e8, 0.005e8), ("54.6%", 54.6, 0.05),
                                              ("1,234万元", 1234e4, 0.5e4), ("三千万元", 3e7, 0.0)])
def test_rounding_is_half_the_last_written_digit(text, value, half):
    assert rounding(text, value) == pytest.approx(half)


def test_intervals_by_qualifier():
    row = lambda **k: pd.Series(fact("a", **k))  # noqa: E731
    assert interval(row(text="超过200亿元", value=2e10, qualifier="over"), 0)[0].high == math.inf
    assert interval(row(text="不足600亿", value=6e10, qualifier="under"), 0)[0].low == -math.inf
    approx = interval(row(text="约3.00亿元", value=3e8, qualifier="approx"), 0)[0]  # band beats rounding
    assert (approx.low, approx.high) == pytest.approx((2.7e8, 3.3e8))
    rng = interval(row(text="100万元-2亿元", low=1e6, high=2e8, qualifier="range"), 0)[0]
    assert (rng.low, rng.high) == (1e6, 2e8)
    usd = interval(row(text="3亿美元", value=3e8, unit="USD", fx_rate=7.0), 0)
    assert usd[1] == "CNY" and usd[0].low == pytest.approx(2.5e8 * 7)
    assert interval(row(text="3亿新台币", value=3e8, unit="TWD"), 0)[0] is None


# --- classification ------------------------------------------------------------

def test_exact_equal_values_agree():
    assert status_of(fact("a", "400亿元", 4e10), fact("b", "400亿元", 4e10))[0] == "agree"


def test_rounded_values_agree_at_stated_precision():
    status, result = status_of(fact("a", "3亿元", 3e8), fact("b", "3.1 億元", 3.1e8))
    assert status == "agree" and result["note"].iloc[0] == "agree within stated precision"


def test_different_exact_values_conflict():
    status, result = status_of(fact("a", "3亿元", 3e8), fact("b", "5亿元", 5e8))
    assert status == "conflict"
    assert set(result["conflicts_with"]) == {"a", "b"}


def test_bounds_are_consistent_with_a_value_inside():
    assert status_of(fact("a", "超过200亿元", 2e10, qualifier="over"), fact("b", "243.77亿元", 243.77e8))[0] == "agree"


def test_two_lower_bounds_agree_as_bounds():
    status, result = status_of(fact("a", "超125亿元", 1.25e10, qualifier="over"),
                               fact("b", "超83亿元", 8.3e9, qualifier="over"))
    assert status == "agree"
    assert result["note"].iloc[0] == "consistent as bounds; the tightest bound is 51% beyond the loosest"
    # together they allow what the tighter one does: more than 125亿
    assert result["agreed_low"].iloc[0] == 1.25e10 and pd.isna(result["agreed_high"].iloc[0])


def test_bound_contradicted_by_value():
    assert status_of(fact("a", "不足600亿", 6e10, qualifier="under"), fact("b", "3000亿元", 3e11))[0] == "conflict"


def test_overlapping_ranges_agree_and_disjoint_conflict():
    assert status_of(fact("a", "10-15亿元", low=1e9, high=1.5e9, qualifier="range"),
                     fact("b", "14亿元", 1.4e9))[0] == "agree"
    assert status_of(fact("a", "10-15亿元", low=1e9, high=1.5e9, qualifier="range"),
                     fact("b", "20亿元", 2e9))[0] == "conflict"


def test_approx_values_overlap_within_the_band():
    assert status_of(fact("a", "约3亿元", 3e8, qualifier="approx"), fact("b", "3.2亿元", 3.2e8))[0] == "agree"


def test_mixed_currencies_compare_in_cny():
    usd = fact("a", "1.00亿美元", 1e8, unit="USD", fx_rate=7.1)
    assert status_of(usd, fact("b", "7.1亿元", 7.1e8))[0] == "agree"
    assert status_of(usd, fact("b", "9亿元", 9e8))[0] == "conflict"


def test_no_rate_is_incomparable():
    assert status_of(fact("a", "3亿新台币", 3e8, unit="TWD"), fact("b", "1亿元", 1e8))[0] == "incomparable"


def test_tolerance_widens_intervals():
    a, b = fact("a", "100亿元", 1e10), fact("b", "104亿元", 1.04e10)
    assert status_of(a, b)[0] == "conflict"
    assert status_of(a, b, tolerance=0.05)[0] == "agree"


def test_tolerance_per_metric():
    a, b = fact("a", "100亿元", 1e10), fact("b", "104亿元", 1.04e10)
    assert status_of(a, b, tolerance="valuation=0.05")[0] == "agree"
    assert status_of(a, b, tolerance="revenue=0.05")[0] == "conflict"
    assert status_of(a, b, tolerance="revenue=0.05,*=0.03")[0] == "agree"


def test_bad_tolerance_is_a_usage_error(seed_table):
    result = runner.invoke(app, ["compare", str(seed_table), "--tolerance", "valuation=lots"])
    assert result.exit_code == 2


def test_one_source_is_single_and_periods_split_groups():
    rows = [fact("a", "200亿元", 2e10, as_of="2024-12"), fact("b", "400亿元", 4e10, as_of="2025-07")]
    result = compare_facts(pd.DataFrame(rows, columns=COLUMNS))
    assert list(result["status"]) == ["single", "single"]


def test_current_facts_take_their_publication_month():
    rows = [fact("a", "400亿元", 4e10, as_of=None, published="2025-07-29"),
            fact("b", "400亿元", 4e10, as_of="2025-07")]
    result = compare_facts(pd.DataFrame(rows, columns=COLUMNS))
    assert list(result["status"]) == ["agree", "agree"] and set(result["period"]) == {"2025-07"}


def test_unit_prices_compare_only_with_the_same_per():
    rows = [fact("a", "5元/百万token", 5, metric="price", per="1000000 tokens"),
            fact("b", "0.0008元/千Tokens", 0.0008, metric="price", per="1000 tokens")]
    assert compare_facts(pd.DataFrame(rows, columns=COLUMNS))["group"].nunique() == 2


# --- the seeds, end to end (what `make demo` shows) ----------------------------

@pytest.fixture(scope="module")
def seed_table(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "facts.parquet"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(out)]).exit_code == 0
    return out


def _group(result, metric, period=None, sources=None):
    g = result[(result["subject"] == "智谱") & (result["metric"] == metric) & result["change"].isna()]
    if period is not None:
        g = g[g["period"] == period]
    if sources is not None:
        g = g[g["source"].str[:3].isin(sources)]
    return g


def test_seeds_agreements_and_conflicts(seed_table, tmp_path):
    out = tmp_path / "cmp.csv"
    result = runner.invoke(app, ["compare", str(seed_table), "-o", str(out)])
    assert result.exit_code == 0, result.output
    cmp = pd.read_csv(out, dtype={"period": str})
    # cumulative financing: 超125亿元 (004) and 超 83 億元 (002) are consistent as bounds
    g = _group(cmp, "cumulative_financing", sources={"002", "004"})
    assert set(g["text"]) == {"超125億元", "超 83 億元"} and set(g["status"]) == {"agree"}
    assert set(g["note"]) == {"consistent as bounds; the tightest bound is 51% beyond the loosest"}
    # ARR: 破億 is GLM Coding's (002), 超千萬元 智谱清言's (004): two products, never one agreement
    arr = _group(cmp, "arr", sources={"002", "004"})
    assert dict(zip(arr["text"], arr["scope"])) == {"破億": "GLM Coding", "超千萬元": "智谱清言"}
    assert set(arr["status"]) == {"single"}
    # 2024 revenue: 3亿元 (001) and 3.1 億元 (002) agree within rounding
    g = _group(cmp, "revenue", period="2024")
    assert set(g["text"]) == {"3亿元", "3.1 億元"} and set(g["status"]) == {"agree"}
    # 2024 loss: 20亿元 is net_loss, 24.66 億元 adjusted_net_loss: never compared
    assert set(_group(cmp, "net_loss", period="2024")["text"]) == {"20亿元"}
    assert "24.66 億元" in set(_group(cmp, "adjusted_net_loss", period="2024")["text"])
    # valuation: 243.77 億元 and 超過200億元 are consistent
    g = _group(cmp, "valuation", sources={"002", "004"})
    assert set(g["status"]) == {"agree"}
    # the valuation path is a timeline, not a conflict
    assert not (_group(cmp, "valuation")["status"] == "conflict").any()


def test_seeds_terminal_view_lists_timeline(seed_table):
    from rich.console import Console

    from zhipu_facts.review.compare import timelines
    from zhipu_facts.review.render import show_comparison

    result = compare_facts(read_facts(seed_table))
    console = Console(record=True, width=200)
    show_comparison(result, timelines(result), console)
    text = console.export_text()
    assert "AGREE" in text and "智谱 · valuation (month): 2024-12: > 200亿元  →  2025-07: 400亿元" in text


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_compare_writes_every_format_and_reads_every_format(seed_table, tmp_path, fmt):
    as_format = tmp_path / f"facts.{fmt}"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(as_format)]).exit_code == 0
    out = tmp_path / f"cmp.{fmt}"
    result = runner.invoke(app, ["compare", str(as_format), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # money: cumulative financing, revenue, valuation ...; quantity: financing rounds
    assert "5 agree" in result.output
    assert out.exists() and out.stat().st_size > 0


def test_folder_of_parquet_is_one_table(seed_table, tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    for src in ("000", "001"):
        out = folder / f"{src}.parquet"
        path = next(SEEDS.glob(f"{src}_*.txt"))
        assert runner.invoke(app, ["extract", str(path), "-o", str(out)]).exit_code == 0
    assert set(read_facts(folder)["source"].str[:3]) == {"000", "001"}


def test_not_a_fact_table_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("source,text\na.txt,3亿元\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(bad)])
    assert result.exit_code == 2
    assert "bad.csv: not a fact table: missing columns fact_id, kind" in result.output
    with pytest.raises(TableError, match="column 'value' has a value of the wrong type"):
        rows = pd.DataFrame([fact("a", "3亿元", 3e8)], columns=COLUMNS).astype(object)
        rows.loc[0, "value"] = "three"
        path = tmp_path / "typed.csv"
        rows.to_csv(path, index=False)
        read_facts(path)


# --- diff ------------------------------------------------------------------------

def test_diff_equal_tables_exit_0(seed_table, tmp_path):
    csv_copy = tmp_path / "facts.csv"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(csv_copy)]).exit_code == 0
    result = runner.invoke(app, ["diff", str(seed_table), str(csv_copy)])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 removed, 0 changed" in result.output


def test_diff_reports_added_removed_and_changed_columns(seed_table, tmp_path):
    old = read_facts(seed_table)
    new = old.copy()
    removed = new.iloc[0]
    new = new.iloc[1:].copy()
    new.loc[new.index[0], "value"] = 12345.0
    new.loc[new.index[0], "metric"] = "revenue"
    changes, summary = diff_tables(old, new)
    assert (summary.added, summary.removed, summary.changed) == (0, 1, 1)
    assert changes[changes["change"] == "removed"]["text"].tolist() == [removed["text"]]
    changed = changes[changes["change"] == "changed"]
    assert set(changed["column"]) == {"value", "metric"}
    assert "12345" in set(changed["new"])
    new_path = tmp_path / "new.parquet"
    new.to_parquet(new_path)
    out = tmp_path / "changes.csv"
    result = runner.invoke(app, ["diff", str(seed_table), str(new_path), "-o", str(out)])
    assert result.exit_code == 1
    assert "0 added, 1 removed, 1 changed" in result.output
    written = pd.read_csv(out)
    assert list(written.columns) == ["change", "source", "start", "end", "text", "column", "old", "new"]
    assert len(written) == 3


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_diff_in_every_format(seed_table, tmp_path, fmt):
    other = tmp_path / f"other.{fmt}"
    only_000 = next(SEEDS.glob("000_*.txt"))
    assert runner.invoke(app, ["extract", str(only_000), "-o", str(other)]).exit_code == 0
    out = tmp_path / f"changes.{fmt}"
    result = runner.invoke(app, ["diff", str(seed_table), str(other), "-o", str(out)])
    assert result.exit_code == 1
    removed = len(read_facts(seed_table)) - len(read_facts(other))
    assert f"0 added, {removed} removed, 0 changed" in result.output
    assert out.exists() and out.stat().st_size > 0


def test_diff_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["diff", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_diff_of_a_moved_and_renamed_corpus_is_equal(tmp_path):
    """Identity is the article's bytes and span: the path plays no part."""
    moved = tmp_path / "archive" / "2025" / "zhipu"
    moved.mkdir(parents=True)
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        (moved / f"renamed_{i}.md").write_bytes(seed.read_bytes())
    before, after = tmp_path / "before.csv", tmp_path / "after.jsonl"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(before)]).exit_code == 0
    assert runner.invoke(app, ["extract", str(tmp_path / "archive"), "-o", str(after)]).exit_code == 0
    old, new = read_facts(before), read_facts(after)
    assert set(old["source"]).isdisjoint(new["source"])
    assert sorted(old["fact_id"]) == sorted(new["fact_id"])
    result = runner.invoke(app, ["diff", str(before), str(after)])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 removed, 0 changed" in result.output


def test_diff_pairs_two_copies_of_one_article_in_order(tmp_path):
    seed = next(SEEDS.glob("000_*.txt"))
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_bytes(seed.read_bytes())
    (tmp_path / "a" / "y.txt").write_bytes(seed.read_bytes())
    out = tmp_path / "two.csv"
    assert runner.invoke(app, ["extract", str(tmp_path / "a"), "-o", str(out)]).exit_code == 0
    table = read_facts(out)
    assert table["fact_id"].duplicated().sum() == len(table) // 2  # the same bytes give the same ids
    changes, summary = diff_tables(table, table.copy())
    assert summary.equal and changes.empty
    one_copy = table[table["source"] == "x.txt"]
    changes, summary = diff_tables(table, one_copy)
    assert (summary.added, summary.removed, summary.changed) == (0, len(one_copy), 0)
    assert set(changes["source"]) == {"y.txt"}


def test_diff_reports_a_duplicated_row_as_added(seed_table):
    old = read_facts(seed_table)
    new = pd.concat([old, old.iloc[[0]]], ignore_index=True)
    changes, summary = diff_tables(old, new)
    assert (summary.added, summary.removed, summary.changed) == (1, 0, 0)
    assert changes["text"].tolist() == [old.iloc[0]["text"]]


def test_timelines_keep_levels_changes_units_and_period_lengths_apart(seed_table):
    from zhipu_facts.review.compare import timelines

    lines = timelines(compare_facts(read_facts(seed_table)))
    revenue = lines[(lines["subject"] == "智谱") & (lines["metric"] == "revenue") & lines["change"].isna()]
    # annual and half-year figures are two series, each in date order; never 2025-H1 -> 2022
    assert revenue[revenue["length"] == "half-year"]["period"].tolist() == ["2024-H1", "2025-H1"]
    assert revenue[revenue["length"] == "year"]["period"].tolist() == ["2022", "2023", "2024", "2024"]
    assert "100%" not in set(revenue["text"])
    for _, series in lines.groupby(["subject", "metric", "change", "basis", "length", "unit_of_series"], dropna=False):
        assert series["unit_of_series"].nunique(dropna=False) == 1
    params = lines[lines["metric"] == "model_parameters"]
    assert "近10倍" not in set(params["text"])


def test_timelines_order_by_start_keep_qualifiers_and_one_point_per_source():
    from rich.console import Console

    from zhipu_facts.review.compare import timelines
    from zhipu_facts.review.render import show_comparison

    rows = [fact("a", "超过200亿元", 2e10, qualifier="over", as_of="2024-12"),
            fact("a", "400亿元", 4e10, as_of="2025-07"), fact("a", "400亿元", 4e10, as_of="2025-07"),
            fact("b", "300亿元", 3e10, as_of="2025-03")]
    for r, (start, end) in zip(rows, [("2024-12-01", "2024-12-31"), ("2025-07-01", "2025-07-31"),
                                      ("2025-07-01", "2025-07-31"), ("2025-03-01", "2025-03-31")]):
        r.update(date_start=start, date_end=end)
    rows[0]["text"] = "200亿元"  # the qualifier was around the number: 估值超过200亿元
    result = compare_facts(pd.DataFrame(rows, columns=COLUMNS))
    line = timelines(result)
    assert line["period"].tolist() == ["2024-12", "2025-03", "2025-07"]
    console = Console(record=True, width=300)
    show_comparison(result, line, console)
    assert "智谱 · valuation (month): 2024-12: > 200亿元  →  2025-03: 300亿元  →  2025-07: 400亿元" in console.export_text()


def test_a_syndicated_copy_counts_once_and_names_its_original():
    original = fact("a", "18亿元", 1.8e9, published="2025-03-02")
    copy = fact("b", "18亿元", 1.8e9, published="2025-03-03")
    copy["quote"] = original["quote"] = "智谱宣布完成18亿元融资，杭州城投领投。"
    status, result = status_of(original, copy)
    assert status == "single"  # one independent source
    assert {s: (None if pd.isna(r) else r) for s, r in zip(result["source"], result["repeats"])} == {"a": None, "b": "a"}
    traditional = fact("d", "18億元", 1.8e9, published="2025-03-05")
    traditional["quote"] = "智譜宣布完成18億元融資，杭州城投領投。"
    _, result = status_of(original, copy, traditional)
    assert {s: (None if pd.isna(r) else r) for s, r in zip(result["source"], result["repeats"])} == \
        {"a": None, "b": "a", "d": "a"}  # a copy in traditional script is a copy too
    other = fact("c", "25亿元", 2.5e9, published="2025-03-04")
    status, result = status_of(original, copy, other)
    assert status == "conflict"


def test_fail_on_conflict_sets_the_exit_status(tmp_path):
    table = tmp_path / "t.csv"
    pd.DataFrame([fact("a", "30亿元", 3e9), fact("b", "80亿元", 8e9)], columns=COLUMNS).to_csv(table, index=False)
    assert runner.invoke(app, ["compare", str(table), "-o", str(tmp_path / "c.csv")]).exit_code == 0
    assert runner.invoke(app, ["compare", str(table), "-o", str(tmp_path / "c.csv"), "--fail-on-conflict"]).exit_code == 1
    agree = tmp_path / "a.csv"
    pd.DataFrame([fact("a", "30亿元", 3e9), fact("b", "30亿元", 3e9)], columns=COLUMNS).to_csv(agree, index=False)
    assert runner.invoke(app, ["compare", str(agree), "-o", str(tmp_path / "c.csv"), "--fail-on-conflict"]).exit_code == 0


def test_two_rounds_or_two_products_are_never_one_agreement():
    b = fact("a", "超5亿元", 5e8, qualifier="over", metric="financing")
    b["quote"] = "该公司完成B轮融资，规模超5亿元。"
    c = fact("b", "超8亿元", 8e8, qualifier="over", metric="financing")
    c["quote"] = "该公司宣布完成C轮融资,金额超8亿元。"
    result = compare_facts(pd.DataFrame([b, c], columns=COLUMNS))
    assert result["group"].nunique() == 2 and set(result["scope"]) == {"B轮", "C轮"}
    x = fact("a", "超1亿元", 1e8, qualifier="over", metric="arr")
    x["quote"] = "GLM-4.5 的年化收入超1亿元。"
    y = fact("b", "超1000万元", 1e7, qualifier="over", metric="arr")
    y["quote"] = "旗下产品“清言”的ARR超1000万元。"
    result = compare_facts(pd.DataFrame([x, y], columns=COLUMNS))
    assert dict(zip(result["source"], result["scope"])) == {"a": "GLM-4.5", "b": "清言"}
    assert set(result["status"]) == {"single"}


def test_a_regions_figure_is_never_held_against_the_total():
    total = fact("a", "130.4亿元", 130.4e8, metric="revenue")
    total["quote"] = "公司全年实现营收130.4亿元，同比增长106.9%。"
    overseas = fact("b", "50.7亿元", 50.7e8, metric="revenue")
    overseas["quote"] = "分地区看，港澳台及海外收入50.7亿元，同比增长375.2%。"
    result = compare_facts(pd.DataFrame([total, overseas], columns=COLUMNS))
    assert set(result["status"]) == {"single"}
    assert {s: (None if pd.isna(v) else v) for s, v in zip(result["source"], result["scope"])} == \
        {"a": None, "b": "港澳台及海外"}


def test_terminal_view_shows_period_cny_publication_and_spread():
    from rich.console import Console

    from zhipu_facts.review.render import show_comparison

    usd = fact("b", "5亿美元", 5e8, unit="USD", fx_rate=7.2, as_of="2025", published="2025-06-01")
    result = compare_facts(pd.DataFrame([fact("a", "30亿元", 3e9, as_of="2025", published="2025-05-02"), usd],
                                        columns=COLUMNS))
    console = Console(record=True, width=300)
    show_comparison(result, pd.DataFrame(), console)
    text = console.export_text()
    assert "智谱 · valuation · 2025" in text and "spread 20%" in text
    assert "5亿美元  (exact, USD ≈ 36亿元)  b, published 2025-06-01" in text
    assert "a, published 2025-05-02" in text


def test_diff_sees_values_outside_the_other_tables_categories(seed_table, tmp_path):
    """Repetitive columns read as categoricals, whose categories differ from table to
    table: a value the old table never had, a value gone to null and a null given a
    value are all changes."""
    old = pd.read_parquet(seed_table)
    new = old.copy()
    with_metric = old.index[old["metric"].notna()][0]
    with_unit = old.index[old["unit"].notna() & (old.index != with_metric)][0]
    null_subject = old.index[old["subject"].isna() & ~old.index.isin([with_metric, with_unit])][0]
    new.loc[with_metric, "metric"] = "order_backlog_new_name"  # in no category of the old table
    new.loc[with_unit, "unit"] = None
    new.loc[null_subject, "subject"] = "某某科技"
    a, b = tmp_path / "a.parquet", tmp_path / "b.csv"
    old.to_parquet(a)
    new.to_csv(b, index=False)
    changes, summary = diff_tables(read_facts(a), read_facts(b))
    assert summary.changed == 3 and not summary.added and not summary.removed
    got = {(c, None if pd.isna(o) else o, None if pd.isna(n) else n)
           for c, o, n in changes[["column", "old", "new"]].itertuples(index=False)}
    assert got == {("metric", old.loc[with_metric, "metric"], "order_backlog_new_name"),
                   ("unit", old.loc[with_unit, "unit"], None), ("subject", None, "某某科技")}


def test_compare_names_at_most_max_named_sources_and_counts_them_all():
    from zhipu_facts.review.compare import MAX_NAMED

    many = [fact(f"s{i:02d}", "30亿元", value=3e9) for i in range(MAX_NAMED + 5)]
    status, result = status_of(fact("lone", "80亿元", value=8e9), *many)
    assert status == "conflict"
    lone = result[result["source"] == "lone"].iloc[0]
    assert lone["conflicts"] == MAX_NAMED + 5
    assert lone["conflicts_with"].split(";") == [f"s{i:02d}" for i in range(MAX_NAMED)]
    assert set(result[result["source"] != "lone"]["conflicts"]) == {1}


@pytest.mark.parametrize("spec", ["nan", "inf", "valuation=nan", "*=-0.1"])
def test_a_tolerance_that_is_no_number_from_zero_up_is_refused(seed_table, spec):
    result = runner.invoke(app, ["compare", str(seed_table), "--tolerance", spec])
    assert result.exit_code == 2 and "--tolerance" in result.output


@pytest.mark.parametrize("command", ["compare", "diff"])
def test_compare_and_diff_never_write_over_their_own_input(seed_table, tmp_path, command):
    table = tmp_path / "facts.csv"
    table.write_bytes(seed_table.read_bytes())
    before = table.read_bytes()
    inputs = [str(table)] if command == "compare" else [str(seed_table), str(table)]
    result = runner.invoke(app, [command, *inputs, "-o", str(table)])
    assert result.exit_code == 2 and f"the output {table} is one of the inputs" in result.output
    assert table.read_bytes() == before
    # the same file by another name (a symlink) is the same input
    link = tmp_path / "link.csv"
    link.symlink_to(table)
    assert runner.invoke(app, [command, *inputs, "-o", str(link)]).exit_code == 2
    assert table.read_bytes() == before


def test_compare_writes_nothing_into_a_folder_of_parts_it_reads(seed_table, tmp_path):
    parts = tmp_path / "parts"
    parts.mkdir()
    read_facts(seed_table).to_parquet(parts / "part-00000.parquet")
    result = runner.invoke(app, ["compare", str(parts), "-o", str(parts / "cmp.csv")])
    assert result.exit_code == 2 and not (parts / "cmp.csv").exists()


def test_an_infinite_number_in_a_table_is_read_as_empty_with_a_warning(seed_table, tmp_path):
    table = read_facts(seed_table)
    at = table.index[(table["metric"] == "valuation") & (table["subject"] == "智谱")][0]
    table.loc[at, ["value", "low"]] = math.inf
    table.loc[table.index[0], "high"] = -math.inf
    path = tmp_path / "inf.csv"
    table.to_csv(path, index=False)
    out = tmp_path / "cmp.csv"
    result = runner.invoke(app, ["compare", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: 3 values infinite (inf), read as empty" in result.output
    cmp = pd.read_csv(out)
    assert not cmp[["value", "low", "high", "cmp_low", "cmp_high"]].isin([math.inf, -math.inf]).any().any()
    # the library takes the same care: compare_facts of the table as it was read
    assert not compare_facts(read_facts(path))[["cmp_low", "cmp_high"]].isin([math.inf, -math.inf]).any().any()


def test_the_terminal_view_shows_whole_figures_as_analysts_read_them():
    from io import StringIO

    from rich.console import Console

    from zhipu_facts.review.compare import timelines
    from zhipu_facts.review.render import show_comparison

    rows = [fact("a", "6602570万美元", 6.60257e10, unit="USD", fx_rate=7.1),
            fact("b", "约4700亿元", 4.7e11, qualifier="approx"),
            fact("c", "6602.57亿美元", 6.60257e11, unit="USD", fx_rate=7.1, as_of="2023")]
    result = compare_facts(pd.DataFrame(rows, columns=COLUMNS))
    screen = StringIO()
    show_comparison(result, timelines(result), Console(file=screen, width=60, highlight=False))
    text = screen.getvalue()
    assert "6602570万美元" in text and "≈ 4,688亿元" in text  # the figure as written, its CNY value in 亿
    assert not re.search(r"\d…|\de[+-]\d", text), text  # no figure cut short, none in scientific notation
    assert "(1 group)" in text and "together: 4,687.82亿元 .. 4,687.83亿元" in text


def test_the_terminal_view_of_diff_wraps_a_long_value_and_never_cuts_it():
    from io import StringIO

    from rich.console import Console

    from zhipu_facts.review.render import show_diff

    old = pd.DataFrame([fact("a", "30亿元", 3e9)], columns=COLUMNS)
    new = old.assign(value=4110000000.1230006)
    changes, _ = diff_tables(old, new)
    screen = StringIO()
    show_diff(changes, Console(file=screen, width=70, highlight=False))
    new_column = "".join(line.strip("│").split("│")[-1].strip() for line in screen.getvalue().splitlines()
                         if line.startswith("│"))
    assert "…" not in screen.getvalue()
    assert "4110000000.1230006" in new_column
