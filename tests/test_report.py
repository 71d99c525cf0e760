"""zfacts report: the HTML file, its facts, charts and script, in a real headless browser."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess

import lxml.html
import pandas as pd
import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from zhipu_facts.cli import app
from zhipu_facts.review.compare import compare_facts, timelines
from zhipu_facts.review.report import build_report, load_articles
from zhipu_facts.table.read import read_facts
from zhipu_facts.table.schema import COLUMNS

runner = CliRunner()
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
# The flags a closed network and a root user need (the machine notes: no background networking).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    table = folder / "facts.parquet"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(table)]).exit_code == 0
    report = folder / "report.html"
    result = runner.invoke(app, ["report", str(table), "--sources", str(SEEDS), "-o", str(report)])
    assert result.exit_code == 0, result.output
    return read_facts(table), report


def _bodies(doc) -> list[str]:
    return json.loads(doc.xpath("string(//script[@id='facts'])"))["bodies"]


def _marks(report):
    """Each fact's marked text in the articles: data-i -> the text of its <mark>."""
    doc = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    got: dict[int, str] = {}
    for body in _bodies(doc):
        for m in lxml.html.fragment_fromstring(body, create_parent="div").xpath(".//mark[@data-i]"):
            got[int(m.get("data-i"))] = got.get(int(m.get("data-i")), "") + m.text_content()
    return doc, got


def test_every_seed_fact_is_a_mark_with_its_own_text(seeds):
    table, report = seeds
    doc, marks = _marks(report)
    assert sorted(marks) == list(range(len(table)))
    assert all(marks[i] == table.iloc[i]["text"] for i in marks)
    assert len(doc.xpath("//details[@class='article']")) == table["source"].nunique()


def test_the_valuation_timeline_has_a_point_per_source_figure(seeds):
    table, report = seeds
    doc, _ = _marks(report)
    series = timelines(compare_facts(table))
    valuation = series[(series["subject"] == "智谱") & (series["metric"] == "valuation") & series["change"].isna()]
    assert len(valuation) >= 2
    charts = [c for c in doc.xpath("//svg[@data-series]") if c.get("data-series").startswith("智谱|valuation||")]
    points = [p for c in charts for p in c.xpath(".//*[@class='pt']")]
    assert len(points) == len(valuation)
    titles = " ".join(p.xpath("string(title)") for p in points)
    assert all(t in titles for t in valuation["text"])
    assert doc.xpath("count(//svg//path[@class='open'])") >= 1  # 超过200亿元 is drawn as a bound


def test_cut_text_is_dimmed_and_comparisons_come_conflicts_first(tmp_path):
    table = tmp_path / "t.csv"
    for name, text in (("a.txt", "首页资讯\n智谱宣布完成新一轮融资，估值达到300亿元。\n"),
                       ("b.txt", "据报道，智谱的估值为450亿元。\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--published",
                               "2025-05-01", "-o", str(table)]).exit_code == 0
    articles, problems = load_articles([tmp_path / "a.txt", tmp_path / "b.txt"])
    page = build_report(read_facts(table), articles)
    assert problems == []
    doc = lxml.html.fromstring(page)
    assert '<span class="cut">首页资讯\n</span>' in _bodies(doc)[0]
    groups = doc.xpath("//div[contains(@class, 'group')]")
    assert groups and "conflict" in groups[0].get("class")


def test_without_sources_facts_show_in_their_sentences(seeds, tmp_path):
    table, _ = seeds
    page = build_report(table, {})
    doc = lxml.html.fromstring(page)
    assert "its text was not given" in page
    assert len(_bodies(doc)) == table["source"].nunique()


def test_report_refuses_another_extension_and_its_own_input(tmp_path):
    table = tmp_path / "t.csv"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(table)]).exit_code == 0
    assert runner.invoke(app, ["report", str(table), "-o", str(tmp_path / "r.pdf")]).exit_code == 2
    before = table.read_bytes()
    assert runner.invoke(app, ["report", str(table), "-o", str(table.with_suffix(".html"))]).exit_code == 0
    html_input = tmp_path / "page.html"
    html_input.write_text("<p>智谱营收3亿元。</p>", encoding="utf-8")
    result = runner.invoke(app, ["report", str(table), "--sources", str(html_input), "-o", str(html_input)])
    assert result.exit_code == 2 and "one of the inputs" in result.output
    assert table.read_bytes() == before and html_input.read_text(encoding="utf-8") == "<p>智谱营收3亿元。</p>"


