"""Web pages: only the article's facts, offsets into the HTML source, the page's own date."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from collections import Counter

import pytest
from html_pages import BODIES, PAGES, body_facts, key, page_text
from typer.testing import CliRunner

import zhipu_facts as zf
from zhipu_facts.api import extract_files, shipped_rules
from zhipu_facts.cli import app
from zhipu_facts.ingest import html as html_module
from zhipu_facts.ingest.html import decode_page, read_page
from zhipu_facts.ingest.decode import SkipFile
from zhipu_facts.ingest.read import find_files
from zhipu_facts.pipeline import analyze

runner = CliRunner()


def page_facts(source: str, **kw) -> list[zf.Fact]:
    return analyze(source, shipped_rules(), html=True, **kw).facts


def collapsed(text: str) -> str:
    """`text` as a page's quote shows it: references decoded, each run of whitespace its first character."""
    import regex

    return regex.sub(r"(\s)\s*", lambda m: " " if m[1] in "\n\r\t" else m[1], html.unescape(text))


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_page_gives_the_facts_of_its_article_and_only_those(name):
    facts = extract_files([(PAGES / name, name)]).__next__().facts
    assert Counter(key(f) for f in facts) == body_facts(name)


@pytest.mark.parametrize("name", sorted(BODIES))
def test_offsets_index_the_html_source_and_quotes_are_visible_text(name):
    source = page_text(name)
    facts = next(extract_files([(PAGES / name, name)])).facts
    assert facts
    for f in facts:
        assert source[f.start:f.end] == f.text
        assert f.line == source.count("\n", 0, f.start) + 1
        assert "<" not in f.quote and "&#" not in f.quote
        assert collapsed(f.text) in f.quote


def test_a_character_reference_inside_an_amount_is_part_of_its_span():
    facts = page_facts("<html><body><h1>聯電營收</h1><p>1月合併營收新台幣202.3&#20740;元，月增4.1%。"
                       "净利润5&#x4EBF;元，营收3&nbsp;亿元。</p></body></html>", locale="zh-TW")
    money = [(f.text, float(f.value), f.unit, f.quote) for f in facts if f.kind == "money"]
    assert money == [("新台幣202.3&#20740;元", 20_230_000_000.0, "TWD", "1月合併營收新台幣202.3億元，月增4.1%。"),
                     ("5&#x4EBF;元", 500_000_000.0, "TWD", "净利润5亿元，营收3\u00a0亿元。"),
                     ("3&nbsp;亿元", 300_000_000.0, "TWD", "净利润5亿元，营收3\u00a0亿元。")]


def test_block_tags_keep_cells_and_paragraphs_apart():
    # minified: no whitespace between the blocks, which must never run together into 1020亿元
    source = ("<html><body><article><h1>年报</h1><p>公司营收为10</p><p>20亿元的目标已完成。</p>"
              "<table><tr><td>营收(亿元)</td><td>383.49</td><td>12.5%</td></tr></table></article></body></html>")
    facts = page_facts(source)
    assert [(f.text, float(f.value)) for f in facts if f.kind in ("money", "percent")] == [
        ("20亿元", 2e9), ("12.5%", 12.5)]


def test_scripts_styles_comments_and_hidden_text_yield_no_fact():
    source = """<html><head><title>公司公告</title><style>.a{width:100%}</style>
    <script>var price = "100元"; var off = "5折";</script></head><body>
    <!-- 旧版：营收8亿元 --><noscript>请开启脚本，VIP仅需9.9元</noscript>
    <template><p>模板里的30亿元</p></template><textarea>评论里写了50%</textarea>
    <article><h1>公司公告</h1><p>公司2024年营业收入为12.6亿元，同比增长8.2%。公司拟每10股派发现金红利1.5元（含税），派息总额约为1.2亿元。</p>
    <p>截至报告期末，公司总资产为56.3亿元，资产负债率为41.5%。</p></article></body></html>"""
    texts = [f.text for f in page_facts(source)]
    assert texts == ["2024年", "12.6亿元", "8.2%", "1.5元", "约为1.2亿元", "56.3亿元", "41.5%"]  # 1.5元 per 10 shares


