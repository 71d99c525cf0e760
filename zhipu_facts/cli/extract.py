"""zfacts extract: articles in, fact table out."""

from __future__ import annotations

import os
import signal
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

from ..api import Article, Summary, check_locale, extract_files, write_table
from ..ingest.collections import INPUT_FORMATS, Fields
from ..ingest.read import InputError, find_files
from ..table.formats import FORMATS, format_for
from ..table.schema import to_rows, to_text
from ..table.units import UnitError, parse_display_unit
from .common import (
    ExcelOption,
    RulesOption,
    app,
    err,
    load_rules_or_exit,
    parse_published,
)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(
        help="Article files or folders (*.txt, *.md, *.markdown, web pages *.html *.htm *.shtml, recursively), "
        "collections named directly "
        "(*.jsonl, *.ndjson, *.csv, *.parquet: one article per record), or - for standard input.")],
    output: Annotated[Optional[list[Path]], typer.Option(
        "-o", "--output", help="Output file; the extension picks the format. Repeatable.")] = None,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", help="csv, excel, jsonl, json or parquet (default: from -o, else csv).")] = None,
    excel: ExcelOption = False,
    published: Annotated[Optional[str], typer.Option(
        "--published", help="Publication date YYYY-MM-DD for articles whose own date is unknown.")] = None,
    rules: RulesOption = None,
    money_unit: Annotated[Optional[str], typer.Option(
        "--money-unit", help="Add value_display/unit_display columns in this unit: 亿元, 万美元, USD ...")] = None,
    locale: Annotated[Optional[str], typer.Option(
        "--locale", help="zh-CN, zh-TW or zh-HK for every article: what a bare 元 means (default: each article's own).")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No line per article; warnings and the total only.")] = False,
    input_format: Annotated[Optional[str], typer.Option(
        "--input-format", help="How to read the files named (and -): text, html (a web page: its article), "
        "or a collection of one article per record: jsonl, csv, parquet (default: by extension).")] = None,
    text_field: Annotated[Optional[str], typer.Option(
        "--text-field", help="A collection's text field (default: text, content or body).")] = None,
    id_field: Annotated[Optional[str], typer.Option(
        "--id-field", help="A collection's record name, the facts' source (default: id or url; else FILE#N).")] = None,
    published_field: Annotated[Optional[str], typer.Option(
        "--published-field", help="A collection's date field (default: published, date, publish_time, pubdate).")] = None,
    html_field: Annotated[Optional[str], typer.Option(
        "--html-field", help="A collection's saved-page field, read as a web page (default: html, where a "
        "record has no text).")] = None,
    url_field: Annotated[Optional[str], typer.Option(
        "--url-field", help="A collection's URL field: a date in it dates the article (default: url).")] = None,
    jobs: Annotated[int, typer.Option(
        "-j", "--jobs", help="Processes to spread the articles over (0: one per core). Output is the same.")] = 1,
    dask: Annotated[Optional[str], typer.Option(
        "--dask", help="Run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for worker "
        "processes here; -o names a new or empty folder of Parquet parts.")] = None,
    batch: Annotated[int, typer.Option("--batch", help="Articles per Dask task (at least 1; default 50).")] = 50,
    dask_workers: Annotated[int, typer.Option(
        "--dask-workers", help="Worker processes of --dask local (default 2).")] = 2,
    task_timeout: Annotated[float, typer.Option(
        "--task-timeout", help="Seconds without any Dask batch finishing before those in flight are given "
        "up (default 600).")] = 600.0,
    verbose: Annotated[bool, typer.Option(
        "-v", "--verbose", help="A line per article even when stderr is no terminal (on one, that is the default).")] = False,
) -> None:
    """Write the fact table of the articles under PATHS.

    Example: zfacts extract data/seeds/ -o out/facts.parquet -o out/facts.csv
    """
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}; choose one of {', '.join(FORMATS)}", param_hint="--format")
    if quiet and verbose:
        raise typer.BadParameter("-q and -v ask for opposite things; give one", param_hint="-q/-v")
    # A line per article on a terminal, where a person watches; in a log or a
    # pipeline 1,000 articles would be 1,000 lines, so there only with -v.
    per_article = verbose or (not quiet and sys.stderr.isatty())
    if jobs < 0:
        raise typer.BadParameter(f"{jobs}; give 0 (one per core) or a number of processes", param_hint="--jobs")
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise typer.BadParameter(f"{input_format!r}; choose one of {', '.join(INPUT_FORMATS)}",
                                 param_hint="--input-format")
    fields = Fields.given(text_field, id_field, published_field, html_field, url_field)
    pub = parse_published(published)
    ruleset = load_rules_or_exit(rules)
    try:
        check_locale(locale, ruleset)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--locale") from None
    try:
        files = find_files(paths)
    except InputError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    display = None
    if money_unit:
        try:
            display = parse_display_unit(money_unit, ruleset)
        except UnitError as e:
            raise typer.BadParameter(str(e), param_hint="--money-unit") from None
    if dask is not None:
        _on_cluster(files, dask, output, fmt, rules, pub, locale, input_format, fields, batch, dask_workers,
                    task_timeout, per_article)
        return
    targets: list[Path | None] = list(output or [None])
    to_terminal = output is None and sys.stdout.isatty() and fmt is None and not excel
    try:
        for t in targets:
            format_for(t, fmt)
    except ValueError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    inputs = {os.path.realpath(p) for p, _ in files}
    for t in targets:
        if t is not None and os.path.realpath(t) in inputs:
            err.print(f"error: the output {t} is one of the articles to read; choose another file", markup=False)
            raise typer.Exit(2)

    # SIGTERM and SIGHUP end the run like Ctrl-C: every temporary file is
    # removed and the previous outputs stay as they were.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)
    screen = Console() if to_terminal else None
    with _progress(len(files)) as progress:
        task = progress.add_task("extracting", total=len(files))

        def report(article: Article) -> None:
            progress.advance(task)
            if article.skipped is not None:
                err.print(f"warning: skipped {article.source}: {article.skipped}", markup=False)
                return
            for w in article.warnings:
                err.print(f"warning: {article.source}: {w}", markup=False)
            line = f"{len(article.facts):5d} facts  {article.source}"
            if not per_article:
                pass
            elif progress.live.is_started:
                progress.console.print(line, markup=False, highlight=False)
            else:
                # A plain write: rich would ask the terminal for its size on every line.
                sys.stderr.write(line + "\n")
            if screen is not None:
                _print_table(screen, article, display)

        # Streamed: a long article's facts are written a section at a time (a
        # table on the terminal is printed from the article's whole list).
        articles = extract_files(files, published=pub, rules=ruleset, locale=locale, jobs=jobs,
                                 input_format=input_format, fields=fields, stream=not to_terminal)
        try:
            summary = write_table(articles, [] if to_terminal else targets, fmt=fmt, excel=excel, display=display,
                                  stream=sys.stdout, on_article=report)
        except BrokenPipeError:
            # `zfacts extract ... | head`: the reader has what it wanted; not an error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except (ValueError, OSError) as e:
            err.print(f"error: {e}", markup=False)
            raise typer.Exit(2) from None
    _summary(summary, [t for t in targets if t is not None])
    if summary.skipped or summary.timeouts:
        raise typer.Exit(1)


