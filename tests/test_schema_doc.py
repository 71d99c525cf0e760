"""docs/schema.md is the contract: its columns, types and flags are the code's."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

from zhipu_facts.table.schema import COLUMN_SPECS, FLAGS

DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = DOC.index(f"## {title}\n")
    end = DOC.find("\n#", start + 1)  # the next heading of any level
    return DOC[start:end if end > 0 else None]


def _table_rows(section: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")]
            for line in section.splitlines() if re.match(r"\| `", line)]


def test_columns_order_types_and_nullability_match_the_code():
    documented = [(name.strip("`"), kind) for name, kind, *_ in _table_rows(_section("Columns"))]
    expected = [(c.name, c.type + ("?" if c.nullable else "")) for c in COLUMN_SPECS]
    assert documented == expected


def test_flag_vocabulary_matches_the_code():
    documented = [row[0].strip("`") for row in _table_rows(_section("Flags"))]
    assert documented == list(FLAGS)


def _flag_literals() -> set[str]:
    """Every string the package puts into a fact's flags: flags.add("x"), flags={"x"}."""
    found: set[str] = set()
    for path in (ROOT / "zhipu_facts").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add"
                    and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "flags"):
                found.update(a.value for a in node.args if isinstance(a, ast.Constant))
            if isinstance(node, ast.keyword) and node.arg == "flags" and isinstance(node.value, ast.Set):
                found.update(e.value for e in node.value.elts if isinstance(e, ast.Constant))
    return found


def test_every_flag_the_code_emits_is_documented():
    emitted = _flag_literals()
    assert emitted, "the scan found no flags: it is broken"
    assert emitted <= set(FLAGS), sorted(emitted - set(FLAGS))
    assert set(FLAGS) <= emitted, f"documented but never emitted: {sorted(set(FLAGS) - emitted)}"


def test_non_null_columns_are_never_null(seed_rows):
    required = [c.name for c in COLUMN_SPECS if not c.nullable]
    for row in seed_rows:
        assert all(row[c] is not None for c in required), row


def test_rows_only_carry_documented_flags(seed_rows):
    for row in seed_rows:
        assert isinstance(row["flags"], list), row  # JSON Lines carry the flags as a list
        assert set(row["flags"]) <= set(FLAGS), row
