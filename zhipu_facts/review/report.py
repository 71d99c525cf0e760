"""zfacts report: one self-contained HTML file to look at the facts rather than read rows.

Three parts, all in one file that needs no network when it is opened (styles,
script and charts inline):

- Articles: each article's text with every fact highlighted by kind; hovering
  or focusing a fact shows its values, bounds, CNY value and rate, metric,
  subject, period, rule and flags. Text zfacts cut (boilerplate, bylines) is
  dimmed; a web page shows only the article zfacts read. Each article's
  marked-up text is a JSON string until it is opened (`make bench`: 1,000
  articles and 43,800 facts are ready in about a second).
- Comparisons: `compare`'s groups, conflicts first, each source's sentence,
  CNY value and publication date, what an agreement allows and the spread.
- Timelines: one SVG chart per series of `timelines()` (server-side SVG:
  no charting library to ship or load), a point per source figure at its
  period start; bounds are open triangles with a dashed line towards the
  open side, ranges bars, approximate figures whiskers; money in CNY, the
  figure as written in each point's hover title.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import importlib.resources
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..columns import COLUMNS
from ..kinds import kinds_with
from ..table.readable import count
from .compare import compare_facts, timelines, without_infinities
from .render import allowed_text, amount_text, measure_text

#: What a fact's hover card shows, in this order (declared with the columns: columns.py).
CARD_FIELDS = tuple(c.name for c in sorted((c for c in COLUMNS if c.card), key=lambda c: c.card))
#: What the page knows of each fact: the card's fields, then what the fact table adds (its sentence goes
#: apart, each distinct one once).
DATA_FIELDS = (*CARD_FIELDS, "line")


@dataclass
class ArticleText:
    """An article as the report shows it."""

    source: str
    text: str  # the decoded source (a page's HTML)
    sha256: str
    kept: list[tuple[int, int]]  # the source spans the rules saw
    visible: str | None = None  # a page's visible characters at their source offsets


def load_articles(paths: Iterable[Path], rules=None) -> tuple[dict[str, ArticleText], list[str]]:
    """The articles under `paths` (as `extract` finds them), with what zfacts cut;
    and the problems met (a file that cannot be read is named, never fatal)."""
    from ..api import article_inputs, shipped_rules
    from ..ingest.collections import Record
    from ..ingest.html import read_page
    from ..ingest.decode import SkipFile
    from ..ingest.read import find_files, read_input
    from ..pipeline import ArticleRun

    rules = rules or shipped_rules()
    out: dict[str, ArticleText] = {}
    problems: list[str] = []

    def add(source: str, text: str, sha: str, page: bool) -> None:
        try:
            parsed = read_page(text, [r for r in rules.clean_rules if r.action == "drop_to_end"]) if page else None
            # What zfacts cut is known once the article is read: its facts are not needed here.
            view = ArticleRun(text, rules, source=source, html=page, page=parsed, keep_matches=False).cleaned.view
        except SkipFile as e:
            problems.append(f"{source}: {e}")
            return
        out[source] = ArticleText(source, text, sha, view.source_spans(), parsed.prepared if parsed else None)

    for item in article_inputs(find_files(list(paths)), rules=rules):
        if isinstance(item, Record) and item.text is None:
            continue  # a record extract skipped: no facts of it to show
        try:
            doc = read_input(item)
        except SkipFile as e:
            problems.append(f"{item.source}: {e}")
            continue
        add(doc.source, doc.text, doc.sha256, doc.page)
    return out, problems


def build_report(facts: pd.DataFrame, articles: dict[str, ArticleText] | None = None,
                 title: str = "zfacts report") -> str:
    """The report as one HTML document."""
    articles = articles or {}
    facts, _ = without_infinities(facts.reset_index(drop=True))
    result = compare_facts(facts)
    series = timelines(result)
    row_of = _rows_by_fact_id(facts)
    by_source: dict[str, list[int]] = {}
    for i, s in enumerate(facts["source"].astype(str)):
        by_source.setdefault(s, []).append(i)
    article_of = [0] * len(facts)
    for n, rows in enumerate(by_source.values()):
        for i in rows:
            article_of[i] = n
    bodies: list[str] = []
    sections = [_comparisons_section(result, row_of),
                _timelines_section(series, row_of), _articles_section(facts, by_source, articles, bodies)]
    kinds = sorted(facts["kind"].dropna().astype(str).unique())
    options = {name: sorted({str(v) for v in facts[name].dropna()}) for name in ("metric", "subject")}
    flags = sorted({f for v in facts["flags"].dropna() for f in str(v).split(";") if f})
    conflicts = int(result.drop_duplicates("group")["status"].eq("conflict").sum()) if len(result) else 0
    summary = (f"{count(len(by_source), 'article')}, {count(len(facts), 'fact')} ("
               + ", ".join(f"{n:,} {k}" for k, n in facts["kind"].value_counts().sort_index().items())
               + f"); {count(conflicts, 'conflicting group')}")
    data = json.dumps({"fields": [*DATA_FIELDS, "quote"], "card": len(CARD_FIELDS),
                       "columns": [_column(facts[name]) for name in (*DATA_FIELDS, "quote")],
                       "article": article_of, "bodies": bodies},
                      ensure_ascii=False, separators=(",", ":"))
    return _page(
        title=html.escape(title), summary=html.escape(summary), style=_page_file("report.css"),
        script=_page_file("report.js"), data=script_safe(data),
        filters=_select("kind", kinds) + _select("metric", options["metric"]) + _select("subject", options["subject"])
        + _select("flag", flags),
        overview=_summary_section(result, row_of), sections="\n".join(sections))


#: Inside <script>, `</`, `<!--` and `<script` would end the data block or change how the browser reads
#: it (a source named `x<!--<script>`): each `<` that starts one is written as the JSON escape \u003c.
_SCRIPT_BREAKERS = re.compile(r"<(?=/|!--|script)", re.IGNORECASE)


def script_safe(data: str) -> str:
    """JSON text that can stand inside <script> whatever its strings hold.

    >>> print(script_safe('{"source":"x<!--<script></script>"}'))
    {"source":"x\\u003c!--\\u003cscript>\\u003c/script>"}
    """
    return _SCRIPT_BREAKERS.sub(r"\\u003c", data)


def _rows_by_fact_id(facts: pd.DataFrame) -> dict[str, int]:
    """Each fact's row in the report (its first, if a table was given twice)."""
    out: dict[str, int] = {}
    for i, fid in enumerate(facts["fact_id"].astype(str)):
        out.setdefault(fid, i)
    return out


