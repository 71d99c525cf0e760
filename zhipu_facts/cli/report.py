"""zfacts report: fact tables (and their articles) in, one self-contained HTML file out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..table.write import write_text
from .common import (
    FactTablesArgument,
    QuietOption,
    RulesOption,
    app,
    count,
    err,
    load_rules_or_exit,
    output_error,
    refuse_input_as_output,
)


@app.command()
def report(
    facts: FactTablesArgument,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE",
                                         help="The HTML file to write (report.html).")],
    sources: Annotated[Optional[list[Path]], typer.Option(
        "--sources", help="The articles the tables came from (files or folders, as given to extract), "
        "to show each fact in its article. Repeatable.")] = None,
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = "zfacts report",
    rules: RulesOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write one HTML file that shows the facts in their articles, the comparisons and the timelines.

    Example: zfacts report out/facts.parquet --sources data/seeds/ -o out/report.html
    """
    from ..ingest.read import InputError
    from ..review.report import build_report, load_articles
    from .tables import read_tables_or_exit

    if output.suffix.lower() not in (".html", ".htm"):
        raise typer.BadParameter(f"{output} is no .html file", param_hint="-o")
    refuse_input_as_output(output, [*facts, *(sources or [])])
    table = read_tables_or_exit(facts)
    articles: dict = {}
    if sources:
        try:
            articles, problems = load_articles(sources, load_rules_or_exit(rules))
        except InputError as e:
            err.print(f"error: {e}", markup=False)
            raise typer.Exit(2) from None
        for p in problems:
            err.print(f"warning: {p}", markup=False)
    page = build_report(table, articles, title)
    try:
        write_text(output, page)
    except OSError as e:
        err.print(f"error: {output_error(e, [output])}", markup=False)
        raise typer.Exit(2) from None
    shown = sum(1 for s in table["source"].astype(str).unique() if s in articles)
    if not quiet:
        err.print(f"{count(len(table), 'fact')} of {count(table['source'].nunique(), 'article')} ({shown} with their "
                  f"text) -> {output} ({len(page.encode('utf-8')) / 1e6:.1f} MB)", markup=False)
