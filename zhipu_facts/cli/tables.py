"""zfacts compare and zfacts diff: fact tables in, agreements and changes out.

pandas is imported inside the commands, so `extract` does not pay for it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from ..table.formats import check_choice, format_for, open_writer
from ..table.schema import SCHEMA
from ..table.write import write_frame
from .common import (
    ExcelOption,
    FactTablesArgument,
    FormatOption,
    OutputOption,
    QuietOption,
    app,
    count,
    err,
    output_error,
    refuse_input_as_output,
)


def _read_or_exit(path: Path):
    from ..table.read import (  # pandas loads only for compare and diff
        TableError,
        read_facts,
    )

    try:
        return read_facts(path)
    except TableError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None


def read_tables_or_exit(paths: list[Path]):
    """The fact tables as one, for compare and report; an infinite number (no figure zfacts writes)
    is read as empty, with a warning naming its file."""
    import pandas as pd

    from ..review.compare import without_infinities

    tables = []
    for p in paths:
        table, infinite = without_infinities(_read_or_exit(p))
        if infinite:
            err.print(f"warning: {p}: {count(infinite, 'value')} infinite (inf), read as empty", markup=False)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def _emit(df, schema, output: Optional[Path], fmt: Optional[str], excel: bool) -> bool:
    """Write df to -o or stdout (CSV); False when the caller should render it instead."""
    try:
        check_choice(fmt)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--format") from None
    if output is None and fmt is None and not excel and sys.stdout.isatty():
        return False
    try:
        write_frame(df, open_writer(output, format_for(output, fmt, excel), sys.stdout, schema))
    except ValueError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    except OSError as e:
        err.print(f"error: {output_error(e, [output])}", markup=False)
        raise typer.Exit(2) from None
    return True


@app.command()
def compare(
    facts: FactTablesArgument,
    by: Annotated[str, typer.Option("--by", metavar="COLUMNS",
                                    help="Columns that make a group.")] = "subject,metric,period",
    tolerance: Annotated[str, typer.Option(
        "--tolerance", metavar="TOLERANCE",
        help="Extra relative tolerance on top of the stated precision: 0.05 for all "
        "metrics, or per metric: valuation=0.1,revenue=0.02,*=0.01.")] = "0",
    output: OutputOption = None,
    fmt: FormatOption = None,
    excel: ExcelOption = False,
    fail_on_conflict: Annotated[bool, typer.Option(
        "--fail-on-conflict", help="Exit with status 1 when any group conflicts (for pipelines).")] = False,
    quiet: QuietOption = False,
) -> None:
    """Group the facts of several sources and say where they agree or conflict.

    Example: zfacts compare out/facts.parquet --by subject,metric
    """
    from ..review.compare import STATUS_ORDER, compare_facts, parse_tolerance, timelines
    from ..review.render import COMPARE_SCHEMA, show_comparison

    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    unknown = [k for k in keys if k not in SCHEMA.names and k != "period"]
    if unknown:
        raise typer.BadParameter(f"unknown columns {unknown}", param_hint="--by")
    try:
        tolerances = parse_tolerance(tolerance)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--tolerance") from None
    refuse_input_as_output(output, facts)
    table = read_tables_or_exit(facts)
    result = compare_facts(table, keys, tolerances)
    if _emit(result, COMPARE_SCHEMA, output, fmt, excel):
        counts = result.drop_duplicates("group")["status"].value_counts().to_dict() if len(result) else {}
        if not quiet:
            err.print("groups: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUS_ORDER), markup=False)
    else:
        show_comparison(result, timelines(result), Console(highlight=False))
    if fail_on_conflict and (result["status"] == "conflict").any():
        raise typer.Exit(1)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier fact table.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later fact table.")],
    output: OutputOption = None,
    fmt: FormatOption = None,
    excel: ExcelOption = False,
    quiet: QuietOption = False,
) -> None:
    """Rows added, removed and changed between two fact tables; exit 1 when they differ.

    Example: zfacts diff before.parquet after.parquet -o changes.csv
    """
    from ..review.diff import diff_tables
    from ..review.render import DIFF_SCHEMA, show_diff

    refuse_input_as_output(output, [old, new])
    changes, summary = diff_tables(_read_or_exit(old), _read_or_exit(new))
    if output is not None or fmt is not None or excel or not sys.stdout.isatty():
        _emit(changes, DIFF_SCHEMA, output, fmt, excel)
    else:
        show_diff(changes, Console(highlight=False))
    if not quiet:
        err.print(f"{summary.added} added, {summary.removed} removed, {summary.changed} changed", markup=False)
    if not summary.equal:
        raise typer.Exit(1)
