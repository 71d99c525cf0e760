"""Commands for rule authors: rules check, rules list, explain."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..enrich.fx import user_rates
from ..pipeline import analyze
from .common import ReadableHelp, RulesOption, app, count, err, load_rules_or_exit, parse_published

rules_app = typer.Typer(cls=ReadableHelp, no_args_is_help=True, help="Check and list the rule files.")
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def rules_check(
    folder: Annotated[Optional[Path], typer.Argument(help="A rule folder to check on top of the shipped rules.")] = None,
) -> None:
    """Validate every rule file, time each pattern and trigger on adversarial text, run every example.

    Example: zfacts rules check my_rules/
    """
    # Delayed: the checks read the rule schema (pydantic), which no other command needs at start-up.
    from ..authoring.examples import run_examples
    from ..authoring.safety import check_clean_share, check_speed

    ruleset = load_rules_or_exit([folder] if folder else None)
    slow = check_speed(ruleset)
    for s in slow:
        err.print(f"slow: {s}", markup=False)
    greedy = check_clean_share(ruleset)
    for g in greedy:
        err.print(f"greedy: {g}", markup=False)
    results = run_examples(ruleset)
    failed = [r for r in results if not r.ok]
    for r in failed:
        err.print(f"fail: {r}", markup=False)
    n_rules = len(ruleset.rules)
    err.print(f"{count(n_rules, 'rule')}, {count(len(results), 'example')}: {len(results) - len(failed)} passed, "
              f"{len(failed)} failed; {len(slow)} slow patterns or triggers; "
              f"{count(len(greedy), 'greedy clean rule')}", markup=False)
    if failed or slow or greedy:
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
    published: Annotated[Optional[str], typer.Option("--published", metavar="DATE",
                                                     help="Publication date YYYY-MM-DD.")] = None,
    rules: RulesOption = None,
) -> None:
    """Show what each rule matched in TEXT, which overlapping match won and why, and the values.

    Example: zfacts explain "去年年底,智谱完成了30亿元融资" --published 2025-02-11
    """
    ruleset = load_rules_or_exit(rules)
    try:
        user_rates()  # a rate file that cannot be read: an error naming it, never a traceback
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="ZFACTS_FX_RATES") from None
    # A lone surrogate (from a broken terminal or shell escape) cannot be
    # printed or encoded: it becomes U+FFFD, one character for one.
    text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    analysis = analyze(text, ruleset, published=parse_published(published))
    out = Console(soft_wrap=True, highlight=False)
    view = analysis.cleaned.view.text
    if view != text:
        out.print(f"rules see: {view}", markup=False)
    if analysis.header.partial is not None:
        out.print(f"published: {analysis.header.published_partial} (a dateline whose year nothing gives: its "
                  f"relative and year-less dates keep as_of empty, flagged unresolved_date)", markup=False)
    chosen = {id(c) for c in analysis.chosen}
    for c in sorted(analysis.candidates, key=lambda c: (c.start, -c.length)):
        status = "won" if id(c) in chosen else "lost to " + _winner(c, analysis.chosen)
        groups = ", ".join(f"{k}={v!r}" for k, v in c.groups.items() if v)
        out.print(f"[{c.start}:{c.end}] {view[c.start:c.end]!r}  {c.rule.id} (priority {c.rule.priority}): {status}",
                  markup=False)
        out.print(f"    groups: {groups}", markup=False)
    for f in analysis.facts:
        r = f
        values = {k: getattr(r, k) for k in ("value", "low", "high", "qualifier", "unit", "per", "change", "basis",
                                              "as_of", "metric", "subject")}
        shown = ", ".join(f"{k}={_plain(v)}" for k, v in values.items() if v is not None)
        flags = f" flags={';'.join(sorted(r.flags))}" if r.flags else ""
        out.print(f"fact {f.kind} {f.text!r} [{f.start}:{f.end}]: {shown}{flags}  ({f.rule})", markup=False)
        for name, how in (f.why or {}).items():
            out.print(f"    {name}: {how}", markup=False)
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
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return str(v)