def test_the_pages_own_metadata_dates_it():
    dates = {}
    for name in BODIES:
        a = next(extract_files([(PAGES / name, name)]))
        dates[name] = (str(a.published), a.published_from)
    assert dates == {
        "portal_results.html": ("2025-03-24", "html_meta"),  # article:published_time
        "daily_ipo_gbk.html": ("2025-06-18", "html_meta"),  # JSON-LD datePublished
        "tw_monthly_sales.html": ("2025-02-10", "html_meta"),  # <time datetime>
        "hk_ipo.html": ("2025-07-02", "html_meta"),  # <meta name="pubdate">
        "exchange_buyback.html": ("2025-04-29", "url"),  # only its canonical link has a date
        "flash_short.html": ("2025-04-14", "html_meta"),  # <meta name="publishdate">
        "portal_comments.html": ("2025-03-26", "html_meta"),  # itemprop datePublished
    }


def test_a_timestamp_is_dated_by_its_day_in_utc_plus_8():
    source = ('<html><head><meta property="article:published_time" content="2025-03-23T23:30:00Z"></head>'
              "<body><article><h1>快讯</h1><p>公司今日公告，一季度营收增长12%。</p></article></body></html>")
    a = analyze(source, shipped_rules(), html=True)
    assert (str(a.header.published), a.header.published_from) == ("2025-03-24", "html_meta")
    assert [f.as_of for f in a.facts if f.text == "今日"] == ["2025-03-24"]


def test_without_metadata_the_dateline_then_the_canonical_url_dates_a_page():
    body = "<body><article><h1>公司公告</h1><p>2025年5月6日 08:30 来源：证券时报</p><p>公司一季度营收增长12%。</p></article></body>"
    canonical = '<head><link rel="canonical" href="https://news.example.com/2025/05/07/a.html"></head>'
    a = analyze(f"<html>{canonical}{body}</html>", shipped_rules(), html=True)
    assert (str(a.header.published), a.header.published_from) == ("2025-05-06", "byline")
    assert "2025年5月6日" not in [f.text for f in a.facts]  # the byline line is cut
    bare = "<body><article><h1>公司公告</h1><p>公司一季度营收增长12%。</p></article></body>"
    a = analyze(f"<html>{canonical}{bare}</html>", shipped_rules(), html=True)
    assert (str(a.header.published), a.header.published_from) == ("2025-05-07", "url")


def test_a_tail_heading_removes_the_list_or_thread_after_it():
    source = """<html><body><div class="main"><h1>某银行去年净利润增长5.2%</h1>
    <div class="txt"><p>某银行公告，2024年实现归母净利润1,250亿元，同比增长5.2%；不良贷款率为1.31%，较年初下降0.03个百分点。
    拨备覆盖率为235.4%，资本充足率为15.1%，均满足监管要求。</p>
    <div class="box"><h4>延伸閱讀</h4><ul><li>另一家银行净利润下降8%</li><li>理财规模突破30万亿元</li></ul></div>
    <p>董事会建议每股派发现金股息0.32元，派息率约为30%。</p></div></div>
    <div class="zone"><h3>跟贴 862</h3><div><p>我觉得明年利润能涨到1500亿元，股价至少翻倍到20元，这个分红率30%也还算可以吧。</p></div>
    <div><p>不良率其实被低估了，真实数字至少是3%以上，别信这些报表上的数据，拨备也只够覆盖一半。</p></div></div>
    </body></html>"""
    texts = [f.text for f in page_facts(source)]
    assert "1500亿元" not in texts and "30万亿元" not in texts and "3%以上" not in texts
    assert "0.32元" in texts and "1,250亿元" in texts


def test_a_page_too_small_for_detection_is_read_whole_with_a_warning():
    a = analyze("<p>智谱营收10亿元。</p>", shipped_rules(), html=True)
    assert [f.text for f in a.facts] == ["10亿元"]
    a = analyze("<html><body></body></html>", shipped_rules(), html=True)
    assert a.facts == [] and a.warnings