def _evidence(row_of: dict[str, int], fact_id, label: str) -> str:
    """`label` as a link that opens the fact highlighted in its article."""
    i = row_of.get(str(fact_id))
    return label if i is None else f'<a class="ev" href="#fact={i}">{label}</a>'


def _facts_attr(row_of: dict[str, int], fact_ids: Iterable) -> str:
    """The report rows of these facts, for the filters: a block is hidden when none of them matches."""
    rows = sorted({row_of[f] for f in map(str, fact_ids) if f in row_of})
    return f' data-facts="{" ".join(map(str, rows))}"'


def _column(values: pd.Series) -> list | dict:
    """A column of the page's data: numbers as a list (null for none, inf included); text as its
    distinct values and a code per fact, so a source, a rule or a sentence that many facts share
    is sent once (a fifth of the size at 1,000 articles, and as much less for the browser to parse)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return [None if v is None or v is pd.NA or not math.isfinite(v) else v
                for v in values.astype(object).where(values.notna(), None).tolist()]
    distinct: dict = {}
    codes = [distinct.setdefault(_text(v), len(distinct)) for v in values.astype(object).tolist()]
    return {"values": list(distinct), "codes": codes}


def _text(v) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (dt.date, pd.Timestamp)):
        return str(v)[:10]
    return str(v)


def _select(name: str, values: list[str]) -> str:
    opts = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
    return (f'<label>{name} <select data-filter="{name}"><option value="">all</option>{opts}</select></label>')


# --- articles -----------------------------------------------------------------

def _articles_section(facts: pd.DataFrame, by_source: dict[str, list[int]], articles: dict[str, ArticleText],
                      bodies: list[str]) -> str:
    """The list of articles; each one's marked-up text goes to `bodies` (rendered when opened)."""
    parts = ['<section id="articles"><h2>Articles</h2>',
             ('<p class="hint">Open an article to see its text; every fact is highlighted by kind '
              '(hover or focus one for its values). Dimmed text is what zfacts cut.</p>')]
    for source, rows in by_source.items():
        a = articles.get(source)
        sub = facts.iloc[rows]
        body: str
        if a is not None and set(sub["source_sha256"].dropna().astype(str)) <= {a.sha256}:
            body = _article_body(a, sub)
            how = ""
        else:
            why = ("its text changed since the table was made" if a is not None
                   else "its text was not given (--sources)")
            body = _quotes_body(sub)
            how = f' <span class="hint">({html.escape(why)}: facts shown in their sentences)</span>'
        flagged = int(sub["flags"].notna().sum())
        badge = f' <span class="badge flag">{flagged} flagged</span>' if flagged else ""
        parts.append(f'<details class="article" data-source="{html.escape(source)}" data-body="{len(bodies)}">'
                     f'<summary><b>{html.escape(source)}</b> · {len(rows)} facts{badge}{how}</summary></details>')
        bodies.append(body)
    parts.append("</section>")
    return "\n".join(parts)