def test_a_report_is_written_like_every_output_through_a_symlink(tmp_path):
    """The link stays and the file it points to gets the report, readable as the umask allows."""
    table = tmp_path / "t.csv"
    assert runner.invoke(app, ["extract", str(SEEDS), "-o", str(table)]).exit_code == 0
    target = tmp_path / "shared" / "latest.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(target)
    assert runner.invoke(app, ["report", str(table), "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert not [p.name for p in target.parent.iterdir() if p.name != "latest.html"]  # no temporary file left


def test_a_page_is_shown_as_the_article_zfacts_read(tmp_path):
    from html_pages import PAGES

    table = tmp_path / "t.jsonl"
    page = PAGES / "tw_monthly_sales.html"
    assert runner.invoke(app, ["extract", str(page), "-o", str(table)]).exit_code == 0
    articles, _ = load_articles([page])
    html = build_report(read_facts(table), articles)
    assert "gtag" not in html.split('<script type="application/json"')[0]  # the page's script is not shown
    assert "新台幣<" not in html and "202.3億元" in html  # the reference is shown decoded


def _browser():
    if BROWSER is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium in CI: .ci/run installs Debian's chromium package")
        pytest.skip("no headless Chromium on this machine (apt-get install chromium); the report's "
                    "browser tests did not run")
    return BROWSER


def test_the_report_runs_in_a_real_browser_without_errors(seeds, tmp_path):
    table, report = seeds
    browser = _browser()
    for attempt in range(2):  # a second start only when the first browser gave no page at all (a busy machine)
        done = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / f'profile{attempt}'}",
                               "--enable-logging=stderr", "--dump-dom", report.as_uri() + "#selftest"],
                              capture_output=True, timeout=180, check=False)
        dom = done.stdout.decode("utf-8", "replace")
        if "data-ready" in dom:
            break
    root = lxml.html.fromstring(dom)
    assert root.get("data-ready") == "1", done.stderr.decode(errors="replace")[-2000:]
    assert root.get("data-errors") is None
    assert "Uncaught" not in done.stderr.decode(errors="replace")
    # every fact was focused and its card showed its text and value
    assert root.get("data-selftest") == f"ok:{len(table)}"


def test_a_screenshot_of_the_report_is_not_blank(seeds, tmp_path):
    from PIL import Image

    _, report = seeds
    browser = _browser()
    shot = tmp_path / "shot.png"
    for attempt in range(2):  # again only when the first browser wrote no picture
        subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / f'profile{attempt}'}", f"--screenshot={shot}",
                        "--window-size=1280,1600", report.as_uri() + "#article=1"],
                       capture_output=True, timeout=180, check=False)
        if shot.exists():
            break
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, marks of four kinds, badges: no blank page


def _dump(browser, url, profile, *flags):
    """The page's DOM after its script ran, in headless Chromium (a second try when the first gave none)."""
    for attempt in range(2):
        done = subprocess.run([browser, *FLAGS, *flags, f"--user-data-dir={profile}{attempt}", "--dump-dom", url],
                              capture_output=True, timeout=180, check=False)
        dom = done.stdout.decode("utf-8", "replace")
        if "data-" in dom:
            return lxml.html.fromstring(dom), done.stderr.decode(errors="replace")
    return lxml.html.fromstring(dom or "<html></html>"), done.stderr.decode(errors="replace")


def test_the_fact_table_summary_and_links_work_in_a_real_browser(seeds, tmp_path):
    """#selftest also sorts the fact table by value both ways, searches a company, checks that every
    filter hides exactly the rows, articles, groups, summary rows and timelines without a match (and
    the CSV holds exactly the matching rows), and follows every link of the summary, comparisons and
    timelines to its fact, highlighted in its opened article."""
    table, report = seeds
    root, log = _dump(_browser(), report.as_uri() + "#selftest", tmp_path / "profile")
    assert root.get("data-selftest") == f"ok:{len(table)}", log[-2000:]
    doc = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    links = doc.xpath("//section[@id='summary' or @id='comparisons' or @id='timelines']//a[starts-with(@href, '#fact=')]")
    assert len(links) > 50 and root.get("data-links") == str(len(links))


