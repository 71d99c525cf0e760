"""The zfacts command line: thin commands over the library.

Errors the user can act on (missing path, bad rule file, unreadable article)
become one clear message and an exit status; no traceback reaches the user.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .pipeline import Skipped, extract_paths
from .read import MissingPath, find_files
from .rules import RuleError, RuleSet, load_rules
from .table import COLUMNS, to_row, to_text
from .write import FORMATS, format_for, open_writer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract financial facts (money, percentages, dates) from Chinese news.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

@app.callback()
def _root() -> None:
    """Extract financial facts (money, percentages, dates) from Chinese news."""


RulesOption = Annotated[Optional[list[Path]], typer.Option(
    "--rules", help="Extra rule folder laid over the shipped rules (same id replaces). Repeatable.")]


def _published(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint="--published") from None


def load_rules_or_exit(extra: Optional[list[Path]]) -> RuleSet:
    try:
        return load_rules(extra or [])
    except RuleError as e:
        err.print(f"[red]error:[/red] {len(e.problems)} problem(s) in the rules:", markup=True)
        for p in e.problems:
            err.print(f"  {p}", markup=False)
        raise typer.Exit(2) from None


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (*.txt, *.md, *.markdown, recursively).")],
    output: Annotated[Optional[list[Path]], typer.Option(
        "-o", "--output", help="Output file; the extension picks the format. Repeatable.")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="csv, jsonl or parquet (default: from -o, else csv).")] = None,
    published: Annotated[Optional[str], typer.Option(
        "--published", help="Publication date YYYY-MM-DD for articles whose own date is unknown.")] = None,
    rules: RulesOption = None,
) -> None:
    """Write the fact table of the articles under PATHS.

    Example: zfacts extract data/seeds/ -o out/facts.parquet -o out/facts.csv
    """
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    pub = _published(published)
    ruleset = load_rules_or_exit(rules)
    try:
        files = find_files(paths)
    except MissingPath as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None

    targets = output or [None]
    try:
        formats = [format_for(t, fmt) for t in targets]
    except ValueError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    to_terminal = output is None and sys.stdout.isatty() and fmt is None
    writers = [] if to_terminal else [open_writer(t, f, sys.stdout) for t, f in zip(targets, formats)]
    shown: list[dict] = []
    counts: list[tuple[str, int]] = []
    skipped: list[Skipped] = []
    try:
        with _progress(len(files)) as progress:
            task = progress.add_task("extracting", total=len(files))
            for source, result in extract_paths(paths, ruleset, pub):
                progress.advance(task)
                if isinstance(result, Skipped):
                    skipped.append(result)
                    err.print(f"warning: skipped {source}: {result.reason}", markup=False)
                    continue
                rows = [to_row(f) for f in result]
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
    cols = ["source", "kind", "text", "value", "low", "high", "qualifier", "unit", "per", "as_of", "line"]
    table = Table(*cols, show_lines=False)
    for r in rows:
        table.add_row(*(to_text(r[c]) for c in cols))
    Console().print(table)


def _summary(counts: list[tuple[str, int]], skipped: list[Skipped], targets: list[Path]) -> None:
    for source, n in counts:
        err.print(f"{n:5d} facts  {source}", markup=False)
    total = sum(n for _, n in counts)
    read = len(counts)
    tail = f", {len(skipped)} skipped" if skipped else ""
    where = (" -> " + ", ".join(str(t) for t in targets)) if targets else ""
    err.print(f"{total} facts from {read + len(skipped)} files: {read} read{tail}{where}", markup=False)


def main() -> None:
    app()


__all__ = ["app", "main", "COLUMNS"]
