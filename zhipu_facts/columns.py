"""The fact table's columns, each declared once: name, type, whether it may
be null, who fills it, and where the report's hover card shows it.

`Fact`'s fields, `Fact.row()`, the table schema (table/schema.py, held to
docs/schema.md by a test) and the report's card fields (review/report.py)
all come from COLUMNS. An enrichment stage names the columns it fills, and
they must be declared here or registered (`fact.register_column`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

#: Who fills a column besides the enrichment stages (which are named by their Stage).
PIPELINE, NORMALIZER, COMPUTED = ("pipeline",), ("normalizer",), ("computed",)
MEANING, PERIODS, FX = ("metric and subject",), ("periods and series",), ("fx",)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # the schema document's name for it: string, float64, int64, date
    nullable: bool
    #: pipeline, normalizer, computed (a property of Fact), or the names of
    #: the enrichment stages that fill it (each stage's `fills` is checked
    #: against this).
    filled_by: tuple[str, ...] = (PIPELINE,)
    #: Its place on the report's hover card (1 first); 0: not shown.
    card: int = 0
    #: How a row shows the Fact's value: "float" (an exact Decimal), "flags"
    #: (a set, joined by ;), or "" (as it is).
    cell: str = ""
    #: The Fact field's default (dataclasses.MISSING: the pipeline always sets it).
    default: Any = None


_REQUIRED = dataclasses.MISSING

#: In table order.
COLUMNS: tuple[Column, ...] = (
    Column("source", "string", False, card=21, default=_REQUIRED),
    Column("fact_id", "string", False, COMPUTED),
    Column("kind", "string", False, NORMALIZER, card=1, default=_REQUIRED),
    Column("metric", "string", True, MEANING, card=11),
    Column("change", "string", True, NORMALIZER, card=13),
    Column("basis", "string", True, NORMALIZER, card=14),
    Column("subject", "string", True, MEANING, card=12),
    Column("text", "string", False, card=2, default=_REQUIRED),
    Column("value", "float64", True, NORMALIZER, card=3, cell="float"),
    Column("low", "float64", True, NORMALIZER, card=4, cell="float"),
    Column("high", "float64", True, NORMALIZER, card=5, cell="float"),
    Column("qualifier", "string", False, NORMALIZER, card=6, default="exact"),
    Column("unit", "string", True, NORMALIZER, card=7),
    Column("per", "string", True, NORMALIZER + MEANING, card=8),
    Column("value_cny", "float64", True, FX, card=9, cell="float"),
    Column("fx_rate", "float64", True, FX, card=10),
    Column("fx_date", "date", True, FX),
    Column("as_of", "string", True, NORMALIZER + PERIODS, card=15),
    Column("date_start", "date", True, NORMALIZER + PERIODS, card=16),
    Column("date_end", "date", True, NORMALIZER + PERIODS, card=17),
    Column("published", "date", True, card=18, default=_REQUIRED),
    Column("published_from", "string", True, default=_REQUIRED),
    Column("quote", "string", False, default=_REQUIRED),
    Column("start", "int64", False, default=_REQUIRED),
    Column("end", "int64", False, default=_REQUIRED),
    Column("line", "int64", False, default=_REQUIRED),
    Column("rule", "string", False, card=19, default=_REQUIRED),
    Column("flags", "string", True, NORMALIZER, card=20, cell="flags"),
    Column("source_sha256", "string", False, default=_REQUIRED),
    Column("fact_key", "string", True, COMPUTED),
)
