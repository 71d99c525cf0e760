"""Generated news-like text for the property test and `make fuzz`.

Pieces of financial news (numerals in every script, magnitudes, currencies,
qualifiers, change words, dates, counters, punctuation, markup, odd Unicode)
are strung together at random, so the pipeline meets combinations no rule
author wrote down.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

import zhipu_facts as zf

PIECES = [
    # numbers
    "3", "30", "1,234.5", "0.0008", "12,345,678,901,234,567.89", "三", "二十五", "一万五千", "伍佰陆拾", "七八",
    "十几", "数", "上", "两", "〇", "廿", "３０", "٣", "9" * 40, "点", ".", ",", "，", "-", "－", "负",
    # magnitudes and units
    "万", "亿", "兆", "千", "百", "万亿", "billion", "M", "k", "元", "亿元", "美元", "港币", "新台币", "泰铢", "卢比",
    "块", "毛", "角", "分", "毛钱", "%", "‰", "个百分点", "百分之", "千分之", "万分之", "成", "折", "倍",
    "股", "家", "人", "个", "次", "轮", "用户", "开发者", "参数", "tokens", "/千Tokens", "每股", "元/", "RMB", "US$", "$",
    # qualifiers and changes
    "超过", "超", "约", "近", "不足", "不超过", "不超", "以上", "以下", "左右", "多", "余", "来", "了", "的",
    "同比", "环比", "增长", "下降", "减少", "降至", "收窄", "蒸发", "年增", "较上年同期", "至", "到", "——", "~",
    "介乎", "及", "分别为", "和", "、",
    # dates
    "2024年", "2025年", "3月", "15日", "去年", "今年", "上个月", "下周", "同期", "上半年", "三季度", "年底", "四年后",
    "2022至2000年", "FY2023",
    # words, metrics, entities
    "公司", "营收", "净利润", "估值", "融资", "市值", "回购", "质押", "月活", "员工", "智谱", "OpenAI", "预计", "目前",
    # punctuation, markup, whitespace, odd Unicode
    "。", "；", "！", "\n", " ", "\u3000", "**", "[", "](", ")", "#", "---", "\u200b", "\ufeff", "\ufe0f\u20e3",
    "\u00a0", "\ud83d\ude00"[:0] + "😀", "臺", "億", "營收", "淨利潤",
]

#: Characters a copy from a web page, a PDF or a chat app leaves inside text:
#: format characters (bidi marks, overrides and isolates, zero-width ones, the
#: soft hyphen), combining marks, every kind of space, line and paragraph
#: separators, a lone CR, full-width digits and commas. Inserted into
#: realistic sentences (INSERTED_INTO) they must never change a number.
INSERTED = ["\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2067", "\u2069", "\u200b", "\u200c", "\u200d",
            "\u2060", "\ufeff", "\u00ad", "\u061c", "\u180e", "\u0301", "\u0308", "\u20e3", "\ufe0f", " ", "\t",
            "\u00a0", "\u202f", "\u2009", "\u200a", "\u3000", "\u2028", "\u2029", "\r"]
PIECES += INSERTED + ["１２", "，", "¥7，967万", "US$7，967万", "1,\u00a0234", "-\u200e3"]

news = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)
dates = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))


def _in_sections(text: str, published: str | None, rules=None) -> list:
    """The facts of the text read as a long article is: a few sentences at a
    time (pipeline.ArticleRun), which must change nothing."""
    from zhipu_facts import pipeline
    from zhipu_facts.core.pieces import sections

    real = pipeline.sections
    pipeline.sections = lambda t, spans, size=None: sections(t, spans, size=10)
    try:
        return zf.extract_text(text, published=published, rules=rules)
    finally:
        pipeline.sections = real


def check(text: str, published: str | None, rules=None) -> None:
    """Every invariant the fact table promises, on one generated text."""
    facts = zf.extract_text(text, published=published, rules=rules)
    again = _in_sections(text, published, rules)
    assert [f.row() for f in facts] == [f.row() for f in again], "not deterministic, or not so in sections"
    for f in facts:
        row = f.row()
        assert text[f.start:f.end] == f.text, row
        assert f.text in f.quote and f.quote in text, row
        for name in ("value", "low", "high", "value_cny"):
            x = row[name]
            assert x is None or math.isfinite(x), (name, row)
        lo, v, hi = row["low"], row["value"], row["high"]
        assert v is None or ((lo is None or lo <= v) and (hi is None or v <= hi)), row
        assert lo is None or hi is None or lo <= hi, row
        assert f.date_start is None or f.date_end is None or f.date_start <= f.date_end, row


def realistic_sentences() -> list[str]:
    """Sentences of the seed articles that hold a digit: what the inserted-
    character invariant mutates (realistic, so a number has its context)."""
    import re
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[1] / "data" / "seeds"
    out = []
    for path in sorted(seeds.glob("*.txt")):
        for s in re.split(r"(?<=[。!?;！？；\n])", path.read_text(encoding="utf-8")):
            s = s.strip()
            if 6 <= len(s) <= 160 and re.search(r"\d", s):
                out.append(s)
    return out


def numbers(text: str, published: str | None, rules=None) -> set[tuple]:
    """The numbers a text states: (kind, number) of the value and bounds of its
    money, percent and quantity facts (10万-40万 states both ends)."""
    return {(f.kind, x) for f in zf.extract_text(text, published=published, rules=rules) if f.kind != "date"
            for x in (f.value, f.low, f.high) if x is not None}


def inside_number(text: str, at: int) -> bool:
    """Whether position `at` lies inside a written number: between two of its
    digits, between a digit and its separator (3.|5, 1,|234), or between a
    sign and its first digit (-|3)."""
    if not 0 < at < len(text):
        return False
    left, right = text[at - 1], text[at]
    digit_left = left.isdigit() or (left in ".,，" and at > 1 and text[at - 2].isdigit())
    digit_right = right.isdigit() or (right in ".,，" and at + 1 < len(text) and text[at + 1].isdigit())
    return (digit_left and digit_right) or (left in "-−－" and right.isdigit())


def check_inserted(sentence: str, at: int, ch: str, published: str | None, rules=None,
                   before: set[tuple] | None = None) -> None:
    """The inserted-character invariant: a character inserted inside a number
    reads as if absent, or costs the facts it touches, never a different
    number; anywhere, every other invariant still holds on the mutated text."""
    mutated = sentence[:at] + ch + sentence[at:]
    check(mutated, published, rules)
    if not inside_number(sentence, at):
        return
    if before is None:
        before = numbers(sentence, published, rules)
    new = numbers(mutated, published, rules) - before
    assert not new, f"{ch!r} at {at} of {sentence!r} gave {sorted(new, key=str)}, not in {sorted(before, key=str)}"
