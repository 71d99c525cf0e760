"""zfacts extract: articles in, fact table out. Option parsing around the
library (find_files, ExtractOptions, extract_files, write_table; the
cluster driver for --dask); the formats' names and help come from their
registries (ingest/formats.py, table/formats.py)."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ..api import Article, Summary, check_outputs, extract_files, write_table
from ..cluster import BatchResult, ClusterError, extract_on_cluster, summary_of
from ..core.rule import RuleError
from ..ingest.collections import Fields
from ..ingest.formats import input_format_help, paths_help
from ..ingest.read import InputError, find_files
from ..options import ExtractOptions, OptionError
from ..table.formats import PARTS, check_choice, format_help
from ..table.schema import to_rows, to_text
from ..table.readable import magnitude_number
from ..table.units import DisplayUnit, UnitError, parse_display_unit
from .common import ExcelOption, RulesOption, app, count, err, exit_for_rules, output_error

def _option(*names: str, help: str, kind: Any = Optional[str], metavar: str | None = None) -> Any:
    """An option; `metavar` is its value's placeholder in --help (else its type's: TEXT, N, PATH)."""
    return Annotated[kind, typer.Option(*names, help=help, metavar=metavar)]


# What is read, and how.
PathsArgument = Annotated[list[Path], typer.Argument(help=paths_help())]
InputFormatOption = _option("--input-format", help=input_format_help(), metavar="FORMAT")
TextFieldOption = _option("--text-field", help="A collection's text field (default: text, content or body).",
                          metavar="NAME")
IdFieldOption = _option("--id-field", help="A collection's record name, the facts' source (default: id or url; "
                        "else FILE#N).", metavar="NAME")
PublishedFieldOption = _option("--published-field", help="A collection's date field (default: published, date, "
                               "publish_time, pubdate).", metavar="NAME")
HtmlFieldOption = _option("--html-field", help="A collection's saved-page field, read as a web page (default: "
                          "html, where a record has no text).", metavar="NAME")
UrlFieldOption = _option("--url-field", help="A collection's URL field: a date in it dates the article "
                         "(default: url).", metavar="NAME")
# What is written.
OutputsOption = _option("-o", "--output", help="Output file; the extension picks the format. Repeatable.",
                        kind=Optional[list[Path]], metavar="FILE")
FormatOption = _option("--format", help=f"{format_help()} (default: from -o, else csv).", metavar="FORMAT")
MoneyUnitOption = _option("--money-unit", help="Add value_display/unit_display columns in this unit: 亿元, 万美元, "
                          "USD ...", metavar="UNIT")
# Dates and currencies.
PublishedOption = _option("--published", help="Publication date YYYY-MM-DD for articles whose own date is unknown.",
                          metavar="DATE")
LocaleOption = _option("--locale", help="zh-CN, zh-TW or zh-HK for every article: what a bare 元 means (default: "
                       "each article's own).", metavar="LOCALE")
# The run: processes, and what it says.
JobsOption = _option("-j", "--jobs", help="Processes to spread the articles over (0: one per core). Output is the "
                     "same.", kind=int)
QuietOption = _option("-q", "--quiet", help="Print nothing but warnings and errors.", kind=bool)
VerboseOption = _option("-v", "--verbose", help="A line per article even when stderr is no terminal (on one, that "
                        "is the default).", kind=bool)
# On a Dask cluster.
DaskOption = _option("--dask", help="Run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for "
                     "worker processes here; -o names a new or empty folder of Parquet parts.", metavar="ADDRESS")
BatchOption = _option("--batch", help="Articles per Dask task (at least 1; default 50).", kind=int)
DaskWorkersOption = _option("--dask-workers", help="Worker processes of --dask local (default 2).", kind=int)
TaskTimeoutOption = _option("--task-timeout", help="Seconds without any Dask batch finishing before those in "
                            "flight are given up (default 600).", kind=float, metavar="SECONDS")


@app.command()
def extract(paths: PathsArgument, output: OutputsOption = None, fmt: FormatOption = None, excel: ExcelOption = False,
            published: PublishedOption = None, rules: RulesOption = None, money_unit: MoneyUnitOption = None,
            locale: LocaleOption = None, quiet: QuietOption = False, input_format: InputFormatOption = None,
            text_field: TextFieldOption = None, id_field: IdFieldOption = None,
            published_field: PublishedFieldOption = None, html_field: HtmlFieldOption = None,
            url_field: UrlFieldOption = None, jobs: JobsOption = 1, dask: DaskOption = None, batch: BatchOption = 50,
            dask_workers: DaskWorkersOption = 2, task_timeout: TaskTimeoutOption = 600.0,
            verbose: VerboseOption = False) -> None:
    """Write the fact table of the articles under PATHS.

    Example: zfacts extract data/seeds/ -o out/facts.parquet -o out/facts.csv
    """
    _or_bad_parameter(check_choice, fmt, hint="--format")
    per_article = _per_article(quiet, verbose)
    fields = Fields.given(text_field, id_field, published_field, html_field, url_field)
    options = _options(published=published, locale=locale, input_format=input_format, fields=fields, jobs=jobs,
                       rule_dirs=tuple(rules or ()))
    files = _or_exit(find_files, paths)
    display = (_or_bad_parameter(parse_display_unit, money_unit, options.ruleset, hint="--money-unit")
               if money_unit else None)
    if dask is not None:
        summary, targets = _on_cluster(files, options, dask, output, fmt, batch, dask_workers, task_timeout,
                                       per_article)
    else:
        summary, targets = _write(files, options, list(output or [None]), fmt, excel, display, per_article)
    report_summary(summary, [t for t in targets if t is not None], quiet)


def _per_article(quiet: bool, verbose: bool) -> bool:
    """A line per article on a terminal, where a person watches; in a log or a
    pipeline 1,000 articles would be 1,000 lines, so there only with -v."""
    if quiet and verbose:
        raise typer.BadParameter("-q and -v ask for opposite things; give one", param_hint="-q/-v")
    return verbose or (not quiet and sys.stderr.isatty())


def _options(**given) -> ExtractOptions:
    try:
        return ExtractOptions(**given)
    except OptionError as e:
        raise typer.BadParameter(str(e), param_hint=e.option) from None
    except RuleError as e:
        exit_for_rules(e)


def _or_bad_parameter(check: Callable, *args, hint: str):
    try:
        return check(*args)
    except (ValueError, UnitError) as e:
        raise typer.BadParameter(str(e), param_hint=hint) from None


def _or_exit(check: Callable, *args):
    """check(*args), or its InputError or ValueError as `error: ...`, exit 2."""
    try:
        return check(*args)
    except (InputError, ValueError) as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None


def _write(files: list[tuple[Path, str]], options: ExtractOptions, targets: list[Path | None], fmt: str | None,
           excel: bool, display: DisplayUnit | None, per_article: bool) -> tuple[Summary, list[Path | None]]:
    """The run in this process (over --jobs processes): the table to every target."""
    to_terminal = targets == [None] and sys.stdout.isatty() and fmt is None and not excel
    _or_exit(check_outputs, files, targets, fmt)
    # SIGTERM and SIGHUP end the run like Ctrl-C: every temporary file is
    # removed and the previous outputs stay as they were.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)
    with _progress(len(files)) as progress:
        # Streamed: a long article's facts are written a section at a time (a
        # table on the terminal is printed from the article's whole list).
        articles = extract_files(files, dataclasses.replace(options, stream=not to_terminal))
        seen = _reporter(progress, progress.add_task("extracting", total=len(files)), per_article,
                         Console() if to_terminal else None, display)
        try:
            summary = write_table(articles, [] if to_terminal else targets, fmt=fmt, excel=excel, display=display,
                                  stream=sys.stdout, on_article=seen)
        except BrokenPipeError:
            # `zfacts extract ... | head`: the reader has what it wanted; not an error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except ValueError as e:
            err.print(f"error: {e}", markup=False)
            raise typer.Exit(2) from None
        except OSError as e:
            err.print(f"error: {output_error(e, targets)}", markup=False)
            raise typer.Exit(2) from None
    return summary, targets


def _reporter(progress: Progress, task: TaskID, per_article: bool, screen: Console | None,
              display: DisplayUnit | None) -> Callable[[Article], None]:
    """What is shown of each article as it is written: its warnings, its line, its table on a terminal."""

    def report(article: Article) -> None:
        progress.advance(task)
        if article.skipped is not None:
            err.print(f"warning: skipped {article.source}: {article.skipped}", markup=False)
            return
        for w in article.warnings:
            err.print(f"warning: {article.source}: {w}", markup=False)
        line = f"{len(article.facts):5d} {'fact ' if len(article.facts) == 1 else 'facts'}  {article.source}"
        if not per_article:
            pass
        elif progress.live.is_started:
            progress.console.print(line, markup=False, highlight=False)
        else:
            # A plain write: rich would ask the terminal for its size on every line.
            sys.stderr.write(line + "\n")
        if screen is not None:
            _print_table(screen, article, display)

    return report


def _on_cluster(files: list[tuple[Path, str]], options: ExtractOptions, address: str, output: list[Path] | None,
                fmt: str | None, batch: int, workers: int, timeout: float,
                per_article: bool) -> tuple[Summary, list[Path]]:
    """extract --dask: batches to a cluster, one Parquet part per batch in the -o folder."""
    if not output or len(output) != 1 or output[0].suffix or (fmt not in (None, PARTS.parts_of)):
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

    def report(r: BatchResult) -> None:
        for source, why in r.skipped:
            err.print(f"warning: skipped {source}: {why}", markup=False)
        for source, w in r.warnings:
            err.print(f"warning: {source}: {w}", markup=False)
        if per_article:
            err.print(f"{r.facts:5d} {'fact ' if r.facts == 1 else 'facts'}  batch {r.index} "
                      f"({count(r.read, 'article')})", markup=False)

    try:
        results = extract_on_cluster(files, output[0], options, address=address, batch=batch, workers=workers,
                                     timeout=timeout, on_batch=report)
    except ClusterError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    return summary_of(results), output


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
    table = Table(title=article.source, show_lines=False)
    for c in _SHOWN:  # a narrow terminal wraps a cell, never cuts it (6602570…)
        table.add_column(c, overflow="fold", justify="right" if c in _AMOUNTS else "left")
    for r in to_rows(article.facts, display):
        table.add_row(*(magnitude_number(r[c], 6) if c in _AMOUNTS and r[c] is not None else to_text(r[c])
                        for c in _SHOWN))
    screen.print(table)


#: Shown as analysts read them (30亿, 7.10489亿); the table's own values are exact.
_AMOUNTS = {"value", "low", "high"}


def report_summary(summary: Summary, targets: list[Path], quiet: bool = False) -> None:
    """The run's last lines (with -q only the warning among them); exit 1 when an article was
    skipped or a rule timed out."""
    tail = f", {len(summary.skipped)} skipped" if summary.skipped else ""
    where = (" -> " + ", ".join(str(t) for t in targets)) if targets else ""
    if not quiet:
        err.print(f"{count(summary.facts, 'fact')} from {count(summary.read + len(summary.skipped), 'article')}: "
                  f"{summary.read} read{tail}{where}", markup=False)
    if summary.timeouts:
        err.print(f"warning: {count(summary.timeouts, 'rule timeout')} (see the warnings above): those rules lost "
                  f"their facts from that point of those articles; `zfacts rules check` finds such rules",
                  markup=False)
    if summary.undated and not quiet:
        err.print(f"{summary.undated} of them had no publication date, so their relative dates (今年, 上个月) are "
                  f"unresolved: give one in front matter (date: 2024-10-04), in the file name (2024-10-04-x.txt), "
                  f"or with --published", markup=False)
    if summary.skipped or summary.timeouts:
        raise typer.Exit(1)