def _on_cluster(files, address: str, output, fmt, rules, pub, locale, input_format, fields, batch: int,
                workers: int, timeout: float, per_article: bool) -> None:
    """extract --dask: batches to a cluster, one Parquet part per batch in the -o folder."""
    from ..api import _tasks
    from ..cluster import ClusterError, extract_on_cluster

    if not output or len(output) != 1 or output[0].suffix or (fmt not in (None, "parquet")):
        raise typer.BadParameter("with --dask give one -o FOLDER (no extension): it gets a Parquet part per batch",
                                 param_hint="-o")
    if batch < 1 or workers < 1 or timeout <= 0:
        raise typer.BadParameter("--batch and --dask-workers must be at least 1, --task-timeout above 0",
                                 param_hint="--batch")
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        err.print("error: --dask needs Dask: pip install 'zhipu-facts[dask]'", markup=False)
        raise typer.Exit(2) from None
    summary = Summary()

    def report(r) -> None:
        for source, why in r.skipped:
            err.print(f"warning: skipped {source}: {why}", markup=False)
        for source, w in r.warnings:
            err.print(f"warning: {source}: {w}", markup=False)
        if per_article:
            err.print(f"{r.facts:5d} facts  batch {r.index} ({r.read} articles)", markup=False)

    try:
        results = extract_on_cluster(_tasks(files, input_format, fields), output[0], address=address,
                                     published=pub, locale=locale, rule_dirs=tuple(str(d) for d in rules or ()),
                                     batch=batch, workers=workers, timeout=timeout, on_batch=report)
    except ClusterError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    for r in results:
        summary.read += r.read
        summary.facts += r.facts
        summary.undated += r.undated
        summary.timeouts += r.timeouts
        summary.skipped.extend(s for s, _ in r.skipped)
    _summary(summary, [output[0]])
    if summary.skipped or summary.timeouts:
        raise typer.Exit(1)


def _stop(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _progress(total: int) -> Progress:
    # stderr only, and only on a terminal; redirect_stdout=False keeps
    # `zfacts extract ... > out.csv` writing rows to the file, not the screen.
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, redirect_stdout=False, redirect_stderr=False,
                    disable=not sys.stderr.isatty() or total < 2)


_SHOWN = ["kind", "metric", "subject", "text", "value", "low", "high", "qualifier", "unit", "per", "as_of", "line"]


def _print_table(screen: Console, article: Article, display) -> None:
    """One table per article, as it is extracted: nothing is kept for the end."""
    if not article.facts:
        return
    table = Table(*_SHOWN, title=article.source, show_lines=False)
    for r in to_rows(article.facts, display):
        table.add_row(*(to_text(r[c]) for c in _SHOWN))
    screen.print(table)


def _summary(summary: Summary, targets: list[Path]) -> None:
    tail = f", {len(summary.skipped)} skipped" if summary.skipped else ""
    where = (" -> " + ", ".join(str(t) for t in targets)) if targets else ""
    err.print(f"{summary.facts} facts from {summary.read + len(summary.skipped)} articles: {summary.read} read{tail}"
              f"{where}", markup=False)
    if summary.timeouts:
        err.print(f"{summary.timeouts} rule timeouts (see the warnings): those rules lost their facts from that "
                  f"point of those articles; `zfacts rules check` finds such rules", markup=False)
    if summary.undated:
        err.print(f"{summary.undated} of them had no publication date, so their relative dates (今年, 上个月) are "
                  f"unresolved: give one in front matter (date: 2024-10-04), in the file name (2024-10-04-x.txt), "
                  f"or with --published", markup=False)