@pytest.mark.parametrize("declared, codec", [("gb2312", "gb18030"), ("GBK", "gb18030"), ("big5", "big5hkscs")])
def test_a_page_is_decoded_by_the_charset_it_declares(declared, codec):
    text = f'<html><head><meta charset="{declared}"><title>台積電營收</title></head><body><p>營收2,933億元</p></body></html>'
    assert decode_page(text.encode(codec)) == text


def test_a_utf8_page_mislabelled_as_latin1_and_a_bom_page_decode():
    text = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><p>营收10亿元</p></body></html>'
    assert decode_page(text.encode("utf-8")) == text
    assert decode_page(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_page(text.encode("utf-16-le").join([b"\xff\xfe", b""])) == text


def test_a_folder_of_pages_is_read_and_bad_pages_are_skipped_by_name(tmp_path, monkeypatch):
    (tmp_path / "good.html").write_bytes((PAGES / "hk_ipo.html").read_bytes())
    (tmp_path / "truncated.htm").write_text((PAGES / "portal_results.html").read_text(encoding="utf-8")[:3100],
                                            encoding="utf-8")
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "unclosed.shtml").write_text("<html><body><p>营收10亿元。</p><script>var x='5折", encoding="utf-8")
    (tmp_path / "huge.html").write_text("<p>营收10亿元。</p>" * 1000, encoding="utf-8")
    monkeypatch.setattr(html_module, "MAX_PAGE_CHARS", 8000)  # the others are smaller
    out = tmp_path / "facts.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1
    assert "binary.html" in result.output and "huge.html" in result.output and "Traceback" not in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    sources = Counter(r["source"] for r in rows)
    assert sources["good.html"] == sum(body_facts("hk_ipo.html").values())
    assert sources["unclosed.shtml"] == 1 and sources["truncated.htm"] > 0
    assert "binary.html" not in sources and "huge.html" not in sources


def test_huge_pages_are_refused_before_parsing():
    with pytest.raises(SkipFile, match="limit"):
        read_page("<p>" + "营" * (html_module.MAX_PAGE_CHARS + 1))