def _mark(i: int, row, first: bool) -> str:
    kind = html.escape(str(row["kind"]))
    flag = " flagged" if isinstance(row["flags"], str) and row["flags"] else ""
    focus = ' tabindex="0"' if first else ""
    return f'<mark class="f k-{kind}{flag}" data-i="{i}"{focus}>'


def _article_body(a: ArticleText, rows: pd.DataFrame) -> str:
    """The article's characters, facts wrapped in <mark>, cut text dimmed (a page: only what was read)."""
    chars = a.visible if a.visible is not None else a.text
    spans = [(int(s), int(e), i) for i, s, e in zip(rows.index, rows["start"], rows["end"])]
    spans.sort()
    facts, last = [], -1
    for s, e, i in spans:  # facts never overlap; a row that would is shown in the quotes only
        if s >= last:
            facts.append((s, e, i))
            last = e
    pieces: list[tuple[int, int, bool]] = []  # (start, end, kept)
    pos = 0
    for s, e in a.kept:
        if s > pos and a.visible is None:
            pieces.append((pos, s, False))
        pieces.append((s, e, True))
        pos = e
    if pos < len(a.text) and a.visible is None:
        pieces.append((pos, len(a.text), False))
    out: list[str] = []
    fi = 0
    inside: int | None = None  # the fact whose <mark> is open: one element, across the pieces it spans
    for s, e, kept in pieces:
        at = s
        while at < e:
            while fi < len(facts) and facts[fi][1] <= at:
                fi += 1
            if inside is not None and (fi >= len(facts) or facts[fi][2] != inside or facts[fi][0] > at):
                out.append("</mark>")
                inside = None
            if fi < len(facts) and facts[fi][0] <= at:
                _, fe, i = facts[fi]
                if inside is None:
                    out.append(_mark(i, rows.loc[i], True))
                    inside = i
                stop = min(e, fe)
            else:
                stop = min(e, facts[fi][0]) if fi < len(facts) else e
            text = html.escape(chars[at:stop])
            out.append(text if kept else f'<span class="cut">{text}</span>')
            at = stop
    if inside is not None:
        out.append("</mark>")
    return '<div class="text">' + "".join(out) + "</div>"


def _quotes_body(rows: pd.DataFrame) -> str:
    out = ['<ul class="quotes">']
    for i, r in rows.iterrows():
        out.append(f"<li>{_quote_with(r, i)}</li>")
    out.append("</ul>")
    return "".join(out)


