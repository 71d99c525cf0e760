"""The numeral reader: a table of hard cases and round-trip properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT

from zhipu_facts import extract_text
from zhipu_facts.core.numbers import NUMERAL_FIELDS, NUMERALS, NumberError, NumeralTableError, parse_number, read_numerals
from zhipu_facts.engine.rules import RuleError, load_rules

R = load_rules()

CASES = [
    ("1.1亿", "110000000"), ("16.4亿", "1640000000"), ("1.2万亿", "1200000000000"),
    ("5千亿", "500000000000"), ("一万五千亿", "1500000000000"), ("十五点五", "15.5"),
    ("3万4000", "34000"), ("1亿1595万", "115950000"), ("三千万", "30000000"),
    ("二十五亿", "2500000000"), ("两", "2"), ("一百零五", "105"), ("二〇二三", "2023"),
    ("廿", "20"), ("壹佰", "100"), ("叁仟万", "30000000"), ("万亿", "1000000000000"),
    ("1,234.5", "1234.5"), ("243.77亿", "24377000000"), ("0.0008", "0.0008"),
    ("十", "10"), ("十二", "12"), ("一千零一", "1001"), ("九千九百九十九万", "99990000"),
    ("四十九兆九千五百九十二亿", "49959200000000"), ("4兆", "4000000000000"), ("1.5兆", "1500000000000"),
    ("一兆五千亿", "1500000000000"), ("十五万亿", "15000000000000"), ("三千万亿", "3000000000000000"),
    ("一亿亿", "10000000000000000"), ("两万万", "200000000"), ("3万亿2000亿", "3200000000000"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_parse_number(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "1.2.3", "点", "五五五点", "1二",
                                  # a unit twice with digits between is no numeral, not the sum
                                  "九千九百九十九万九千九百九十九万", "3万5000万", "2亿3亿"])
def test_not_numbers(text):
    with pytest.raises(NumberError):
        parse_number(text)


DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Write a positive integer below 10^16 in Chinese numerals (our own formatter)."""
    def group(g: int) -> str:
        out, zero = "", False
        for unit, value in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d = g // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    def below(m: int, unit: str, size: int) -> str:
        """m below size**2, as <high>unit<low> with 零 where a place is skipped."""
        high, low = divmod(m, size)
        out = (below(high, "万", 10**4) if unit == "亿" else group(high)) + unit if high else ""
        if high and low and low < size // 10:
            out += "零"
        if low:
            out += below(low, "万", 10**4) if unit == "亿" else group(low)
        return out

    return below(n, "亿", 10**8)


MAGNITUDES = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12, "千万": 10**7, "百万": 10**6}


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_chinese_round_trip(n):
    assert parse_number(to_chinese(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=3),
       st.sampled_from(sorted(MAGNITUDES)))
def test_arabic_with_magnitude_round_trip(units, decimals, mag):
    number = Decimal(units).scaleb(-decimals)
    text = f"{number:f}{mag}"
    assert parse_number(text) == number * MAGNITUDES[mag]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万", "亿", "万亿"]),
       st.sampled_from([("元", "CNY"), ("美元", "USD"), ("港元", "HKD"), ("港幣", "HKD")]),
       st.booleans())
def test_amounts_in_a_sentence_round_trip(n, mag, currency, chinese):
    word, code = currency
    number = to_chinese(n) if chinese else str(n)
    text = f"公司本轮融资{number}{mag}{word},用于研发。"
    facts = [f for f in extract_text(text, rules=R) if f.kind == "money"]
    assert len(facts) == 1, (text, [f.text for f in facts])
    assert facts[0].value == n * MAGNITUDES[mag]
    assert facts[0].unit == code


def test_a_numeral_beyond_decimals_range_reads_as_huge_not_a_crash():
    from zhipu_facts.core.numbers import OVERFLOW

    assert parse_number("一" + "亿" * 200_000) == OVERFLOW


# --- the numeral table: rules/lexicon/numerals.yaml ---------------------------

NUMERAL_FILE = ROOT / "rules" / "lexicon" / "numerals.yaml"


def test_the_small_reader_reads_the_numeral_lexicon_as_yaml_does():
    import yaml

    data = yaml.safe_load(NUMERAL_FILE.read_text(encoding="utf-8"))
    by_yaml = {(field, str(ch)): (0 if field == "point" else int(e["key"]))
               for e in data["entries"] for field in NUMERAL_FIELDS for ch in e.get(field, [])}
    assert by_yaml == {(f, ch): v for f, table in NUMERALS.items() for ch, v in table.items()}


@pytest.mark.parametrize("body, says", [
    (None, "cannot be read"),
    ('lexicon: numerals\nentries:\n  - key: "1"\n    digit: [一]\n', "digits 0 to 9"),
    ('lexicon: numerals\nentries:\n  - key: one\n    digit: [一]\n', ":4: the key of a numeral is its value"),
    ('lexicon: numerals\nentries:\n  - key: "1"\n    digits: [一]\n', ":4: not a line of the numeral lexicon's shape"),
    ('lexicon: numerals\nentries:\n  - key: "1"\n    digit: [一, 一]\n', ":4: '一' must be one character, listed once"),
])
def test_a_wrong_or_missing_numeral_table_is_a_clear_error(tmp_path, body, says):
    path = tmp_path / "numerals.yaml"
    if body is not None:
        path.write_text(body, encoding="utf-8")
    with pytest.raises(NumeralTableError, match=says) as e:
        read_numerals(path)
    assert str(path) in str(e.value)


def test_a_rule_folder_cannot_change_the_numerals(tmp_path):
    folder = tmp_path / "mine" / "lexicon"
    folder.mkdir(parents=True)
    (folder / "numerals.yaml").write_text('lexicon: numerals\nentries:\n  - key: "4"\n    digit: [亖]\n',
                                          encoding="utf-8")
    with pytest.raises(RuleError, match="numerals cannot be changed by a rule folder"):
        load_rules([tmp_path / "mine"])


def test_every_zero_is_a_zero_in_a_written_year():
    # ○ is a zero like 〇: 二○二三 is a year, not the range 二 to 三.
    assert parse_number("二○二三") == parse_number("二〇二三") == 2023