def test_every_comparison_row_timeline_point_and_summary_figure_links_to_its_fact(seeds):
    table, report = seeds
    doc = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    for row in doc.xpath("//div[contains(@class, 'group')]//tbody/tr"):
        link = row.xpath(".//a[@class='ev']")
        assert len(link) == 1
        i = int(link[0].get("href").removeprefix("#fact="))
        assert table.iloc[i]["text"] == link[0].text_content()  # the figure opens the very fact it shows
    points = doc.xpath("//svg[@class='chart']//g[@class='pt']")
    assert points and all(p.getparent().tag == "a" for p in points)
    cells = doc.xpath("//table[@class='pivot']//td[a]")
    assert cells and all(a.get("href").startswith("#fact=") for c in cells for a in c.xpath("a"))


def test_the_summary_has_a_row_per_company_and_metric_and_a_column_per_period(seeds):
    table, report = seeds
    doc = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    pivot = doc.xpath("//table[@class='pivot']")[0]
    periods = [th.text_content() for th in pivot.xpath("thead/tr/th")][1:]
    assert "2024" in periods and "2025-03" in periods
    row = next(r for r in pivot.xpath("tbody/tr") if r.xpath("string(th)") == "智谱 · revenue")
    cell = row.xpath("td")[periods.index("2024")]
    # 3亿元 (001) and 3.1 億元 (002) agree: both figures, as analysts read them, each a link
    assert [a.text_content() for a in cell.xpath("a")] == ["3亿元", "3.1亿元"]
    assert "e+" not in pivot.text_content()
    # facts with neither a period nor a publication date (002, 004) are in a last column, not lost
    assert periods[-1] == "no period"
    row = next(r for r in pivot.xpath("tbody/tr") if r.xpath("string(th)") == "智谱 · cumulative_financing")
    assert [a.text_content() for a in row.xpath("td")[-1].xpath("a")] == ["> 83亿元", "> 125亿元"]
    assert periods.index("2024-03") < periods.index("2024-12")  # a publication month in its place in time


def test_single_source_groups_are_behind_a_toggle(seeds):
    table, report = seeds
    result = compare_facts(table)
    doc = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    singles = doc.xpath("//details[@class='singles']")[0]
    n = result[result["status"] == "single"]["group"].nunique()
    assert singles.xpath("string(summary)") == f"{n} groups stated by one source only"
    assert len(singles.xpath(".//div[contains(@class, 'group')]")) == n


def test_axis_labels_read_as_analysts_read_them():
    rows = []
    for n, (as_of, users) in enumerate((("2023", 6_000_000), ("2024", 12_000_000), ("2025", 250_000_000))):
        row = {c: None for c in COLUMNS}
        row.update(source=f"s{n}.txt", fact_id=f"f{n}", kind="quantity", metric="mau", subject="智谱", text=f"{users}人",
                   value=float(users), low=float(users), high=float(users), qualifier="exact", unit="users",
                   as_of=as_of, date_start=f"{as_of}-01-01", date_end=f"{as_of}-12-31", quote=f"月活{users}人",
                   start=0, end=3, line=1, rule="x", source_sha256=str(n), fact_key=f"k{n}")
        rows.append(row)
    page = build_report(pd.DataFrame(rows, columns=COLUMNS))
    ticks = [t.text_content() for t in lxml.html.fromstring(page).xpath("//svg//text[@class='tick']")]
    assert "1亿" in ticks and "3亿" in ticks and not any("e+" in t for t in ticks)