def _quote_with(r, i: int | None = None) -> str:
    """The fact's sentence with the fact highlighted."""
    quote, text = str(r.get("quote") or ""), str(r.get("text") or "")
    at = quote.find(text) if text else -1
    if at < 0:
        return html.escape(quote)
    inner = html.escape(text)
    # A comparison's quote marks its fact without a card (data-i): the article holds that.
    mark = _mark(i, r, True) if i is not None else f'<mark class="k-{html.escape(str(r["kind"]))}">'
    return html.escape(quote[:at]) + mark + inner + "</mark>" + html.escape(quote[at + len(text):])


# --- comparisons --------------------------------------------------------------

def _summary_section(result: pd.DataFrame, row_of: dict[str, int]) -> str:
    """The figures an analyst would put in a spreadsheet: a row per company and metric (and scope
    and unit), a column per period; each figure opens its fact, a conflict is marked."""
    parts = ['<section id="summary"><h2>Summary by company, metric and period</h2>']
    if result.empty:
        parts.append('<p class="hint">No fact has both a company and a metric.</p></section>')
        return "\n".join(parts)
    parts.append('<p class="hint">One row per company and metric, one column per period; money in CNY, at each '
                 'fact\'s own rate. A figure opens its fact in its article; <span class="badge conflict">≠</span> '
                 'marks sources that conflict, ×N how many sources state the figure.</p>')
    result = result[result["repeats"].isna()]
    # A fact with neither a period nor a publication date goes in a last column of its own.
    result = result.assign(_column=result["period"].astype(object).where(result["period"].notna(), _NO_PERIOD)
                           .astype(str))
    # in date order: a period's first day, or for a current fact its publication month (2024-03)
    result = result.assign(_start=result["date_start"].astype(object).where(result["date_start"].notna(),
                                                                            result["_column"]).astype(str))
    periods = list(dict.fromkeys(result.sort_values(["_start", "_column"])["_column"]))
    if _NO_PERIOD in periods:
        periods.append(periods.pop(periods.index(_NO_PERIOD)))
    keys = ["subject", "metric", "change", "basis", "scope", "cmp_unit"]
    head = "".join(f"<th>{html.escape(p)}</th>" for p in periods)
    groups = list(result.groupby(keys, sort=True, dropna=False))
    labels = [f"{g.iloc[0]['subject']} · {measure_text(g.iloc[0])}"
              + (f" · {g.iloc[0]['scope']}" if isinstance(g.iloc[0]["scope"], str) else "") for _, g in groups]
    repeated = Counter(labels)
    rows = []
    for label, (_, g) in zip(labels, groups):
        if repeated[label] > 1:  # 字节跳动 · price in CNY and in percent: two rows, told apart by their unit
            label += f" ({g.iloc[0]['cmp_unit']})"
        by_period = dict(list(g.groupby("_column", sort=False)))
        cells = [_summary_cell(by_period[p], row_of) if p in by_period else "<td></td>" for p in periods]
        rows.append(f'<tr{_facts_attr(row_of, g["fact_id"])}><th scope="row">{html.escape(label)}</th>'
                    f'{"".join(cells)}</tr>')
    parts.append(f'<div class="scroll"><table class="pivot"><thead><tr><th>company · metric</th>{head}</tr></thead>'
                 f'<tbody>{"".join(rows)}</tbody></table></div></section>')
    return "\n".join(parts)


_NO_PERIOD = "no period"


def _summary_cell(here: pd.DataFrame, row_of: dict[str, int]) -> str:
    """The distinct figures of one period, each once with how many sources state it."""
    conflict = (here["status"] == "conflict").any()
    figures: dict[str, dict[str, str]] = {}  # figure -> {source: its first fact}
    for _, r in here.iterrows():
        figures.setdefault(_figure(r), {}).setdefault(str(r["source"]), r["fact_id"])
    shown = []
    for label, by_source in figures.items():
        times = f' <span class="times">×{len(by_source)}</span>' if len(by_source) > 1 else ""
        shown.append(_evidence(row_of, next(iter(by_source.values())), html.escape(label)) + times)
    mark = '<span class="badge conflict" title="the sources conflict">≠</span> ' if conflict else ""
    return f'<td class="{"conflict" if conflict else ""}">{mark}{"<br>".join(shown)}</td>'


