"""zfacts extract: articles in, fact table out."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ..enrich.fx import RateTable
from ..ingest.read import MissingPath, find_files
from ..pipeline import Skipped, extract_paths
from ..table.schema import DISPLAY_SCHEMA, SCHEMA, to_row, to_text
from ..table.units import UnitError, parse_display_unit, to_display
from ..table.write import FORMATS, format_for, open_writer
from .common import RulesOption, app, err, load_rules_or_exit, parse_published


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (*.txt, *.md, *.markdown, recursively).")],
    output: Annotated[Optional[list[Path]], typer.Option(
        "-o", "--output", help="Output file; the extension picks the format. Repeatable.")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="csv, jsonl or parquet (default: from -o, else csv).")] = None,
    published: Annotated[Optional[str], typer.Option(
        "--published", help="Publication date YYYY-MM-DD for articles whose own date is unknown.")] = None,
    rules: RulesOption = None,
    money_unit: Annotated[Optional[str], typer.Option(
        "--money-unit", help="Add value_display/unit_display columns in this unit: 亿元, 万美元, USD ...")] = None,
) -> None:
    """Write the fact table of the articles under PATHS.

    Example: zfacts extract data/seeds/ -o out/facts.parquet -o out/facts.csv
    """
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    pub = parse_published(published)
    ruleset = load_rules_or_exit(rules)
    try:
        files = find_files(paths)
    except MissingPath as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None

    display = None
    if money_unit:
        try:
            display = parse_display_unit(money_unit, ruleset)
        except UnitError as e:
            raise typer.BadParameter(str(e), param_hint="--money-unit") from None
    schema = DISPLAY_SCHEMA if display else SCHEMA
    targets = output or [None]
    to_terminal = output is None and sys.stdout.isatty() and fmt is None
    try:
        formats = [format_for(t, fmt) for t in targets]
        writers = [] if to_terminal else [open_writer(t, f, sys.stdout, schema) for t, f in zip(targets, formats)]
    except ValueError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    rates = RateTable.shipped()
    shown: list[dict] = []
    counts: list[tuple[str, int]] = []
    skipped: list[Skipped] = []
    # Facts and candidates form no reference cycles: the cyclic collector only
    # costs time here, so it runs once every 200 articles instead of constantly,
    # and never walks the long-lived objects (modules, compiled rules) again.
    gc.disable()
    gc.freeze()
    try:
        with _progress(len(files)) as progress:
            task = progress.add_task("extracting", total=len(files))
            for n, (source, result) in enumerate(extract_paths(paths, ruleset, pub), 1):
                progress.advance(task)
                if n % 200 == 0:
                    gc.collect()
                if isinstance(result, Skipped):
                    skipped.append(result)
                    err.print(f"warning: skipped {source}: {result.reason}", markup=False)
                    continue
                for w in result.warnings:
                    err.print(f"warning: {source}: {w}", markup=False)
                rows = [to_row(f) for f in result.facts]
                if display:
                    for row, f in zip(rows, result.facts):
                        v = to_display(f, display, rates)
                        row["value_display"] = None if v is None else float(v)
                        row["unit_display"] = None if v is None else display.label
                counts.append((source, len(rows)))
                for w in writers:
                    w.write(rows)
                if to_terminal:
                    shown.extend(rows)
        for w in writers:
            w.commit()
    except BaseException:
        for w in writers:
            w.abort()
        raise
    finally:
        gc.unfreeze()
        gc.enable()

    if to_terminal:
        _print_table(shown)
    _summary(counts, skipped, [t for t in targets if t is not None])
    if skipped:
        raise typer.Exit(1)


def _progress(total: int) -> Progress:
    # stderr only, and only on a terminal; redirect_stdout=False keeps
    # `zfacts extract ... > out.csv` writing rows to the file, not the screen.
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, redirect_stdout=False, redirect_stderr=False,
                    disable=not sys.stderr.isatty() or total < 2)


def _print_table(rows: list[dict]) -> None:
    cols = ["source", "kind", "metric", "subject", "text", "value", "low", "high", "qualifier", "unit", "per",
            "as_of", "line"]
    table = Table(*cols, show_lines=False)
    for r in rows:
        table.add_row(*(to_text(r[c]) for c in cols))
    Console().print(table)


def _summary(counts: list[tuple[str, int]], skipped: list[Skipped], targets: list[Path]) -> None:
    # One print: rich asks the terminal for its size on every call.
    if counts:
        err.print("\n".join(f"{n:5d} facts  {source}" for source, n in counts), markup=False)
    total = sum(n for _, n in counts)
    read = len(counts)
    tail = f", {len(skipped)} skipped" if skipped else ""
    where = (" -> " + ", ".join(str(t) for t in targets)) if targets else ""
    err.print(f"{total} facts from {read + len(skipped)} files: {read} read{tail}{where}", markup=False)
