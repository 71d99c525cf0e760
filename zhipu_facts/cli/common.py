"""What the zfacts commands share: the app, stderr, options, rule loading."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from typer.core import TyperArgument, TyperGroup
from rich.console import Console

from ..engine.rules import RuleError, RuleSet, load_rules
from ..table.formats import format_help, tables_help, writable
from ..table.readable import count  # noqa: F401  (the commands' counts)

class ReadableHelp(TyperGroup):
    """Commands whose --help shows placeholders a person reads (PATH, FILE, N, DATE), never
    `<list[Path]>` or `<bool>`: an option names its own (metavar=...), and one that does not gets
    its type's; a switch gets none, for it takes no value."""

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None and not isinstance(command, TyperGroup):
            for param in (*command.params, command.get_help_option(ctx)):
                if param is not None and param.metavar is None:
                    param.metavar = _placeholder(param)
                if isinstance(param, TyperArgument):  # its name column shows the placeholder: no type beside it
                    param.display_type_rich = lambda ctx: None
        return command


#: The placeholder of a value by its Python type, where an option names none.
PLACEHOLDERS = {"Path": "PATH", "int": "N", "float": "NUMBER", "str": "TEXT", "bool": ""}


def _placeholder(param) -> str:
    if getattr(param, "is_flag", False):
        return ""
    bare = param.bare_type() if hasattr(param, "bare_type") else "str"
    return PLACEHOLDERS.get(bare.removeprefix("list[").removesuffix("]"), "TEXT")


app = typer.Typer(cls=ReadableHelp, add_completion=False, no_args_is_help=True,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Extract financial facts (money, percentages, quantities, dates) from Chinese news.")
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        from ..core.version import __version__

        typer.echo(f"zfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Extract financial facts (money, percentages, quantities, dates) from Chinese news."""


RulesOption = Annotated[Optional[list[Path]], typer.Option(
    "--rules", metavar="DIR", help="Extra rule folder laid over the shipped rules (same id replaces). Repeatable.")]
OutputOption = Annotated[Optional[Path], typer.Option(
    "-o", "--output", metavar="FILE", help=f"Write the table to this file ({writable()}) instead of showing it.")]
FormatOption = Annotated[Optional[str], typer.Option("--format", metavar="FORMAT", help=f"{format_help()}.")]
FactTablesArgument = Annotated[list[Path], typer.Argument(metavar="TABLE", help=tables_help())]
QuietOption = Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing but warnings and errors.")]
ExcelOption = Annotated[bool, typer.Option(
    "--excel", help="CSV for Excel: a UTF-8 byte-order mark first, so Chinese is not shown as mojibake.")]


def parse_published(value: Optional[str]) -> Optional[dt.date]:
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
        exit_for_rules(e)


def exit_for_rules(e: RuleError) -> NoReturn:
    """Every problem of rules that cannot be loaded, then exit 2."""
    err.print(f"[red]error:[/red] {len(e.problems)} problem(s) in the rules:", markup=True)
    for p in e.problems:
        err.print(f"  {p}", markup=False)
    raise typer.Exit(2) from None


def refuse_input_as_output(output: Optional[Path], inputs: list[Path]) -> None:
    """Exit 2, before anything is read, when the output would replace one of the inputs or land in a
    folder read as a table (a folder of Parquet parts): the run would destroy what it reads."""
    if output is None:
        return
    target = os.path.realpath(output)
    for p in inputs:
        if not p.exists():
            continue
        source = os.path.realpath(p)
        if target == source or (p.is_dir() and target.startswith(source.rstrip(os.sep) + os.sep)):
            err.print(f"error: the output {output} is one of the inputs ({p}); write it elsewhere", markup=False)
            raise typer.Exit(2)


def output_error(e: OSError, outputs: list[Optional[Path]]) -> str:
    """`cannot write OUTPUT: reason`, naming the path the user gave, never the temporary file beside
    it that the writers fill first (`.facts.csv.x9gtjmvh.tmp`)."""
    name = os.path.basename(str(e.filename)) if e.filename else ""
    given = [t for t in outputs if t is not None]
    for t in given:
        if name == t.name or (name.startswith(f".{t.name}.") and name.endswith(".tmp")):
            return f"cannot write {t}: {e.strerror or e}"
    where = f" ({e.filename})" if e.filename else ""  # a folder on the way, say, that is a file
    return f"cannot write {', '.join(map(str, given)) or 'the output'}: {e.strerror or e}{where}"