def _figure(r) -> str:
    """A fact's figure as an analyst reads it, in its comparison unit (money in CNY), its qualifier kept."""
    unit = r["cmp_unit"] if isinstance(r["cmp_unit"], str) else r["unit"]
    value = r["value_cny"] if r["kind"] in kinds_with("monetary") else r["value"]
    if pd.isna(value):
        value = r["value"]
        unit = r["unit"]
    if pd.isna(value):
        if not pd.isna(r["low"]) and not pd.isna(r["high"]):
            return f"{amount_text(r['low'], unit)} – {amount_text(r['high'], unit)}"
        return str(r["text"])
    sign = {"over": "> ", "under": "< ", "approx": "≈ "}.get(r["qualifier"], "")
    return sign + amount_text(value, unit if isinstance(unit, str) else None)


def _comparisons_section(result: pd.DataFrame, row_of: dict[str, int]) -> str:
    parts = ['<section id="comparisons"><h2>Comparisons</h2>']
    shown = result[result["status"].isin(["conflict", "agree", "incomparable"])]
    if shown.empty:
        parts.append('<p class="hint">No figure is stated by more than one source.</p>')
    parts.extend(_group(g, row_of) for _, g in shown.groupby("group", sort=False))
    singles = result[result["status"] == "single"]
    if len(singles):
        n = singles["group"].nunique()
        parts.append(f'<details class="singles"><summary>{count(n, "group")} stated by one source only</summary>'
                     + "".join(_group(g, row_of) for _, g in singles.groupby("group", sort=False)) + "</details>")
    parts.append(_syndication(result))
    parts.append("</section>")
    return "\n".join(parts)