def test_pages_are_found_in_folders_next_to_text(tmp_path):
    for name in ("a.html", "b.htm", "c.shtml", "d.txt", "e.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [s for _, s in find_files([tmp_path])] == ["a.html", "b.htm", "c.shtml", "d.txt"]


def test_input_format_html_reads_any_name_and_stdin(tmp_path):
    page = (PAGES / "tw_monthly_sales.html").read_bytes()
    odd = tmp_path / "page.txt"
    odd.write_bytes(page)
    out = tmp_path / "f.jsonl"
    assert runner.invoke(app, ["extract", str(odd), "--input-format", "html", "-o", str(out)]).exit_code == 0
    from_file = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    done = subprocess.run([sys.executable, "-m", "zhipu_facts", "extract", "-", "--input-format", "html",
                           "--format", "jsonl"], input=page, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    from_stdin = [json.loads(line) for line in done.stdout.decode().splitlines()]
    strip = ("source", "fact_id")
    assert [{k: v for k, v in r.items() if k not in strip} for r in from_stdin] == \
           [{k: v for k, v in r.items() if k not in strip} for r in from_file]
    assert {r["source"] for r in from_stdin} == {"-"}


def test_a_collection_of_pages_gives_the_same_facts_as_the_files(tmp_path):
    names = ["hk_ipo.html", "daily_ipo_gbk.html"]
    with (tmp_path / "pages.jsonl").open("w", encoding="utf-8") as fh:
        for n in names:
            fh.write(json.dumps({"id": n, "html": page_text(n), "url": f"https://x.example.com/{n}"}) + "\n")
    out = tmp_path / "c.jsonl"
    assert runner.invoke(app, ["extract", str(tmp_path / "pages.jsonl"), "-o", str(out)]).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for n in names:
        mine = [r for r in rows if r["source"] == n]
        assert Counter((r["kind"], html.unescape(r["text"])) for r in mine) == \
               Counter((k, t) for k, t, _ in body_facts(n).elements())
        text = page_text(n)
        assert all(text[r["start"]:r["end"]] == r["text"] for r in mine)
        assert {r["source_sha256"] for r in mine} == {__import__("hashlib").sha256(text.encode()).hexdigest()}


def test_named_html_and_url_fields(tmp_path):
    record = {"doc": "a1", "page": "<html><body><article><h1>快讯</h1><p>公司今日公告，一季度营收增长12%。</p>"
                                   "</article></body></html>",
              "text": "another text: 营收增长99%", "link": "https://news.example.com/20250408/x.html"}
    (tmp_path / "r.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path / "r.jsonl"), "--html-field", "page", "--url-field", "link",
                                 "--id-field", "doc", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["text"], r["published"], r["published_from"]) for r in rows] == [
        ("a1", "今日", "2025-04-08", "url"), ("a1", "一季度", "2025-04-08", "url"), ("a1", "12%", "2025-04-08", "url")]


# Pages of shapes that used to read as nothing, or as the wrong text (issue 32).
STORY = ("<p>北京智谱华章科技有限公司今日宣布完成新一轮融资,金额为30亿元,投后估值超过200亿元。</p>"
         "<p>公司2024年营收同比增长100%,达到3亿元。</p><p>公司表示,资金将用于大模型研发和商业化。</p>")
SECOND = STORY.replace("30亿元", "40亿元").replace("3亿元", "5亿元")


def _page(inner: str, head: str = '<meta charset="utf-8">') -> str:
    return (f"<html><head>{head}<title>智谱融资</title></head><body><article><h1>智谱完成30亿元融资</h1>"
            f"{inner}</article></body></html>")


def _money(source: str) -> list[str]:
    return [f.text for f in page_facts(source) if f.kind == "money"]


@pytest.mark.parametrize("inside", ["<noscript>请开启JavaScript</noscript>", "<textarea>留言内容</textarea>",
                                    "<math><mi>x</mi><mo>=</mo><mn>2</mn></math>",
                                    "<select><option>选项一</option><option>选项二</option></select>",
                                    "<object data='x.swf'>播放器</object>"])
def test_an_element_never_shown_inside_the_article_costs_only_its_own_text(inside):
    source = _page(STORY + inside + SECOND)
    assert _money(source) == ["30亿元", "30亿元", "超过200亿元", "3亿元", "40亿元", "超过200亿元", "5亿元"]
    for f in page_facts(source):
        assert source[f.start:f.end] == f.text


def test_hidden_and_display_none_text_is_not_article_text():
    source = _page(STORY + '<p hidden>隐藏:营收99亿元。</p><div style="color:red; display: none">净利润88亿元。</div>'
                   '<span style="visibility:hidden">亏损77亿元。</span><p>其后营收6亿元。')
    assert _money(source) == ["30亿元", "30亿元", "超过200亿元", "3亿元", "6亿元"]
    # a hidden <p> closed by the next <p> (HTML's implied end tag) hides only itself
    assert "6亿元" in _money(_page(STORY + "<p hidden>营收99亿元<p>其后营收6亿元。</p>"))


def test_elements_nested_deeper_than_the_parser_reads_are_read_whole_and_say_so():
    source = _page("<div>" * 300 + STORY + "</div>" * 300)
    result = analyze(source, shipped_rules(), html=True)
    assert [f.text for f in result.facts if f.kind == "money"] == ["30亿元", "30亿元", "超过200亿元", "3亿元"]
    assert any("HTML parser kept only" in w and "all its visible text is read" in w for w in result.warnings)


def test_a_page_whose_charset_declaration_lies_is_read_by_its_bytes_and_says_so(tmp_path):
    story = "<p>台積電今日公布,第三季營收達新台幣7,596億元,年增36%。</p><p>公司表示,先進製程需求強勁,全年營收將成長近三成。</p>"
    page = tmp_path / "tw.html"
    page.write_bytes(_page(story, head='<meta charset="gb2312">').replace("智谱完成30亿元融资", "台積電營收創新高")
                     .replace("智谱融资", "台積電").encode("big5"))
    out = tmp_path / "f.jsonl"
    result = runner.invoke(app, ["extract", str(page), "-o", str(out)])
    assert "tw.html: declares charset gb2312 but reads as BIG5HKSCS" in result.output
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert "新台幣7,596億元" in texts and "36%" in texts
