"""The zfacts command line: thin commands over the library.

Errors the user can act on (missing path, bad rule file, unreadable article)
become one clear message and an exit status; no traceback reaches the user.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .examples import run_examples
from .pipeline import Skipped, analyze, extract_paths
from .safety import check_speed
from .read import MissingPath, find_files
from .rules import RuleError, RuleSet, load_rules
from .fx import RateTable
from .table import DISPLAY_SCHEMA, SCHEMA, to_row, to_text
from .units import UnitError, parse_display_unit, to_display
from .write import FORMATS, format_for, open_writer, write_frame

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
    money_unit: Annotated[Optional[str], typer.Option(
        "--money-unit", help="Add value_display/unit_display columns in this unit: 亿元, 万美元, USD ...")] = None,
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
    # costs time here, so it runs once every 200 articles instead of constantly.
    gc.disable()
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


OutputOption = Annotated[Optional[Path], typer.Option(
    "-o", "--output", help="Write the table to this file (.csv, .jsonl, .parquet) instead of showing it.")]
FormatOption = Annotated[Optional[str], typer.Option("--format", help="csv, jsonl or parquet.")]


def _read_or_exit(path: Path):
    from .readtable import TableError, read_facts  # pandas loads only for compare and diff

    try:
        return read_facts(path)
    except TableError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None


def _emit(df, schema, output: Optional[Path], fmt: Optional[str]) -> bool:
    """Write df to -o or stdout (CSV); False when the caller should render it instead."""
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    if output is None and fmt is None and sys.stdout.isatty():
        return False
    try:
        write_frame(df, schema, output, format_for(output, fmt), sys.stdout)
    except ValueError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    return True


@app.command()
def compare(
    facts: Annotated[list[Path], typer.Argument(help="Fact tables (.csv, .jsonl, .parquet, or folders of .parquet).")],
    by: Annotated[str, typer.Option("--by", help="Columns that make a group.")] = "subject,metric,period",
    tolerance: Annotated[str, typer.Option(
        "--tolerance", help="Extra relative tolerance on top of the stated precision: 0.05 for all "
        "metrics, or per metric: valuation=0.1,revenue=0.02,*=0.01.")] = "0",
    output: OutputOption = None,
    fmt: FormatOption = None,
) -> None:
    """Group the facts of several sources and say where they agree or conflict.

    Example: zfacts compare out/facts.parquet --by subject,metric
    """
    import pandas as pd

    from .compare import STATUS_ORDER, compare_facts, parse_tolerance, timelines
    from .render import COMPARE_SCHEMA, show_comparison

    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    unknown = [k for k in keys if k not in SCHEMA.names and k != "period"]
    if unknown:
        raise typer.BadParameter(f"unknown columns {unknown}", param_hint="--by")
    try:
        tolerances = parse_tolerance(tolerance)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--tolerance") from None
    table = pd.concat([_read_or_exit(p) for p in facts], ignore_index=True)
    result = compare_facts(table, keys, tolerances)
    if _emit(result, COMPARE_SCHEMA, output, fmt):
        counts = result.drop_duplicates("group")["status"].value_counts().to_dict() if len(result) else {}
        err.print("groups: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUS_ORDER), markup=False)
        return
    show_comparison(result, timelines(result), Console(highlight=False))


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier fact table.")],
    new: Annotated[Path, typer.Argument(help="The later fact table.")],
    output: OutputOption = None,
    fmt: FormatOption = None,
) -> None:
    """Rows added, removed and changed between two fact tables; exit 1 when they differ.

    Example: zfacts diff before.parquet after.parquet -o changes.csv
    """
    from .diff import diff_tables
    from .render import DIFF_SCHEMA, show_diff

    changes, summary = diff_tables(_read_or_exit(old), _read_or_exit(new))
    if output is not None or fmt is not None or not sys.stdout.isatty():
        _emit(changes, DIFF_SCHEMA, output, fmt)
    else:
        show_diff(changes, Console(highlight=False))
    err.print(f"{summary.added} added, {summary.removed} removed, {summary.changed} changed", markup=False)
    if not summary.equal:
        raise typer.Exit(1)


rules_app = typer.Typer(no_args_is_help=True, help="Check and list the rule files.")
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def rules_check(
    folder: Annotated[Optional[Path], typer.Argument(help="A rule folder to check on top of the shipped rules.")] = None,
) -> None:
    """Validate every rule file, time each pattern on adversarial text, run every example.

    Example: zfacts rules check my_rules/
    """
    ruleset = load_rules_or_exit([folder] if folder else None)
    slow = check_speed(ruleset)
    for s in slow:
        err.print(f"slow: {s}", markup=False)
    results = run_examples(ruleset)
    failed = [r for r in results if not r.ok]
    for r in failed:
        err.print(f"fail: {r}", markup=False)
    n_rules = len(ruleset.rules)
    err.print(f"{n_rules} rules, {len(results)} examples: {len(results) - len(failed)} passed, "
              f"{len(failed)} failed; {len(slow)} slow patterns", markup=False)
    if failed or slow:
        raise typer.Exit(1)


@rules_app.command("list")
def rules_list(rules: RulesOption = None) -> None:
    """List the rules with their kind, priority, trigger and example counts.

    Example: zfacts rules list --rules my_rules/
    """
    ruleset = load_rules_or_exit(rules)
    header = ("id", "kind", "priority", "trigger", "examples", "negatives", "known_misses", "file")
    rows = [(r.id, r.kind, str(r.priority), "yes" if r.trigger else "", str(len(r.examples)),
             str(len(r.negatives)), str(len(r.known_misses)), _short_path(r.file)) for r in ruleset.rules]
    if not sys.stdout.isatty():
        # Tab-separated for pipes and scripts.
        for row in (header, *rows):
            typer.echo("\t".join(row))
        return
    table = Table(*header)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def _short_path(path: str) -> str:
    parts = Path(path).parts
    return "/".join(parts[-2:])


@app.command()
def explain(
    text: Annotated[str, typer.Argument(help="The text to explain (a sentence or a paragraph).")],
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD.")] = None,
    rules: RulesOption = None,
) -> None:
    """Show what each rule matched in TEXT, which overlapping match won and why, and the values.

    Example: zfacts explain "去年年底,智谱完成了30亿元融资" --published 2025-02-11
    """
    ruleset = load_rules_or_exit(rules)
    analysis = analyze(text, ruleset, published=_published(published))
    out = Console(soft_wrap=True, highlight=False)
    view = analysis.cleaned.view.text
    if view != text:
        out.print(f"rules see: {view}", markup=False)
    chosen = {id(c) for c in analysis.chosen}
    for c in sorted(analysis.candidates, key=lambda c: (c.start, -c.length)):
        status = "won" if id(c) in chosen else "lost to " + _winner(c, analysis.chosen)
        groups = ", ".join(f"{k}={v!r}" for k, v in c.groups.items() if v)
        out.print(f"[{c.start}:{c.end}] {view[c.start:c.end]!r}  {c.rule.id} (priority {c.rule.priority}): {status}",
                  markup=False)
        out.print(f"    groups: {groups}", markup=False)
    for f in analysis.facts:
        r = f.resolved
        values = {k: getattr(r, k) for k in ("value", "low", "high", "qualifier", "unit", "per", "as_of")}
        shown = ", ".join(f"{k}={_plain(v)}" for k, v in values.items() if v is not None)
        flags = f" flags={';'.join(sorted(r.flags))}" if r.flags else ""
        out.print(f"fact {f.kind} {f.text!r} [{f.start}:{f.end}]: {shown}{flags}  ({f.rule})", markup=False)
    for c in analysis.chosen:
        if any(f.rule == c.rule.id and c.start <= f.view_start < c.end for f in analysis.facts):
            continue
        out.print(f"dropped {view[c.start:c.end]!r} ({c.rule.id}): the normalizer found no fact "
                  f"(e.g. a bare amount without money context)", markup=False)
    for w in analysis.warnings:
        out.print(f"warning: {w}", markup=False)
    if not analysis.candidates:
        out.print("no rule matched", markup=False)


def _winner(c, chosen) -> str:
    for w in chosen:
        if w.start < c.end and c.start < w.end:
            reason = "longer" if w.length > c.length else ("higher priority" if w.rule.priority > c.rule.priority else "earlier")
            return f"{w.rule.id} ({reason})"
    return "?"


def _plain(v) -> str:
    from decimal import Decimal

    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return str(v)


def main() -> None:
    app()


__all__ = ["app", "main"]