def _group(g: pd.DataFrame, row_of: dict[str, int]) -> str:
    """One group: its sources' figures, each opening its fact in its article."""
    monetary = kinds_with("monetary")
    first = g.iloc[0]
    scope = f" · {first['scope']}" if isinstance(first["scope"], str) else ""
    head = f"{first['subject']} · {measure_text(first)}{scope} · {first['period'] if isinstance(first['period'], str) else 'no period'}"
    notes = []
    if isinstance(first["note"], str):
        notes.append(first["note"])
    if first["status"] == "agree" and not (pd.isna(first["agreed_low"]) and pd.isna(first["agreed_high"])):
        notes.append("together: " + allowed_text(first["agreed_low"], first["agreed_high"], first["cmp_unit"]))
    if not pd.isna(first["spread"]):
        notes.append(f"spread {first['spread']:.0%}")
    rows = []
    copies = g[g["repeats"].notna()].groupby("repeats")["source"].agg(list)
    for _, r in g[g["repeats"].isna()].iterrows():  # a syndicated copy is a badge on its original
        cny = amount_text(r["cmp_low"] if pd.isna(r["value_cny"]) else r["value_cny"], r["cmp_unit"]) \
            if r["kind"] in monetary and not (pd.isna(r["value_cny"]) and pd.isna(r["cmp_low"])) else ""
        copied = copies.get(r["source"], [])
        repeats = (f'<span class="badge" title="{html.escape(", ".join(copied))}">repeated by '
                   f'{len(copied)}</span>') if copied else ""
        rows.append(f"<tr><td>{html.escape(str(r['source']))}{repeats}</td>"
                    f"<td>{html.escape(str(r['published'])[:10]) if not pd.isna(r['published']) else ''}</td>"
                    f"<td>{_evidence(row_of, r['fact_id'], html.escape(str(r['text'])))}</td>"
                    f"<td>{html.escape(str(r['qualifier']))}</td>"
                    f"<td>{html.escape(cny)}</td><td>{_quote_with(r)}</td></tr>")
    return (f'<div class="group {first["status"]}"{_facts_attr(row_of, g["fact_id"])}><h3>'
            f'<span class="badge {first["status"]}">{first["status"]}</span> {html.escape(head)}</h3>'
            f'<p class="note">{html.escape("; ".join(notes))}</p>'
            '<table><thead><tr><th>source</th><th>published</th><th>figure</th><th>qualifier</th>'
            '<th>in CNY</th><th>sentence</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>")


def _syndication(result: pd.DataFrame) -> str:
    """Which sources repeat which (a copy counts once in every comparison)."""
    copies = result[result["repeats"].notna()].drop_duplicates(["source", "repeats"])
    if copies.empty:
        return ""
    rows = "".join(f"<tr><td>{html.escape(str(orig))}</td><td>{len(g)}</td>"
                   f"<td>{html.escape(', '.join(map(str, g['source'].head(20))))}"
                   f"{' …' if len(g) > 20 else ''}</td></tr>"
                   for orig, g in copies.groupby("repeats", sort=True))
    return ('<h3>Syndicated copies</h3><p class="hint">Sources that repeat another\'s sentences and figures; '
            'each counts once.</p><table class="copies"><tr><th>original</th><th>copies</th><th>sources</th></tr>'
            + rows + "</table>")


# --- timelines ----------------------------------------------------------------

_W, _H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 680, 220, 80, 40, 16, 36


def _timelines_section(series: pd.DataFrame, row_of: dict[str, int]) -> str:
    parts = ['<section id="timelines"><h2>Timelines</h2>']
    if series.empty:
        parts.append('<p class="hint">No series is stated for more than one period.</p>')
    keys = ["subject", "metric", "scope", "change", "basis", "length", "unit_of_series"]
    for key, g in series.groupby(keys, sort=False, dropna=False):
        name = "|".join("" if pd.isna(k) else str(k) for k in key)
        first = g.iloc[0]
        scope = f" · {first['scope']}" if isinstance(first["scope"], str) else ""
        head = f"{first['subject']} · {measure_text(first)}{scope} · {first['length']} figures, in {first['unit_of_series']}"
        parts.append(f'<figure class="timeline"{_facts_attr(row_of, g["fact_id"])}>'
                     f'<figcaption>{html.escape(head)}</figcaption>{_chart(g, name, row_of)}</figure>')
    parts.append("</section>")
    return "\n".join(parts)


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least `raw`: ticks a reader can read."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _chart(g: pd.DataFrame, name: str, row_of: dict[str, int]) -> str:
    """One series as SVG: x the period start, y the value in the series' unit."""
    unit = g.iloc[0]["unit_of_series"]
    money = unit == "CNY"
    pts = []
    for _, r in g.iterrows():
        rate = 1.0
        if money and r["unit"] != "CNY":
            rate = (r["value_cny"] / r["value"]) if not pd.isna(r["value_cny"]) and r["value"] else math.nan
        v, lo, hi = (float(r[c]) * rate if not pd.isna(r[c]) else math.nan for c in ("value", "low", "high"))
        start = str(r["date_start"])[:10] if not pd.isna(r["date_start"]) else None
        x = dt.date.fromisoformat(start).toordinal() if start else None
        pts.append((x, v, lo, hi, r))
    xs = [p[0] for p in pts if p[0] is not None]
    if not xs:  # current facts: dated by publication, one point per period label in order
        labels = list(dict.fromkeys(str(p[4]["period"]) for p in pts))
        pts = [(labels.index(str(p[4]["period"])), *p[1:]) for p in pts]
        xs = [p[0] for p in pts]
    ys = [y for p in pts for y in p[1:4] if not math.isnan(y)]
    if not ys:
        return '<p class="hint">no comparable values</p>'
    x0, x1 = min(xs), max(xs)
    step = _nice_step((max(max(ys), 0) - min(min(ys), 0)) / 4 or 1.0)
    y1 = step * math.ceil(max(max(ys), 0) * 1.05 / step) or step
    y0 = step * math.floor(min(min(ys), 0) / step)
    def fx(x: float) -> float:
        return _PAD_L + (0.5 if x1 == x0 else (x - x0) / (x1 - x0)) * (_W - _PAD_L - _PAD_R)

    def fy(y: float) -> float:
        return _PAD_T + (1 - (y - y0) / (y1 - y0)) * (_H - _PAD_T - _PAD_B)

    out = [(f'<svg class="chart" data-series="{html.escape(name)}" viewBox="0 0 {_W} {_H}" width="{_W}" '
            f'height="{_H}" role="img">')]
    for k in range(round((y1 - y0) / step) + 1):  # y axis: round ticks
        y = y0 + step * k
        out.append(f'<line class="grid" x1="{_PAD_L}" x2="{_W - _PAD_R}" y1="{fy(y):.1f}" y2="{fy(y):.1f}"/>'
                   f'<text class="tick" x="{_PAD_L - 6}" y="{fy(y) + 4:.1f}" text-anchor="end">'
                   f'{html.escape(amount_text(y, unit if money or unit == "percent" else None))}</text>')
    for x, label in sorted({(p[0], str(p[4]["period"])) for p in pts}):
        out.append(f'<text class="tick" x="{fx(x):.1f}" y="{_H - _PAD_B + 16}" text-anchor="middle">'
                   f'{html.escape(label)}</text>')
    for x, v, lo, hi, r in pts:
        cx = fx(x)
        tip = (f"{r['period']} · {r['text']} ({r['qualifier']}) · {r['source']}"
               + (f" · ≈ {amount_text(v if not math.isnan(v) else lo if not math.isnan(lo) else hi, unit)}"
                  if money and r["unit"] != "CNY" else ""))
        q = r["qualifier"]
        shape: str
        if q == "range" or (math.isnan(v) and not math.isnan(lo) and not math.isnan(hi)):
            shape = (f'<rect class="range" x="{cx - 4:.1f}" y="{fy(hi):.1f}" width="8" '
                     f'height="{max(fy(lo) - fy(hi), 2):.1f}"/>')
        elif q == "over" or (math.isnan(v) and not math.isnan(lo)):
            y = fy(lo if not math.isnan(lo) else v)
            shape = (f'<line class="bound" x1="{cx:.1f}" x2="{cx:.1f}" y1="{y:.1f}" y2="{_PAD_T}"/>'
                     f'<path class="open" d="M{cx - 6:.1f},{y + 4:.1f} L{cx + 6:.1f},{y + 4:.1f} L{cx:.1f},{y - 6:.1f} Z"/>')
        elif q == "under" or (math.isnan(v) and not math.isnan(hi)):
            y = fy(hi if not math.isnan(hi) else v)
            shape = (f'<line class="bound" x1="{cx:.1f}" x2="{cx:.1f}" y1="{y:.1f}" y2="{fy(y0):.1f}"/>'
                     f'<path class="open" d="M{cx - 6:.1f},{y - 4:.1f} L{cx + 6:.1f},{y - 4:.1f} L{cx:.1f},{y + 6:.1f} Z"/>')
        else:
            y = fy(v)
            whisker = ""
            if q == "approx":
                whisker = (f'<line class="whisker" x1="{cx:.1f}" x2="{cx:.1f}" y1="{fy(v * 1.1):.1f}" '
                           f'y2="{fy(v * 0.9):.1f}"/>')
            shape = f'{whisker}<circle class="exact" cx="{cx:.1f}" cy="{y:.1f}" r="4.5"/>'
        point = (f'<g class="pt" data-source="{html.escape(str(r["source"]))}">'
                 f'<title>{html.escape(tip)}</title>{shape}</g>')
        i = row_of.get(str(r["fact_id"]))  # a point opens its fact in its article
        out.append(point if i is None else f'<a href="#fact={i}">{point}</a>')
    out.append("</svg>")
    return "".join(out)


# --- the page -------------------------------------------------------------------
# The page's skeleton, styles and script are files of their own in page/, shipped in the wheel;
# the report inlines them, so it opens with no network.

_MARKER = re.compile(r"<!-- zfacts:(\w+) -->")


@functools.cache
def _page_file(name: str) -> str:
    """A file of page/, read once per process (from the package, installed or not)."""
    return (importlib.resources.files(__package__) / "page" / name).read_text(encoding="utf-8")


def _page(**parts: str) -> str:
    """report.html with each `<!-- zfacts:NAME -->` replaced by `parts[NAME]`, in one pass: a part's
    own text (an article, the facts' JSON, the script) is never searched for markers."""
    return _MARKER.sub(lambda m: parts[m.group(1)], _page_file("report.html"))