def test_a_source_name_that_opens_a_comment_or_script_keeps_the_data_block_whole(seeds, tmp_path):
    """`<!--<script>` in a source or record id put the browser's parser in a state where the data
    block's </script> no longer ended it: nothing ran, no article opened."""
    table, _ = seeds
    hostile = table.copy()
    hostile["source"] = hostile["source"].astype(str) + "<!--<script></SCRIPT >"
    page = build_report(hostile)
    data = page.split('<script type="application/json" id="facts">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["columns"]  # the whole block, up to the first </script>, is the JSON
    assert "<!--" not in data and "<script" not in data.lower()
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    root, log = _dump(_browser(), path.as_uri() + "#selftest", tmp_path / "profile")
    assert root.get("data-selftest") == f"ok:{len(table)}", log[-2000:]


def test_a_table_holding_inf_gives_a_report(seeds, tmp_path):
    table, _ = seeds
    broken = table.copy()
    valuation = broken.index[(broken["metric"] == "valuation") & (broken["subject"] == "智谱")]
    broken.loc[valuation[0], ["value", "low"]] = math.inf
    broken.loc[valuation[1], "high"] = -math.inf
    path = tmp_path / "inf.parquet"
    broken.to_parquet(path)
    out = tmp_path / "inf.html"
    result = runner.invoke(app, ["report", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 values infinite (inf), read as empty" in result.output
    data = json.loads(lxml.html.fromstring(out.read_text(encoding="utf-8")).xpath("string(//script[@id='facts'])"))
    assert data["columns"][data["fields"].index("value")][valuation[0]] is None  # JSON has no Infinity
    assert build_report(broken)  # the library too


def test_a_phone_screen_shows_the_page_without_sideways_scrolling(seeds, tmp_path):
    """Headless Chromium's window is at least 500 px wide, so the report runs in a 420-px frame
    (its own viewport: the page's media queries apply), open at a fact, every article open and all."""
    _, report = seeds
    frame = tmp_path / "phone.html"
    for hash_ in ("", "#fact=100", "#selftest"):
        frame.write_text(
            f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{report.as_uri()}{hash_}" width="420" '
            'height="900" style="border:0"></iframe><script>window.addEventListener("load", function () {'
            'var d = document.getElementById("f").contentDocument;'
            'document.documentElement.dataset.width = d.documentElement.dataset.pageWidth + "/" + d.defaultView.innerWidth;'
            '});</script></body></html>', encoding="utf-8")
        root, log = _dump(_browser(), frame.as_uri(), tmp_path / f"profile{len(hash_)}", "--allow-file-access-from-files",
                          "--window-size=600,1000")
        assert root.get("data-width") == "420/420", (hash_, root.get("data-width"), log[-1000:])


def test_a_conflict_is_marked_in_the_summary_and_each_figure_opens_its_own_fact(tmp_path):
    table = tmp_path / "t.csv"
    for name, text in (("a.txt", "智谱宣布完成新一轮融资，估值达到300亿元。\n"), ("b.txt", "据报道，智谱的估值为450亿元。\n"),
                       ("c.txt", "知情人士称，智谱估值为450亿元。\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["extract", str(tmp_path), "--published", "2025-05-01", "-o", str(table)]).exit_code == 0
    facts = read_facts(table)
    doc = lxml.html.fromstring(build_report(facts))
    row = next(r for r in doc.xpath("//table[@class='pivot']/tbody/tr") if r.xpath("string(th)") == "智谱 · valuation")
    cell = row.xpath("td[a]")[0]
    assert "conflict" in cell.get("class") and "≠" in cell.text_content()
    links = {a.text_content(): int(a.get("href").removeprefix("#fact=")) for a in cell.xpath("a")}
    assert set(links) == {"300亿元", "450亿元"} and "×2" in cell.text_content()  # two sources say 450亿元
    assert facts.iloc[links["300亿元"]]["source"] == "a.txt"


def test_a_link_can_carry_the_filters_of_a_view(seeds, tmp_path):
    """#subject=智谱&q=亿: the view an analyst shares, filtered when it opens."""
    table, report = seeds
    root, log = _dump(_browser(), report.as_uri() + "#subject=%E6%99%BA%E8%B0%B1&q=%E4%BA%BF", tmp_path / "profile")
    about = table[table["subject"] == "智谱"]
    expected = sum("亿" in " ".join(str(r[c]) for c in ("text", "subject", "metric", "source", "quote") if not pd.isna(r[c]))
                   for _, r in about.iterrows())
    assert root.xpath("string(//*[@id='shown'])") == f"{expected} of {len(table)} facts match", log[-1000:]
    assert len(root.xpath("//table[@id='facttable']/tbody/tr")) == expected
    assert all(r.xpath("string(td[3])") == "智谱" for r in root.xpath("//table[@id='facttable']/tbody/tr"))
    assert not [r for r in root.xpath("//table[@class='pivot']/tbody/tr[not(@hidden)]")
                if not r.xpath("string(th)").startswith("智谱")]
